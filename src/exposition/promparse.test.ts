import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadCorpus } from "../../conformance/exposition/corpus.ts";
import { parseFamilies } from "./families.ts";
import { Entry, type ParserLimits } from "./parser.ts";
import { PromParser } from "./promparse.ts";
import { errorOf } from "./testing/errors.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
/** One byte per char: for inputs with raw (invalid UTF-8 or NUL) bytes. */
const raw = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

type Row = readonly unknown[];

/** Every entry of `body` as a tuple; series rows carry their series text last. */
function entries(body: Uint8Array, opts: ParserLimits = {}): Row[] {
  const p = new PromParser(body, opts);
  const out: Row[] = [];
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e === Entry.Series) {
      const text = Buffer.from(body.subarray(p.seriesStart, p.seriesEnd)).toString();
      out.push(["series", p.metricName(), p.labels().toString(), p.value, p.timestampMs, text]);
    } else if (e === Entry.Help) out.push(["help", p.familyName(), p.text()]);
    else if (e === Entry.Type) out.push(["type", p.familyName(), p.type]);
    else if (e === Entry.Comment) out.push(["comment", p.text()]);
    else out.push(["unexpected entry", e]);
  }
  return out;
}

// Counts the series and metadata lines the fast path (`fastLine`) served, to
// prove that the agreement tests below exercise both paths.
const proto = PromParser.prototype as unknown as { fastLine: () => number };
const realFastLine = proto.fastLine;
let fastHits = 0;

// line, metric name, labels().toString(), value, timestamp, series text
type SeriesCase = [string, string, string, number, number | undefined, string];
const A = '{__name__="a"}';
const SERIES: SeriesCase[] = [
  ["a 1", "a", A, 1, undefined, "a"],
  ["a 1 2", "a", A, 1, 2, "a"],
  ["a 1 0", "a", A, 1, 0, "a"],
  ["a 1 0123", "a", A, 1, 123, "a"],
  ["a 1 1700000000000", "a", A, 1, 1700000000000, "a"],
  ["a\t1\t2", "a", A, 1, 2, "a"],
  ["a   1   2", "a", A, 1, 2, "a"],
  ["a 33  \t123123", "a", A, 33, 123123, "a"],
  ["a 1 ", "a", A, 1, undefined, "a"],
  ["  a 1", "a", A, 1, undefined, "a"],
  ["a NaN", "a", A, Number.NaN, undefined, "a"],
  ["a +Inf", "a", A, Number.POSITIVE_INFINITY, undefined, "a"],
  ["a -Inf", "a", A, Number.NEGATIVE_INFINITY, undefined, "a"],
  ["a -0", "a", A, -0, undefined, "a"],
  ["a .5", "a", A, 0.5, undefined, "a"],
  ["a -1.5e3", "a", A, -1500, undefined, "a"],
  ["a 4.9351e-05", "a", A, 4.9351e-5, undefined, "a"],
  ["_m:x 1", "_m:x", '{__name__="_m:x"}', 1, undefined, "_m:x"],
  ["a{} 1", "a", A, 1, undefined, "a{}"],
  ['a{b="c"} 1', "a", '{__name__="a", b="c"}', 1, undefined, 'a{b="c"}'],
  ['a{b=""} 1', "a", A, 1, undefined, 'a{b=""}'], // an empty value is an absent label
  ['a{b="c",} 1', "a", '{__name__="a", b="c"}', 1, undefined, 'a{b="c",}'],
  ['a{b="c" d="e"} 1', "a", '{__name__="a", b="c", d="e"}', 1, undefined, 'a{b="c" d="e"}'],
  ['a{d="e",b="c"} 1 5', "a", '{__name__="a", b="c", d="e"}', 1, 5, 'a{d="e",b="c"}'],
  ['a { b = "c" , d= "e", } 1', "a", '{__name__="a", b="c", d="e"}', 1, undefined, 'a { b = "c" , d= "e", }'],
  ['a{b="c"}\t1', "a", '{__name__="a", b="c"}', 1, undefined, 'a{b="c"}'],
  [
    String.raw`a{b="x\"y\\z\nw\tq"} 1`,
    "a",
    String.raw`{__name__="a", b="x\"y\\z\nw\\tq"}`, // \t is not an escape: kept verbatim
    1,
    undefined,
    String.raw`a{b="x\"y\\z\nw\tq"}`,
  ],
  ['a{b="héllo ✓"} 1', "a", '{__name__="a", b="héllo ✓"}', 1, undefined, 'a{b="héllo ✓"}'],
  ['a{b="\x00"} 1', "a", '{__name__="a", b="\\x00"}', 1, undefined, 'a{b="\x00"}'],
  ['a{"quoted"="v"} 1', "a", '{__name__="a", quoted="v"}', 1, undefined, 'a{"quoted"="v"}'],
  [
    '{"my.metric", "label.with.dot"="v"} 1',
    "my.metric",
    '{__name__="my.metric", "label.with.dot"="v"}',
    1,
    undefined,
    '{"my.metric", "label.with.dot"="v"}',
  ],
  ['{"my.metric"} 1 7', "my.metric", '{__name__="my.metric"}', 1, 7, '{"my.metric"}'],
  ['{b="c", "x y"} 1', "x y", '{__name__="x y", b="c"}', 1, undefined, '{b="c", "x y"}'],
];

describe("PromParser series lines", () => {
  before(() => {
    proto.fastLine = function (this: unknown) {
      const r = realFastLine.call(this);
      if (r !== -1) fastHits++;
      return r;
    };
  });
  after(() => {
    proto.fastLine = realFastLine;
  });

  let plainFast = 0;
  for (const [line, name, labels, value, ts, text] of SERIES) {
    const want = [["series", name, labels, value, ts, text]];
    it(`${JSON.stringify(line)}: fast path and token path agree`, () => {
      fastHits = 0;
      assert.deepEqual(entries(utf8(`${line}\n`)), want, "plain line");
      plainFast += fastHits;
      assert.deepEqual(entries(utf8(line)), want, "without a final newline");
      assert.deepEqual(entries(utf8(`\n\n${line}\n\n`)), want, "between blank lines");
      fastHits = 0;
      assert.deepEqual(entries(utf8(` ${line}\n`)), want, "after a leading space (token path)");
      assert.deepEqual(entries(utf8(`\t${line}`)), want, "after a leading tab (token path)");
      assert.equal(fastHits, 0, "a leading blank must force the token path");
    });
  }
  it("the plain lines mostly went through the fast path", () => {
    assert.ok(plainFast >= SERIES.length / 2, `fast path served only ${plainFast} lines`);
  });

  it("metadata agrees between the fast path and the token path", () => {
    for (const line of [
      "# HELP a some text",
      "# TYPE a counter",
      String.raw`# HELP a x\\y\nz`,
      "# HELP a  x",
    ]) {
      assert.deepEqual(entries(utf8(` ${line}\n`)), entries(utf8(`${line}\n`)), line);
    }
  });
});

describe("PromParser metadata and comments", () => {
  const cases: [string, Row[]][] = [
    ["# HELP a some text\n", [["help", "a", "some text"]]],
    [String.raw`# HELP a x\\y\nz\"q\t`, [["help", "a", 'x\\y\nz\\"q\\t']]], // \" is not a HELP escape
    ["# HELP a\n", [["help", "a", ""]]],
    ["# HELP a \n", [["help", "a", ""]]],
    ["# HELP a  two spaces\n", [["help", "a", " two spaces"]]],
    ["# HELP a\ttab\n", [["help", "a", "tab"]]],
    ['# HELP "my.metric" text\n', [["help", "my.metric", "text"]]],
    ['# TYPE "my.metric" gauge\n', [["type", "my.metric", "gauge"]]],
    ["# TYPE a counter\n", [["type", "a", "counter"]]],
    ["# TYPE a gauge\n", [["type", "a", "gauge"]]],
    ["# TYPE a histogram\n", [["type", "a", "histogram"]]],
    ["# TYPE a summary\n", [["type", "a", "summary"]]],
    ["# TYPE a untyped\n", [["type", "a", "unknown"]]],
    ["# \tTYPE a summary\n", [["type", "a", "summary"]]],
    ["# just a comment\n", [["comment", "# just a comment"]]],
    [
      "#nospace\n#\n",
      [
        ["comment", "#nospace"],
        ["comment", "#"],
      ],
    ],
    [
      "# HELPx a b\n# TYPEa b\n# Hrandom\n",
      [
        ["comment", "# HELPx a b"],
        ["comment", "# TYPEa b"],
        ["comment", "# Hrandom"],
      ],
    ],
    // Upstream's Comment() returns the raw text; escapes are not undone in comments.
    [
      String.raw`# comment with escaped \n newline and \\`,
      [["comment", String.raw`# comment with escaped \n newline and \\`]],
    ],
  ];
  for (const [body, want] of cases) {
    it(JSON.stringify(body), () => assert.deepEqual(entries(utf8(body)), want));
  }

  it("reads a whole exposition in order, blank lines and no final newline included", () => {
    const body = '\n# HELP x The x.\n# TYPE x gauge\nx{a="1"} 1\n\n\n# note\nx{a="2"} NaN 3\ny +Inf';
    assert.deepEqual(entries(utf8(body)), [
      ["help", "x", "The x."],
      ["type", "x", "gauge"],
      ["series", "x", '{__name__="x", a="1"}', 1, undefined, 'x{a="1"}'],
      ["comment", "# note"],
      ["series", "x", '{__name__="x", a="2"}', Number.NaN, 3, 'x{a="2"}'],
      ["series", "y", '{__name__="y"}', Number.POSITIVE_INFINITY, undefined, "y"],
    ]);
  });
});

describe("PromParser errors", () => {
  // input, error message: "line:column: " and upstream's wording
  const cases: [string, string][] = [
    ["a\n", '1:2: expected value after metric, got "\\n" ("INVALID") while parsing: "a\\n"'],
    // Upstream appends "\n" to the body, so an unterminated last line shows it.
    ["a", '1:2: expected value after metric, got "\\n" ("INVALID") while parsing: "a\\n"'],
    [
      'something_weird{problem="',
      '1:25: expected label value, got "\\"\\n" ("INVALID") while parsing: "something_weird{problem=\\"\\n"',
    ],
    ["a a\n", '1:3: strconv.ParseFloat: parsing "a": invalid syntax while parsing: "a a"'],
    ["foo 1_2\n", '1:5: unsupported character in float while parsing: "foo 1_2"'],
    ["a 1e400\n", '1:3: strconv.ParseFloat: parsing "1e400": value out of range while parsing: "a 1e400"'],
    [
      "foo 0 1_2\n",
      '1:8: expected next entry after timestamp, got "_" ("INVALID") while parsing: "foo 0 1_"',
    ],
    ['metric{@="bla"} 3.14', '1:8: expected label name, got "@" ("INVALID") while parsing: "metric{@"'],
    ['a{1b="c"} 1\n', '1:3: expected label name, got "1" ("INVALID") while parsing: "a{1"'],
    [
      'empty_label_name{=""} 0',
      '1:18: expected label name, got "=\\"" ("EQUAL") while parsing: "empty_label_name{=\\""',
    ],
    ['metric{label+="bla"} 3.14', '1:13: expected equal, got "+" ("INVALID") while parsing: "metric{label+"'],
    [
      "metric{label=bla} 3.14",
      '1:14: expected label value, got "b" ("INVALID") while parsing: "metric{label=b"',
    ],
    ["a{b=\n", '1:5: expected label value, got "\\n" ("INVALID") while parsing: "a{b=\\n"'],
    [
      'metric{label="bla"+} 3.14',
      '1:19: expected label name, got "+" ("INVALID") while parsing: "metric{label=\\"bla\\"+"',
    ],
    [
      'metric{label="bla"} 3.14 2 3\n',
      '1:28: expected next entry after timestamp, got "3\\n" ("TIMESTAMP") while parsing: "metric{label=\\"bla\\"} 3.14 2 3\\n"',
    ],
    [
      'metric{label="bla"} 3.14 2.72\n',
      '1:27: expected next entry after timestamp, got "." ("INVALID") while parsing: "metric{label=\\"bla\\"} 3.14 2."',
    ],
    [
      "decoy -1 -2\n",
      '1:10: expected timestamp or new record, got "-" ("INVALID") while parsing: "decoy -1 -"',
    ],
    [
      "a 1 9223372036854775808\n",
      '1:5: strconv.ParseInt: parsing "9223372036854775808": value out of range while parsing: "a 1 9223372036854775808"',
    ],
    ['{label="bla"} 3.14 2', '1:1: metric name not set while parsing: "{label=\\"bla\\"} 3.14"'],
    ['{"a","b"} 1', '1:6: metric name already set while parsing: "{\\"a\\",\\"b\\"}"'],
    [
      '@invalidmetric{label="bla"} 3.14 2',
      '1:1: expected a valid start token, got "@" ("INVALID") while parsing: "@"',
    ],
    ["# TYPE #\n", '1:8: expected metric name after TYPE, got "#" ("INVALID") while parsing: "# TYPE #"'],
    ["# TYPE a meh\n", '1:10: invalid metric type "meh"'],
    ["\n# TYPE met-ric\n", '2:12: invalid metric type "ric"'],
    ['a{b="\xff"} 1\n', '1:6: invalid UTF-8 label value: "\\"\\xff\\""'],
    ['a{\xff="foo"} 1\n', '1:3: expected label name, got "\\xff" ("INVALID") while parsing: "a{\\xff"'],
    ["# HELP a \xff\n", '1:10: help text "\\xff" is not a valid utf8 string'],
    // golex never matches a NUL byte inside a token, quoted names included.
    ['{"a\x00b"} 1\n', '1:2: expected label name, got "\\"a\\x00" ("INVALID") while parsing: "{\\"a\\x00"'],
    ['a{b=\x00"ssss"} 1\n', '1:5: expected label value, got "\\x00" ("INVALID") while parsing: "a{b=\\x00"'],
    [
      "a 0 1\x00",
      '1:6: expected next entry after timestamp, got "\\x00" ("INVALID") while parsing: "a 0 1\\x00"',
    ],
    ['a\x00{b="ddd"} 1', '1:2: expected value after metric, got "\\x00" ("INVALID") while parsing: "a\\x00"'],
    ["x 1\ny 2\nz{\n", '3:3: expected label name, got "\\n" ("INVALID") while parsing: "z{\\n"'],
    ["a 1\nb 2\nc a\n", '3:3: strconv.ParseFloat: parsing "a": invalid syntax while parsing: "c a"'],
    ["# HELP a x\n\n# TYPE a meh\n", '3:10: invalid metric type "meh"'],
  ];
  for (const [body, message] of cases) {
    it(JSON.stringify(body), () => assert.equal(errorOf(() => entries(raw(body))).message, message));
  }

  const dup: [string, string][] = [
    ['a{a="1",a="2"} 1\n', 'label name "a" is not unique: invalid sample'],
    ['metric{__name__="bla"} 3.14', 'label name "__name__" is not unique: invalid sample'],
    ['x 1\ny 1\n a{b="1", b="2"} 1\n', 'label name "b" is not unique: invalid sample'],
  ];
  for (const [body, detail] of dup) {
    it(`duplicate label name: ${JSON.stringify(body)} fails in labels()`, () => {
      const p = new PromParser(utf8(body));
      let e = p.next();
      while (e === Entry.Series && p.metricName() !== "a" && p.metricName() !== "metric") e = p.next();
      assert.equal(e, Entry.Series, "next() itself accepts the line");
      const err = errorOf(() => p.labels());
      assert.equal(err.detail, detail);
      assert.equal(err.line, body.split("\n").length - (body.endsWith("\n") ? 1 : 0));
    });
  }

  describe("scrape errors recorded from Prometheus 3.5.3 (conformance table)", () => {
    for (const c of loadCorpus()) {
      if (c.format !== "prometheus-text" || c.prometheus !== "reject") continue;
      it(c.name, () => {
        const e = errorOf(() => parseFamilies(c.body, c.format, { mode: "scrape" }));
        assert.equal(e.detail, c.prometheusError);
      });
    }
  });
});

describe("PromParser limits", () => {
  it("refuses a line longer than maxLineBytes, with the line's number", () => {
    for (const body of [
      "a 1\nbbbbbbbbbb 1\n",
      "a 1\n bbbbbbbbb 1\n",
      "a 1\n# HELP b xxxxxxxx\n",
      "a 1\n# xxxxxxxxxxxx\n",
    ]) {
      const e = errorOf(() => entries(utf8(body), { maxLineBytes: 8 }));
      assert.deepEqual([e.line, e.column, e.detail], [2, 1, "line longer than the limit of 8 bytes"], body);
    }
  });
  it("accepts lines within maxLineBytes", () => {
    assert.equal(entries(utf8("a 1\nb 2 3\n# c\n"), { maxLineBytes: 8 }).length, 3);
  });
  it("refuses a body larger than maxBodyBytes", () => {
    const e = errorOf(() => new PromParser(utf8("a 1\n"), { maxBodyBytes: 3 }));
    assert.deepEqual([e.line, e.column, e.detail], [1, 1, "body size limit exceeded: 4 bytes > 3 bytes"]);
    assert.equal(entries(utf8("a 1\n"), { maxBodyBytes: 4 }).length, 1);
    const viaFamilies = errorOf(() =>
      parseFamilies(utf8("a 1\nb 2\n"), "prometheus-text", { maxBodyBytes: 5 }),
    );
    assert.equal(viaFamilies.detail, "body size limit exceeded: 8 bytes > 5 bytes");
  });
});
