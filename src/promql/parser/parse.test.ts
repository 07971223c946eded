import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Expr } from "./ast.ts";
import { dumpExpr } from "./dump.ts";
import { ParseError, ParseErrors } from "./errors.ts";
import { parseExpr, parseMetricSelector, unquoteString } from "./parse.ts";
import { matcherString } from "./printer.ts";

function parse(q: string): Expr {
  return parseExpr(q, { experimentalFunctions: true });
}

// Trees (with positions) after upstream's parse_test.go; positions are UTF-16
// indices, which equal upstream's byte offsets for ASCII input.
const WITH_POSITIONS: Array<[string, string]> = [
  ["1", "1@0:1"],
  ["+Inf", "Infinity@0:4"],
  ["-Inf", "-Infinity@0:4"],
  [".5", "0.5@0:2"],
  ["5.", "5@0:2"],
  ["0xc", "12@0:3"],
  ["0755", "493@0:4"],
  ["-0755", "-493@0:5"],
  ["1 + 1", "bin(+ 1@0:1 1@4:5)@0:5"],
  ["1 == bool 1", "bin(== bool 1@0:1 1@10:11)@0:11"],
  ["-1^2", "neg(bin(^ 1@1:2 2@3:4)@1:4)@0:4"],
  ["-1*2", "bin(* -1@0:2 2@3:4)@0:4"],
  ["-1^-2", "neg(bin(^ 1@1:2 -2@3:5)@1:5)@0:5"],
  ["+1 + -2 * 1", "bin(+ 1@0:2 bin(* -2@5:7 1@10:11)@5:11)@0:11"],
  ["1 + 2/(3*1)", "bin(+ 1@0:1 bin(/ 2@4:5 paren(bin(* 3@7:8 1@9:10)@7:10)@6:11)@4:11)@0:11"],
  ["1 < bool 2 - 1 * 2", "bin(< bool 1@0:1 bin(- 2@9:10 bin(* 1@13:14 2@17:18)@13:18)@9:18)@0:18"],
  [" +some_metric", 'pos(vs(some_metric|__name__="some_metric")@2:13)@1:13'],
  [' +{"some_metric"}', 'pos(vs(|__name__="some_metric")@2:17)@1:17'],
  [
    "foo + bar or bla and blub",
    'bin(or [many-to-many ignoring()] bin(+ [one-to-one ignoring()] vs(foo|__name__="foo")@0:3 vs(bar|__name__="bar")@6:9)@0:9 bin(and [many-to-many ignoring()] vs(bla|__name__="bla")@13:16 vs(blub|__name__="blub")@21:25)@13:25)@0:25',
  ],
  [
    "foo and bar unless baz or qux",
    'bin(or [many-to-many ignoring()] bin(unless [many-to-many ignoring()] bin(and [many-to-many ignoring()] vs(foo|__name__="foo")@0:3 vs(bar|__name__="bar")@8:11)@0:11 vs(baz|__name__="baz")@19:22)@0:22 vs(qux|__name__="qux")@26:29)@0:29',
  ],
  [
    "bar + on(foo) bla / on(baz, buz) group_right(test) blub",
    'bin(+ [one-to-one on(foo)] vs(bar|__name__="bar")@0:3 bin(/ [one-to-many on(baz,buz) include(test)] vs(bla|__name__="bla")@14:17 vs(blub|__name__="blub")@51:55)@14:55)@0:55',
  ],
  [
    "foo * on(test,blub) group_left bar",
    'bin(* [many-to-one on(test,blub) include()] vs(foo|__name__="foo")@0:3 vs(bar|__name__="bar")@31:34)@0:34',
  ],
  [
    "foo and on() bar",
    'bin(and [many-to-many on()] vs(foo|__name__="foo")@0:3 vs(bar|__name__="bar")@13:16)@0:16',
  ],
  ["foo offset 5m", 'vs(foo|__name__="foo"|off=300000)@0:13'],
  ["foo offset -7m", 'vs(foo|__name__="foo"|off=-420000)@0:14'],
  ["foo @ 3.3335", 'vs(foo|__name__="foo"|at=3334)@0:12'],
  ['foo:bar{a="bc"}', 'vs(foo:bar|a="bc",__name__="foo:bar")@0:15'],
  ['{"foo", a="bc"}', 'vs(|__name__="foo",a="bc")@0:15'],
  ["test[5h] OFFSET 5m", 'ms(vs(test|__name__="test"|off=300000)@0:4 18000000)@0:18'],
  ["foo[3ms] @ 2.345", 'ms(vs(foo|__name__="foo"|at=2345)@0:3 3)@0:16'],
  ["sum by (foo)(some_metric)", 'agg(sum by(foo) vs(some_metric|__name__="some_metric")@13:24)@0:25'],
  [
    "sum (some_metric) without (foo)",
    'agg(sum without(foo) vs(some_metric|__name__="some_metric")@5:16)@0:31',
  ],
  ["topk(5, some_metric)", 'agg(topk 5@5:6 vs(some_metric|__name__="some_metric")@8:19)@0:20'],
  [
    'count_values("value", some_metric)',
    'agg(count_values "value"@13:20 vs(some_metric|__name__="some_metric")@22:33)@0:34',
  ],
  ["rate(some_metric[5m])", 'call(rate ms(vs(some_metric|__name__="some_metric")@5:16 300000)@5:20)@0:21'],
  ["round(some_metric, 5)", 'call(round vs(some_metric|__name__="some_metric")@6:17 5@19:20)@0:21'],
  [
    'min_over_time(rate(foo{bar="baz"}[2s])[5m:] offset 4m)[4m:3s]',
    'sq(call(min_over_time sq(call(rate ms(vs(foo|bar="baz",__name__="foo")@19:33 2000)@19:37)@14:38 300000:0|off=240000)@14:53)@0:54 240000:3000)@0:61',
  ],
  [
    "some_metric[10m:5s] offset 1m @ 123",
    'sq(vs(some_metric|__name__="some_metric")@0:11 600000:5000|off=60000|at=123000)@0:35',
  ],
  [
    '(foo + bar{nm="val"} @ 1234)[5m:] @ 1603775019',
    'sq(paren(bin(+ [one-to-one ignoring()] vs(foo|__name__="foo")@1:4 vs(bar|nm="val",__name__="bar"|at=1234000)@7:27)@1:27)@0:28 300000:0|at=1603775019000)@0:46',
  ],
  ["test[5y] @ start()", 'ms(vs(test|__name__="test"|at=start())@0:4 157680000000)@0:18'],
  [
    'info(http_request_counter_total{namespace="zzz"}, {foo="bar", bar="baz"})',
    'call(info vs(http_request_counter_total|namespace="zzz",__name__="http_request_counter_total")@5:48 vs(|foo="bar",bar="baz")@50:72)@0:73',
  ],
  ["(sum(foo) by (bar))", 'paren(agg(sum by(bar) vs(foo|__name__="foo")@5:8)@1:18)@0:19'],
  [
    "sum by (job)(rate(http_requests_total[30m]))",
    'agg(sum by(job) call(rate ms(vs(http_requests_total|__name__="http_requests_total")@18:37 1800000)@18:42)@13:43)@0:44',
  ],
  ["foo offset 5s-8", 'bin(- vs(foo|__name__="foo"|off=5000)@0:13 8@14:15)@0:15'],
  ["foo offset -1^1", 'bin(^ vs(foo|__name__="foo"|off=-1000)@0:13 1@14:15)@0:15'],
  ["x[5m] offset 1h @ 100", 'ms(vs(x|__name__="x"|off=3600000|at=100000)@0:1 300000)@0:21'],
  ['{a="é😀"} + 1', 'bin(+ vs(|a="é😀")@0:9 1@12:13)@0:13'],
];

// Trees without positions: precedence, modifiers, keywords as names, literals.
const TREES: Array<[string, string]> = [
  ["-2^2", "neg(bin(^ 2 2))"],
  ["2 ^ 3 ^ 2", "bin(^ 2 bin(^ 3 2))"],
  ["2 * 3 atan2 4", "bin(atan2 bin(* 2 3) 4)"],
  ["1 - 2 - 3", "bin(- bin(- 1 2) 3)"],
  [
    "a or b and c unless d == e + f * g ^ h",
    'bin(or [many-to-many ignoring()] vs(a|__name__="a") bin(unless [many-to-many ignoring()] bin(and [many-to-many ignoring()] vs(b|__name__="b") vs(c|__name__="c")) bin(== [one-to-one ignoring()] vs(d|__name__="d") bin(+ [one-to-one ignoring()] vs(e|__name__="e") bin(* [one-to-one ignoring()] vs(f|__name__="f") bin(^ [one-to-one ignoring()] vs(g|__name__="g") vs(h|__name__="h")))))))',
  ],
  [
    "x + y offset 5m * z",
    'bin(+ [one-to-one ignoring()] vs(x|__name__="x") bin(* [one-to-one ignoring()] vs(y|__name__="y"|off=300000) vs(z|__name__="z")))',
  ],
  ["-x offset 5m", 'neg(vs(x|__name__="x"|off=300000))'],
  ["- -x", 'neg(neg(vs(x|__name__="x")))'],
  ["- -1", "1"],
  ["-(1)", "neg(paren(1))"],
  ["-0", "0"],
  ["1 + -x ^ 2", 'bin(+ 1 neg(bin(^ vs(x|__name__="x") 2)))'],
  ["x > bool y", 'bin(> bool [one-to-one ignoring()] vs(x|__name__="x") vs(y|__name__="y"))'],
  ["1 + x", 'bin(+ 1 vs(x|__name__="x"))'],
  ["1 + on() x", 'bin(+ 1 vs(x|__name__="x"))'],
  [
    "a + ignoring(x) group_left(y, z) b",
    'bin(+ [many-to-one ignoring(x) include(y,z)] vs(a|__name__="a") vs(b|__name__="b"))',
  ],
  ["sum by (\"a.b\", c, 'd') (x)", 'agg(sum by(a.b,c,d) vs(x|__name__="x"))'],
  ["sum without () (x)", 'agg(sum without() vs(x|__name__="x"))'],
  ["sum by (a,) (x)", 'agg(sum by(a) vs(x|__name__="x"))'],
  [
    "sum without(and, by, avg, count, alert, annotations)(m)",
    'agg(sum without(and,by,avg,count,alert,annotations) vs(m|__name__="m"))',
  ],
  [
    "sum by (limitk, start, end, offset, bool, atan2, on, group_left) (x)",
    'agg(sum by(limitk,start,end,offset,bool,atan2,on,group_left) vs(x|__name__="x"))',
  ],
  ["topk(3, x) by (a)", 'agg(topk by(a) 3 vs(x|__name__="x"))'],
  ["quantile(0.9, x)", 'agg(quantile 0.9 vs(x|__name__="x"))'],
  ["limitk(1, x)", 'agg(limitk 1 vs(x|__name__="x"))'],
  ["limit_ratio(0.5, x)", 'agg(limit_ratio 0.5 vs(x|__name__="x"))'],
  ["SUM(x)", 'agg(sum vs(x|__name__="x"))'],
  ["sum", 'vs(sum|__name__="sum")'],
  ['sum{a="b"}', 'vs(sum|a="b",__name__="sum")'],
  ["by", 'vs(by|__name__="by")'],
  ["offset offset 5m", 'vs(offset|__name__="offset"|off=300000)'],
  ["start", 'vs(start|__name__="start")'],
  ['end{start="foo"}', 'vs(end|start="foo",__name__="end")'],
  ["and and and", 'bin(and [many-to-many ignoring()] vs(and|__name__="and") vs(and|__name__="and"))'],
  ["limitk", 'vs(limitk|__name__="limitk")'],
  ["infinity", 'vs(infinity|__name__="infinity")'],
  ["step", 'vs(step|__name__="step")'],
  ["foo{}", 'vs(foo|__name__="foo")'],
  ['foo{a="b",}', 'vs(foo|a="b",__name__="foo")'],
  ['{__name__=~"bar", __name__!~"baz"}', 'vs(|__name__=~"bar",__name__!~"baz")'],
  ['{"bar", __name__="baz"}', 'vs(|__name__="bar",__name__="baz")'],
  ['{"my.metric", "a.b"="c"}', 'vs(|__name__="my.metric","a.b"="c")'],
  ['x{inf="1"}', 'vs(x|inf="1",__name__="x")'],
  ['x{a=~"a|b", b!~"c", c!="d"}', 'vs(x|a=~"a|b",b!~"c",c!="d",__name__="x")'],
  ['info(x, {a=""})', 'call(info vs(x|__name__="x") vs(|a=""))'],
  ["x offset 5m @ 100", 'vs(x|__name__="x"|off=300000|at=100000)'],
  ["x @ start() offset -5m", 'vs(x|__name__="x"|off=-300000|at=start())'],
  ["x[5m:] @ end()", 'sq(vs(x|__name__="x") 300000:0|at=end())'],
  ["x offset 1m [5m:]", 'sq(vs(x|__name__="x"|off=60000) 300000:0)'],
  ["some_metric @ start() [5m]", 'ms(vs(some_metric|__name__="some_metric"|at=start()) 300000)'],
  ["x @ 1m", 'vs(x|__name__="x"|at=60000)'],
  ["x @ - 1", 'vs(x|__name__="x"|at=-1000)'],
  ["x @ 0.0005", 'vs(x|__name__="x"|at=1)'],
  ["x @ -0.0005", 'vs(x|__name__="x"|at=-1)'],
  ["x @ END()", 'vs(x|__name__="x"|at=end())'],
  ["x offset 0 offset 5m", 'vs(x|__name__="x"|off=300000)'],
  ["foo[5s x 5s]", 'sq(vs(foo|__name__="foo") 5000:5000)'],
  ["1h", "3600(d)"],
  ["-1h30m", "-5400(d)"],
  ["1s5ms", "1.005(d)"],
  ["x # comment\n + 1", 'bin(+ vs(x|__name__="x") 1)'],
  ['"a" # comment', '"a"'],
];

// Duration expressions (always enabled), folded to milliseconds: the forms of
// testdata/duration_expression.test and their precedence subtleties.
const DURATIONS: Array<[string, string]> = [
  ["changes(http_requests[26m+4m])", 'call(changes ms(vs(http_requests|__name__="http_requests") 1800000))'],
  ["x[1800]", 'ms(vs(x|__name__="x") 1800000)'],
  ["x[60*30]", 'ms(vs(x|__name__="x") 1800000)'],
  ["x[2m*(10+5)]", 'ms(vs(x|__name__="x") 1800000)'],
  ["x[24m+((1.5*2m)+2m)]", 'ms(vs(x|__name__="x") 1740000)'],
  ["x[-5m+35m]", 'ms(vs(x|__name__="x") 1800000)'],
  ["x[1h/2]", 'ms(vs(x|__name__="x") 1800000)'],
  ["x[1h30m % 1h]", 'ms(vs(x|__name__="x") 1800000)'],
  ["x[30m1s-30m1s % 1m]", 'ms(vs(x|__name__="x") 1800000)'],
  ["x[(9m30s+30s)*3]", 'ms(vs(x|__name__="x") 1800000)'],
  [
    "sum_over_time(m[29s+1s:((((8 - 2) / 3) * 7s) % 4) + 8000ms])",
    'call(sum_over_time sq(vs(m|__name__="m") 30000:10000))',
  ],
  [
    "sum_over_time(m[29s+1s:20*500ms] offset (20*(((((8 - 2) / 3) * 7s) % 4) + 8000ms)))",
    'call(sum_over_time sq(vs(m|__name__="m") 30000:10000|off=200000))',
  ],
  [
    "sum_over_time(m[29s+1s:20*500ms] offset -(20*(((((8 - 2) / 3) * 7s) % 4) + 8000ms)))",
    'call(sum_over_time sq(vs(m|__name__="m") 30000:10000|off=-200000))',
  ],
  ["m offset (100 + 2)", 'vs(m|__name__="m"|off=102000)'],
  ["m offset 100 + 2", 'bin(+ vs(m|__name__="m"|off=100000) 2)'],
  ["(m offset 2) ^ 2", 'bin(^ paren(vs(m|__name__="m"|off=2000)) 2)'],
  ["m offset 2 ^ 2", 'bin(^ vs(m|__name__="m"|off=2000) 2)'],
  ["m offset -2 ^ 2", 'bin(^ vs(m|__name__="m"|off=-2000) 2)'],
  ["m offset (2 ^ 2)", 'vs(m|__name__="m"|off=4000)'],
  ["m offset (2 * 2)", 'vs(m|__name__="m"|off=4000)'],
  ["m offset -2 * 2", 'bin(* vs(m|__name__="m"|off=-2000) 2)'],
  ["m offset (-2 * 2)", 'vs(m|__name__="m"|off=-4000)'],
  ["m offset -4", 'vs(m|__name__="m"|off=-4000)'],
  ["m offset (-2 ^ 2)", 'vs(m|__name__="m"|off=-4000)'],
  // A non-literal offset takes in the duration operators that follow (upstream's grammar).
  ["x offset (1m) * 2", 'vs(x|__name__="x"|off=120000)'],
  ["x offset -(5m) + 1m", 'vs(x|__name__="x"|off=-240000)'],
  ["x offset --5m + 1m", 'vs(x|__name__="x"|off=360000)'],
  ["x offset (1m) == 1", 'bin(== vs(x|__name__="x"|off=60000) 1)'],
  ["x[1.5]", 'ms(vs(x|__name__="x") 1500)'],
  ["x[1.005]", 'ms(vs(x|__name__="x") 1005)'],
  ["x offset 1.005", 'vs(x|__name__="x"|off=1005)'],
  ["x[0.0001]", 'ms(vs(x|__name__="x") 0)'],
  ["x[5m:1m]", 'sq(vs(x|__name__="x") 300000:60000)'],
  ["x[5m:]", 'sq(vs(x|__name__="x") 300000:0)'],
  ["x[2^3:2*5s]", 'sq(vs(x|__name__="x") 8000:10000)'],
  ["x[1h:(1m)]", 'sq(vs(x|__name__="x") 3600000:60000)'],
  ["x offset (1m-1m)", 'vs(x|__name__="x")'],
  ["x[1m] offset (1m+1m)", 'ms(vs(x|__name__="x"|off=120000) 60000)'],
  ["x offset (1m+1m) [5m]", 'ms(vs(x|__name__="x"|off=120000) 300000)'],
  ["x[ 5m ]", 'ms(vs(x|__name__="x") 300000)'],
  ["x[5m : 1m]", 'sq(vs(x|__name__="x") 300000:60000)'],
  ["x[0x10]", 'ms(vs(x|__name__="x") 16000)'],
];

describe("parseExpr trees", () => {
  for (const [q, want] of WITH_POSITIONS) {
    it(q, () => assert.equal(dumpExpr(parse(q), { positions: true }), want));
  }
  for (const [q, want] of TREES) {
    it(JSON.stringify(q), () => assert.equal(dumpExpr(parse(q)), want));
  }
});

describe("duration expressions", () => {
  for (const [q, want] of DURATIONS) {
    it(q, () => assert.equal(dumpExpr(parse(q)), want));
  }
});

describe("number literals", () => {
  const cases: Array<[string, number]> = [
    ["1", 1],
    ["0x1f", 31],
    ["0X1F", 31],
    ["0x1e1", 481],
    ["0x_1f", 31],
    ["0755", 493],
    ["08", 8],
    ["09.5", 9.5],
    ["0_7", 7],
    ["1_000", 1000],
    ["1_000.5", 1000.5],
    ["1e5", 100000],
    ["1E+5", 100000],
    [".5e-3", 0.0005],
    ["5.e3", 5000],
    ["1e-400", 0],
    ["123456789012345678901", 1.2345678901234568e20],
    ["9223372036854775807", 2 ** 63],
    ["Inf", Number.POSITIVE_INFINITY],
    ["iNF", Number.POSITIVE_INFINITY],
    ["-inf", Number.NEGATIVE_INFINITY],
  ];
  for (const [q, v] of cases) {
    it(`${q} is ${v}`, () => {
      const e = parse(q);
      assert.equal(e.type, "NumberLiteral");
      assert.equal(e.type === "NumberLiteral" && e.value, v);
    });
  }
  it("NaN", () => {
    const e = parse("NaN");
    assert.ok(e.type === "NumberLiteral" && Number.isNaN(e.value));
  });
  it("-0 keeps its sign", () => {
    const e = parse("-0");
    assert.ok(e.type === "NumberLiteral" && Object.is(e.value, -0));
  });
});

describe("string literals", () => {
  const cases: Array<[string, string]> = [
    ['"double-quoted string \\" with escaped quote"', 'double-quoted string " with escaped quote'],
    ["'single-quoted string \\' with escaped quote'", "single-quoted string ' with escaped quote"],
    ["`backtick-quoted string`", "backtick-quoted string"],
    [
      '"\\a\\b\\f\\n\\r\\t\\v\\\\\\" - \\u1234\\U00010111\\U0001011111☺"',
      '\x07\b\f\n\r\t\v\\" - \u1234\u{10111}\u{10111}11☺',
    ],
    ["`\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\' - \\xFF\\377`", "\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\' - \\xFF\\377"],
    ['"\\x41\\u00e9\\U0001F600\\101"', "Aé😀A"],
    ['"\\xc3\\xa9"', "é"],
    ['"\\303\\251"', "é"],
    // A byte that is not UTF-8 is kept as a surrogate escape (U+DC00 + byte).
    ['"\\xff"', "\uDCFF"],
    ['"a\\xc5z"', "a\uDCC5z"],
    ['"\\xe2\\x82"', "\uDCE2\uDC82"],
    ['"\\xf0\\x9f\\x98\\x80"', "😀"],
    ['"\\xed\\xa0\\x80"', "\uDCED\uDCA0\uDC80"],
    ["'\"'", '"'],
    ['"é"', "é"],
  ];
  for (const [q, v] of cases) {
    it(q, () => {
      const e = parse(q);
      assert.ok(e.type === "StringLiteral");
      assert.equal(e.type === "StringLiteral" && e.value, v);
      assert.equal(unquoteString(q), v);
    });
  }
});

describe("parseMetricSelector", () => {
  const ok: Array<[string, string]> = [
    ["up", '__name__="up"'],
    ['up{job="a", i!~"b"}', 'job="a",i!~"b",__name__="up"'],
    ['{"foo"}', '__name__="foo"'],
    ["{}", ""],
    ['{a=""}', 'a=""'],
    ['foo{__name__="bar"}', '__name__="bar",__name__="foo"'],
    ["sum", '__name__="sum"'],
  ];
  for (const [q, want] of ok) {
    it(q, () => assert.equal(parseMetricSelector(q).map(matcherString).join(","), want));
  }
  const bad: Array<[string, string]> = [
    ["foo{", "1:5: parse error: unexpected end of input inside braces"],
    ["foo bar", '1:5: parse error: unexpected identifier "bar"'],
    ["sum(x)", '1:4: parse error: unexpected "("'],
    ["foo offset 5m", "1:5: parse error: unexpected <offset>"],
    ['"foo"', '1:1: parse error: unexpected string "\\"foo\\""'],
    ["", "unknown position: parse error: unexpected end of input"],
    ['x{a=~"("}', "1:3: parse error: error parsing regexp: missing closing ): `(`"],
    ["foo[5m]", '1:4: parse error: unexpected "["'],
  ];
  for (const [q, msg] of bad) {
    it(`${JSON.stringify(q)} fails`, () => assert.throws(() => parseMetricSelector(q), { message: msg }));
  }
});

describe("errors", () => {
  it("are ParseErrors carrying every error, reading as the first", () => {
    try {
      parse("foo and on(bar) group_left(baz) bar");
      assert.fail("should throw");
    } catch (e) {
      assert.ok(e instanceof ParseErrors);
      assert.ok(e instanceof ParseError);
      assert.deepEqual(
        e.errors.map((x) => x.detail),
        ['no grouping allowed for "and" operation', "set operations must always be many-to-many"],
      );
      assert.equal(e.message, '1:1: parse error: no grouping allowed for "and" operation');
      assert.equal(e.toString(), e.message);
      assert.deepEqual(e.pos, { start: 0, end: 35 });
      assert.equal(e.query, "foo and on(bar) group_left(baz) bar");
    }
  });

  it("count lines and byte columns", () => {
    assert.throws(() => parse('x{a="é"} +\n  foo('), {
      message: "2:7: parse error: unclosed left parenthesis",
    });
    assert.throws(() => parse('"é" + '), { message: "1:8: parse error: unexpected end of input" });
  });

  it("experimental functions are rejected unless enabled", () => {
    assert.throws(() => parseExpr('sort_by_label(x, "a")'), {
      message: '1:1: parse error: function "sort_by_label" is not enabled',
    });
    assert.doesNotThrow(() => parseExpr('sort_by_label(x, "a")', { experimentalFunctions: true }));
  });
});

describe("AST invariants", () => {
  it("selectors start without offset or @", () => {
    const e = parse("foo");
    assert.ok(e.type === "VectorSelector");
    assert.equal(e.offset, 0);
    assert.equal(e.at, null);
    assert.equal(e.name, "foo");
  });
  it("matching is dropped unless both sides are vectors", () => {
    const e = parse("1 + on() x");
    assert.ok(e.type === "BinaryExpr" && e.matching === null);
  });
  it("set operators are many-to-many", () => {
    const e = parse("x or y");
    assert.ok(e.type === "BinaryExpr" && e.matching?.card === "many-to-many");
  });
  it("function definitions are shared", () => {
    const a = parse("rate(x[5m])");
    const b = parse("rate(y[1m])");
    assert.ok(a.type === "Call" && b.type === "Call" && a.func === b.func);
  });
});
