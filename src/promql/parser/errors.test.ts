import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParseError } from "./errors.ts";
import { MAX_NESTING_DEPTH, parseExpr } from "./parse.ts";

function message(q: string, experimentalFunctions = true): string {
  try {
    parseExpr(q, { experimentalFunctions });
  } catch (e) {
    assert.ok(e instanceof ParseError, `not a ParseError: ${String(e)}`);
    return e.message;
  }
  return "no error";
}

// Queries and the error Prometheus v3.5.3 reports for them (its /api/v1/format_query,
// run with experimental functions and duration expressions enabled). Many inputs
// come from upstream's parse_test.go; the rest probe the grammar's error paths.
const ERRORS: Array<[query: string, error: string]> = [
  ["#", "1:1: parse error: no expression found in input"],
  ["1+", "1:3: parse error: unexpected end of input"],
  [".", "1:1: parse error: unexpected character: '.'"],
  ["2.5.", '1:1: parse error: bad number or duration syntax: "2.5."'],
  ["100..4", '1:1: parse error: bad number or duration syntax: "100.."'],
  ["0deadbeef", '1:1: parse error: bad number or duration syntax: "0de"'],
  ["1 /", "1:4: parse error: unexpected end of input"],
  ["*1", "1:1: parse error: unexpected <op:*>"],
  ["(1))", "1:5: parse error: unexpected right parenthesis ')'"],
  ["((1)", "1:5: parse error: unclosed left parenthesis"],
  ["(", "1:2: parse error: unclosed left parenthesis"],
  ["1 and 1", '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ["1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"],
  ["1 or 1", '1:1: parse error: set operator "or" not allowed in binary scalar expression'],
  ["1 unless 1", '1:1: parse error: set operator "unless" not allowed in binary scalar expression'],
  ["1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"],
  ["1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"],
  [
    '-"string"',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"',
  ],
  [
    "-test[5m]",
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
  ],
  ["*test", "1:1: parse error: unexpected <op:*>"],
  ["@@", '1:1: parse error: unexpected "<Item 57400>" <op:@>'],
  [
    "1 offset 1d",
    "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
  ],
  ["foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"],
  ["a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"],
  ["foo and 1", '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ["1 and foo", '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ["foo or 1", '1:1: parse error: set operator "or" not allowed in binary scalar expression'],
  ["1 or foo", '1:1: parse error: set operator "or" not allowed in binary scalar expression'],
  ["foo unless 1", '1:1: parse error: set operator "unless" not allowed in binary scalar expression'],
  ["1 unless foo", '1:1: parse error: set operator "unless" not allowed in binary scalar expression'],
  ["1 or on(bar) foo", "1:1: parse error: vector matching only allowed between instant vectors"],
  ["foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"],
  ["foo + group_left(baz) bar", "1:7: parse error: unexpected <group_left>"],
  ["foo and on(bar) group_left(baz) bar", '1:1: parse error: no grouping allowed for "and" operation'],
  ["foo and on(bar) group_right(baz) bar", '1:1: parse error: no grouping allowed for "and" operation'],
  ["foo or on(bar) group_left(baz) bar", '1:1: parse error: no grouping allowed for "or" operation'],
  ["foo unless on(bar) group_right(baz) bar", '1:1: parse error: no grouping allowed for "unless" operation'],
  [
    'http_requests{group="production"} + on(instance) group_left(job,instance) cpu_count{type="smp"}',
    '1:35: parse error: label "instance" must not occur in ON and GROUP clause at once',
  ],
  ["foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"],
  ["foo + bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"],
  ["foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"],
  ["foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"],
  ["foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf"],
  ["foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"],
  [
    "foo @ 9223372036854775808",
    "1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000",
  ],
  [
    "foo @ -9223372036854775809",
    "1:1: parse error: timestamp out of bounds for @ modifier: -9223372036854775808.000000",
  ],
  ["{", "1:2: parse error: unexpected end of input inside braces"],
  ["}", "1:1: parse error: unexpected character: '}'"],
  ["some{", "1:6: parse error: unexpected end of input inside braces"],
  ["some}", "1:5: parse error: unexpected character: '}'"],
  ["some_metric{a=b}", '1:15: parse error: unexpected identifier "b" in label matching, expected string'],
  ['some_metric{a:b="b"}', "1:14: parse error: unexpected character inside braces: ':'"],
  ['foo{a*"b"}', "1:6: parse error: unexpected character inside braces: '*'"],
  ['foo{a>="b"}', "1:6: parse error: unexpected character inside braces: '>'"],
  ["foo{gibberish}", '1:14: parse error: unexpected "}" in label matching, expected label matching operator'],
  ["foo{1}", "1:5: parse error: unexpected character inside braces: '1'"],
  ["{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"],
  ['{x=""}', "1:1: parse error: vector selector must contain at least one non-empty matcher"],
  ['{x=~".*"}', "1:1: parse error: vector selector must contain at least one non-empty matcher"],
  ['{x!~".+"}', "1:1: parse error: vector selector must contain at least one non-empty matcher"],
  ['{x!="a"}', "1:1: parse error: vector selector must contain at least one non-empty matcher"],
  ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
  ["foo{__name__= =}", '1:15: parse error: unexpected "=" in label matching, expected string'],
  ["foo{,}", '1:5: parse error: unexpected "," in label matching, expected identifier or "}"'],
  ['foo{__name__ == "bar"}', '1:15: parse error: unexpected "=" in label matching, expected string'],
  [
    'foo{__name__="bar" lol}',
    '1:20: parse error: unexpected identifier "lol" in label matching, expected "," or "}"',
  ],
  ['foo{"a"=}', '1:9: parse error: unexpected "}" in label matching, expected string'],
  ["foo[5mm]", '1:5: parse error: bad number or duration syntax: "5mm"'],
  ["foo[5m1]", '1:5: parse error: bad number or duration syntax: "5m1"'],
  ["foo[5m:1m1]", '1:8: parse error: bad number or duration syntax: "1m1"'],
  ["foo[5y1hs]", '1:5: parse error: unknown unit "hs" in duration "5y1hs"'],
  ["foo[5m1h]", '1:5: parse error: not a valid duration string: "5m1h"'],
  ["foo[5m1m]", '1:5: parse error: not a valid duration string: "5m1m"'],
  ["foo[0m]", "1:5: parse error: duration must be greater than 0"],
  ['foo["5m"]', "1:5: parse error: unexpected character in duration expression: '\"'"],
  ["foo[]", '1:5: parse error: unexpected "]" in subquery selector, expected number or duration'],
  ["foo[-1]", "1:5: parse error: duration must be greater than 0"],
  ["some_metric[5m] OFFSET 1mm", '1:24: parse error: bad number or duration syntax: "1mm"'],
  [
    "some_metric[5m] OFFSET",
    "1:23: parse error: unexpected end of input in offset, expected number or duration",
  ],
  ["some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"],
  ["some_metric[5m] @", "1:18: parse error: unexpected end of input in @, expected timestamp"],
  ["some_metric @ 1234 [5m]", "1:20: parse error: no @ modifiers allowed before range"],
  ["(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"],
  ['sum by ("foo)(some_metric{})', "1:9: parse error: unterminated quoted string"],
  ["sum without(==)(some_metric)", "1:13: parse error: unexpected <op:==> in grouping opts, expected label"],
  ["sum without(,)(some_metric)", '1:13: parse error: unexpected "," in grouping opts, expected label'],
  ["sum without(foo,,)(some_metric)", '1:17: parse error: unexpected "," in grouping opts, expected label'],
  ["sum some_metric by (test)", '1:5: parse error: unexpected identifier "some_metric"'],
  [
    "sum (some_metric) by test",
    '1:22: parse error: unexpected identifier "test" in grouping opts, expected "("',
  ],
  ["sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided"],
  ["MIN keep_common (some_metric)", '1:5: parse error: unexpected identifier "keep_common"'],
  ["MIN (some_metric) keep_common", '1:19: parse error: unexpected identifier "keep_common"'],
  ["sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>"],
  ["sum without (test) (some_metric) by (test)", "1:34: parse error: unexpected <by>"],
  [
    "topk(some_metric)",
    "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1",
  ],
  ["topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args"],
  [
    "topk(some_metric, other_metric)",
    "1:6: parse error: expected type scalar in aggregation parameter, got instant vector",
  ],
  [
    "count_values(5, other_metric)",
    "1:14: parse error: expected type string in aggregation parameter, got scalar",
  ],
  [
    "rate(some_metric[5m]) @ 1234",
    "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
  ],
  ["floor()", '1:1: parse error: expected 1 argument(s) in call to "floor", got 0'],
  ["floor(some_metric, other_metric)", '1:1: parse error: expected 1 argument(s) in call to "floor", got 2'],
  ["floor(some_metric, 1)", '1:1: parse error: expected 1 argument(s) in call to "floor", got 2'],
  ["floor(1)", '1:7: parse error: expected type instant vector in call to function "floor", got scalar'],
  [
    "hour(some_metric, some_metric, some_metric)",
    '1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3',
  ],
  ["time(some_metric)", '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
  [
    "non_existent_function_far_bar()",
    '1:1: parse error: unknown function with name "non_existent_function_far_bar"',
  ],
  [
    "rate(some_metric)",
    '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
  ],
  ["-=", '1:2: parse error: unexpected "="'],
  ["++-++-+-+-<", "1:11: parse error: unexpected <op:<>"],
  ["e-+=/(0)", '1:4: parse error: unexpected "="'],
  ["a>b()", '1:3: parse error: unknown function with name "b"'],
  [
    "rate(avg)",
    '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
  ],
  ["`\\``", "1:4: parse error: unterminated raw string"],
  ['"\\', "1:1: parse error: escape sequence not terminated"],
  ['"\\c"', "1:1: parse error: unknown escape sequence U+0063 'c'"],
  ['"\\x."', "1:1: parse error: illegal character U+002E '.' in escape sequence"],
  ['foo{bar="baz"}[', "1:16: parse error: unexpected end of input in duration expression"],
  [
    "test[5d] OFFSET 10s [10m:5s]",
    "1:1: parse error: subquery is only allowed on instant vector, got matrix instead",
  ],
  [
    '(foo + bar{nm="val"})[5m:][10m:5s]',
    "1:1: parse error: subquery is only allowed on instant vector, got matrix instead",
  ],
  ["rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors"],
  ["rate(food[1m])[1h] @ 100", "1:15: parse error: ranges only allowed for vector selectors"],
  [
    'info(rate(http_request_counter_total{}[5m]), target_info{foo="bar"})',
    "1:46: parse error: expected label selectors only, got vector selector instead",
  ],
  ['info(x, {a="b"} == 1)', "unexpected error"],
  ["foo[5s/0d]", "1:7: parse error: division by zero"],
  ["foo offset (4d/0)", "1:15: parse error: division by zero"],
  ["foo[5s%0d]", "1:7: parse error: modulo by zero"],
  ["foo offset 9.5e10", "1:12: parse error: duration out of range"],
  ["foo[9.5e10]", "1:5: parse error: duration out of range"],
  ["sum(", "1:5: parse error: unclosed left parenthesis"],
  ["sum(rate(", "1:10: parse error: unclosed left parenthesis"],
  ["foo[5s x 5s x 5s]", "1:13: parse error: unexpected colon 'x'"],
  ["x[5m 5m]", '1:6: parse error: unexpected duration "5m" in subquery or range, expected ":" or "]"'],
  ["x[5m + ]", '1:8: parse error: unexpected "]" in subquery selector, expected number or duration'],
  ["x[5m + 1m 3]", '1:11: parse error: unexpected number "3" in subquery or range, expected ":" or "]"'],
  ["x[5m:1m 3]", '1:9: parse error: unexpected number "3" in subquery selector, expected "]"'],
  ["x[5m:+]", '1:7: parse error: unexpected "]" in subquery selector, expected number or duration or "]"'],
  ["x[(5m 3)]", '1:7: parse error: unexpected number "3" in subquery selector, expected number or duration'],
  ["sum(foo bar)", '1:9: parse error: unexpected identifier "bar" in aggregation'],
  ["sum(rate(foo bar))", '1:14: parse error: unexpected identifier "bar" in aggregation'],
  ["rate(foo bar)", '1:10: parse error: unexpected identifier "bar"'],
  ["sum(x) by", '1:10: parse error: unexpected end of input in grouping opts, expected "("'],
  ["sum(x) by (a b)", '1:14: parse error: unexpected identifier "b" in grouping opts, expected "," or ")"'],
  ["sum by (a,", "1:11: parse error: unclosed left parenthesis"],
  ["x offset foo", '1:10: parse error: unexpected identifier "foo" in offset, expected number or duration'],
  ["x @ foo", '1:5: parse error: unexpected identifier "foo" in @, expected timestamp'],
  ["x @ start", "1:10: parse error: unexpected end of input in @, expected timestamp"],
  ["x @ (1)", '1:5: parse error: unexpected "(" in @, expected timestamp'],
  ['x{a="b" c}', '1:9: parse error: unexpected identifier "c" in label matching, expected "," or "}"'],
  ["x{a}", '1:4: parse error: unexpected "}" in label matching, expected label matching operator'],
  ["x{a=}", '1:5: parse error: unexpected "}" in label matching, expected string'],
  ['x{a="b",,}', '1:9: parse error: unexpected "," in label matching, expected identifier or "}"'],
  ["a + on b", '1:8: parse error: unexpected identifier "b" in grouping opts, expected "("'],
  ["a + on(", "1:8: parse error: unclosed left parenthesis"],
  ["a + bool", "1:9: parse error: unexpected end of input"],
  ["(a b)", '1:4: parse error: unexpected identifier "b"'],
  ["foo(a,", "1:7: parse error: unclosed left parenthesis"],
  ["abs(a,,b)", "1:6: parse error: trailing commas not allowed in function call args"],
  ["abs(a, bool)", "1:6: parse error: trailing commas not allowed in function call args"],
  ["abs(a, ]", "1:8: parse error: unexpected right bracket ']'"],
  ["sum(a,)", "1:6: parse error: trailing commas not allowed in function call args"],
  ["x[5m+foo]", '1:6: parse error: unexpected "f" in subquery selector, expected number or duration'],
  ["x[(foo)]", "1:4: parse error: unexpected character in duration expression: 'f'"],
  ["x[5m:foo]", "1:6: parse error: unexpected colon 'f'"],
  ["x[:5m]", "1:4: parse error: unexpected colon before duration in duration expression"],
  ["x[5m::]", "1:6: parse error: unexpected colon ':'"],
  ['x[5m "a"]', '1:6: parse error: unexpected string "\\"a\\"" in subquery or range, expected ":" or "]"'],
  ["x[5m{", '1:5: parse error: unexpected "{" in subquery or range, expected ":" or "]"'],
  ["x[5m,1m]", '1:5: parse error: unexpected "," in subquery or range, expected ":" or "]"'],
  ["x[5m]]", "1:6: parse error: unexpected right bracket ']'"],
  ["x[[5m]]", "1:3: parse error: unexpected character in duration expression: '['"],
  ["x[5m[", "1:5: parse error: unexpected left bracket '['"],
  ["x[5m:1m", "1:8: parse error: unclosed left bracket"],
  ["x[", "1:3: parse error: unexpected end of input in duration expression"],
  ["x[5m)", "1:6: parse error: unexpected right parenthesis ')'"],
  ["x[5m@1]", '1:5: parse error: unexpected "<Item 57400>" <op:@> in subquery or range, expected ":" or "]"'],
  ["0x1e", '1:1: parse error: bad number or duration syntax: "0x1e"'],
  ["0x1.8p1", '1:1: parse error: bad number or duration syntax: "0x1."'],
  ["1e", '1:1: parse error: bad number or duration syntax: "1e"'],
  ["1e+", '1:1: parse error: bad number or duration syntax: "1e+"'],
  ["1__0", '1:1: parse error: bad number or duration syntax: "1__"'],
  ["1_", '1:1: parse error: bad number or duration syntax: "1_"'],
  ["0o17", '1:1: parse error: bad number or duration syntax: "0"'],
  ["sum by (inf) (x)", '1:9: parse error: unexpected number "inf" in grouping opts, expected label'],
  ['nan{a="b"}', '1:4: parse error: unexpected "{"'],
  ["1.5h", '1:1: parse error: unknown unit "." in duration "1.5h"'],
  ["5 m", '1:3: parse error: unexpected identifier "m"'],
  ["5mx", '1:1: parse error: bad number or duration syntax: "5mx"'],
  ["x by", "1:3: parse error: unexpected <by>"],
  ["x bool", "1:3: parse error: unexpected <bool>"],
  ["on", "1:1: parse error: unexpected <on>"],
  ["atan2", "1:1: parse error: unexpected <op:atan2>"],
  ["group_left", "1:1: parse error: unexpected <group_left>"],
  ['x{a=~"("}', "1:3: parse error: error parsing regexp: missing closing ): `(`"],
  ['"a" + 1', "1:1: parse error: binary expression must contain only scalar and instant vector types"],
  ["x[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"],
  ["x + on(a) group_left(a) y", '1:3: parse error: label "a" must not occur in ON and GROUP clause at once'],
  ["x unless on(a) group_right y", '1:1: parse error: no grouping allowed for "unless" operation'],
  ['"a"[5m:]', "1:1: parse error: subquery is only allowed on instant vector, got string instead"],
  [
    'label_join(x, "a", ",", "b", 1)',
    '1:30: parse error: expected type string in call to function "label_join", got scalar',
  ],
  ["round(x, 1, 2)", '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
  ["hour(x, y)", '1:1: parse error: expected at most 1 argument(s) in call to "hour", got 2'],
  ['vector("a")', '1:8: parse error: expected type scalar in call to function "vector", got string'],
  [
    "histogram_quantile(0.9, x, y)",
    '1:1: parse error: expected 2 argument(s) in call to "histogram_quantile", got 3',
  ],
  [
    "sort_by_label(x, 1)",
    '1:18: parse error: expected type string in call to function "sort_by_label", got scalar',
  ],
  ["info(1, foo)", "1:9: parse error: expected label selectors only, got vector selector instead"],
  ['info(x, {a="b"}, {c="d"})', '1:1: parse error: expected at most 2 argument(s) in call to "info", got 3'],
  [
    "sum(x[5m])",
    "1:5: parse error: expected type instant vector in aggregation expression, got range vector",
  ],
  [
    "topk(x, y[5m])",
    "1:9: parse error: expected type instant vector in aggregation expression, got range vector",
  ],
  ['quantile("a", x)', "1:10: parse error: expected type scalar in aggregation parameter, got string"],
  [
    "sum(x, y)",
    "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2",
  ],
  ["x offset 5m offset 1m", "1:1: parse error: offset may not be set multiple times"],
  ["x @ 5 offset 1m @ 3", "1:1: parse error: @ <timestamp> may not be set multiple times"],
  [
    '"a" offset 1m',
    "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
  ],
  [
    "abs(x) @ 1",
    "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
  ],
  [
    "1 @ 1",
    "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
  ],
  ['sum by ("") (x)', '1:9: parse error: invalid label name for grouping: ""'],
  ["x / on() group_right on", '1:22: parse error: unexpected <on> in grouping opts, expected "("'],
  ["abs(sum(x+))", "unexpected error"],
  ["(sum(x+))", "unexpected error"],
  ["x !", "1:3: parse error: unexpected character after '!': '�'"],
  [
    "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001e",
    '1:1: parse error: bad number or duration syntax: "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001e"',
  ],
  ['"unterminated', "1:1: parse error: unterminated quoted string"],
  ["10000000y", "1:1: parse error: duration out of range"],
  ["x @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"],
  [
    "sum(x) @ start()",
    "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
  ],
];

// The same with experimental functions disabled (promtool v3.5.3's `promql format`).
const EXPERIMENTAL_DISABLED: Array<[query: string, error: string]> = [
  [
    "limitk(1, x)",
    "1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions",
  ],
  [
    "limit_ratio(0.5, x)",
    "1:1: parse error: limit_ratio() is experimental and must be enabled with --enable-feature=promql-experimental-functions",
  ],
  ["limitk()", "1:1: parse error: no arguments for aggregate expression provided"],
  [
    "limitk(x)",
    "1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions",
  ],
  [
    "limit_ratio(1, x, y)",
    "1:1: parse error: limit_ratio() is experimental and must be enabled with --enable-feature=promql-experimental-functions",
  ],
  ['sort_by_label(x, "a")', '1:1: parse error: function "sort_by_label" is not enabled'],
  ['sort_by_label_desc(x, "a")', '1:1: parse error: function "sort_by_label_desc" is not enabled'],
  [
    "double_exponential_smoothing(x[5m], 0.5, 0.5)",
    '1:1: parse error: function "double_exponential_smoothing" is not enabled',
  ],
  ["mad_over_time(x[5m])", '1:1: parse error: function "mad_over_time" is not enabled'],
  ["ts_of_min_over_time(x[5m])", '1:1: parse error: function "ts_of_min_over_time" is not enabled'],
  ["ts_of_max_over_time(x[5m])", '1:1: parse error: function "ts_of_max_over_time" is not enabled'],
  ["ts_of_last_over_time(x[5m])", '1:1: parse error: function "ts_of_last_over_time" is not enabled'],
  ["info(x)", '1:1: parse error: function "info" is not enabled'],
  ["sort_by_label(x, y, z) + foo()", '1:1: parse error: function "sort_by_label" is not enabled'],
  ["foo() + sort_by_label(x)", '1:1: parse error: unknown function with name "foo"'],
  [
    "sum(limitk(1, x))",
    "1:5: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions",
  ],
  ["limitk(1, sort_by_label(x))", '1:11: parse error: function "sort_by_label" is not enabled'],
  ["holt_winters(x[5m], 0.1, 0.1)", '1:1: parse error: unknown function with name "holt_winters"'],
  ["first_over_time(x[5m])", '1:1: parse error: unknown function with name "first_over_time"'],
  ["rate(x[5m]) + limitk", "no error"],
];

// Duration expressions that evaluate out of bounds: upstream parses them and fails
// when preparing the query, with byte offsets of the expression (its /api/v1/query).
const DURATION_ERRORS: Array<[query: string, error: string]> = [
  ["x[5m-10m]", "2:8: duration must be greater than 0"],
  ["x[5m:1m-2m]", "5:10: duration must be greater than 0"],
  ["x[2^70]", "2:6: duration is out of range"],
  ["x offset (2^70)", "10:14: duration is out of range"],
  ["x offset -(2^70)", "9:15: duration is out of range"],
  ["x[-(2^70)]", "2:8: duration must be greater than 0"],
  ["x[1m/(1-1)]", "2:9: division by zero"],
  ["x[1m%(1-1)]", "2:9: modulo by zero"],
  ["x offset (1m/(1-1))", "10:17: division by zero"],
  ["x[3m:(1m-2m)]", "6:11: duration must be greater than 0"],
  ["x[3m:(1m-1m)]", "6:11: duration must be greater than 0"],
  ["sum_over_time(x[(1m-1m)])", "17:22: duration must be greater than 0"],
  // Upstream's order: a subquery's offset, then its step, then its range; a
  // range selector's range before its selector's offset; outer nodes first.
  ["x[(1m-2m):(1m-3m)]", "11:16: duration must be greater than 0"],
  ["x[(1m-2m)] offset (1/(1-1))", "3:8: duration must be greater than 0"],
  ["sum_over_time(x[(1m-2m)])[(1m-3m):]", "27:32: duration must be greater than 0"],
  ["x[(1m-2m):] @ 1 offset (1/(1-1))", "24:30: division by zero"],
  ["x[5m:(1m-2m)] offset (1/(1-1))", "22:28: division by zero"],
  ["x offset (1/(1-1)) [(1m-2m):]", "21:26: duration must be greater than 0"],
  // Byte offsets, not UTF-16 indices.
  ['x{a="é"}[5m-10m]', "10:16: duration must be greater than 0"],
];

describe("parse errors (upstream v3.5.3 messages)", () => {
  for (const [q, want] of ERRORS) {
    it(JSON.stringify(q).slice(0, 80), () => assert.equal(message(q), want));
  }
});

describe("experimental functions disabled", () => {
  for (const [q, want] of EXPERIMENTAL_DISABLED) {
    it(q, () => assert.equal(message(q, false), want));
  }
});

describe("duration expression evaluation errors", () => {
  for (const [q, want] of DURATION_ERRORS) {
    it(q, () => {
      assert.equal(message(q), want);
      try {
        parseExpr(q);
      } catch (e) {
        assert.ok(e instanceof ParseError && e.kind === "duration");
      }
    });
  }
  it("offsets may evaluate to zero or below", () => {
    assert.equal(message("x offset (1m-2m)"), "no error");
    assert.equal(message("x[5m:1m] offset (1m-2m*0)"), "no error");
  });
});

describe("special errors", () => {
  it("an empty query has no position", () => {
    assert.equal(message(""), "unknown position: parse error: no expression found in input");
  });
  it("a query of comments has no expression", () => {
    assert.equal(message("# just a comment\n\n"), "1:1: parse error: no expression found in input");
  });
  it("upstream's parser panics become 'unexpected error'", () => {
    for (const q of [
      "info(x, 1)",
      'info(x, {a="b"} == 1)',
      "abs(sum(x+))",
      "(sum(x+))",
      "abs(sum(x+) by (a))",
    ]) {
      const m = message(q);
      assert.equal(m, "unexpected error", q);
    }
    assert.equal(message("sum(sum(x+))"), '1:11: parse error: unexpected ")" in aggregation');
    assert.equal(message("(sum without (a) (x+))"), '1:21: parse error: unexpected ")" in aggregation');
  });
  it("absurd nesting is refused, not a stack overflow", () => {
    const deep = `${"(".repeat(MAX_NESTING_DEPTH + 1)}1${")".repeat(MAX_NESTING_DEPTH + 1)}`;
    assert.match(message(deep), /parse error: query is nested too deeply/);
    const chain = Array.from({ length: MAX_NESTING_DEPTH + 2 }, () => "x").join(" + ");
    assert.match(message(chain), /parse error: query is nested too deeply/);
    assert.match(message(`${"-".repeat(5000)}x`), /nested too deeply/);
    assert.match(message(`x${"[1m:]".repeat(2000)}`), /nested too deeply/);
    assert.match(message(`x[${"(".repeat(3000)}1${")".repeat(3000)}]`), /nested too deeply/);
    const ok = `${"(".repeat(MAX_NESTING_DEPTH - 1)}1${")".repeat(MAX_NESTING_DEPTH - 1)}`;
    assert.equal(message(ok), "no error");
  });
});
