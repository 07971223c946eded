import assert from "node:assert/strict";
import { test } from "node:test";
import { FLOAT, HISTOGRAM, isStaleNaN, OMITTED, parseSeriesDesc, type SequenceValues } from "./series.ts";

/** Slots as readable strings: numbers, "_" for omitted, "stale", "H" for histograms. */
function slots(v: SequenceValues): string[] {
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    if (v.kinds[i] === OMITTED) out.push("_");
    else if (v.kinds[i] === HISTOGRAM) out.push("H");
    else if (isStaleNaN(v.floats[i]!)) out.push("stale");
    else out.push(String(v.floats[i]));
  }
  return out;
}

test("value sequences expand like upstream", () => {
  const cases: [string, string[]][] = [
    ["m 1 2 3", ["1", "2", "3"]],
    ["m 0+10x3", ["0", "10", "20", "30"]],
    ["m 10-2x2", ["10", "8", "6"]],
    ["m -1-1x2", ["-1", "-2", "-3"]],
    ["m 5x2", ["5", "5", "5"]],
    ["m _x3", ["_", "_", "_"]],
    ["m _ 1 _", ["_", "1", "_"]],
    ["m 1 stale 2", ["1", "stale", "2"]],
    // In series descriptions hex is not recognised: `0x5` is 0 repeated.
    ["m 0x5", ["0", "0", "0", "0", "0", "0"]],
    ["m Inf -Inf +Inf NaN nan", ["Infinity", "-Infinity", "Infinity", "NaN", "NaN"]],
    ["m 1e3 .5 1_000", ["1000", "0.5", "1000"]],
    // Go's ParseInt(s, 0, 64) first: a leading 0 is octal, unless it is not octal.
    ["m 017 09", ["15", "9"]],
    ["m\t1\t \t2", ["1", "2"]],
    ["m", []],
    ["m ", []],
    // Repeated addition, not multiplication.
    ["m 0.1+0.1x2", ["0.1", "0.2", String(0.1 + 0.1 + 0.1)]],
    ["m {{schema:1 sum:2 count:3}} {{}}x1", ["H", "H", "H"]],
    ["m {{count:1}}+{{count:2}}x2 3", ["H", "H", "H", "3"]],
  ];
  for (const [line, want] of cases) {
    assert.deepEqual(slots(parseSeriesDesc(line).values), want, line);
  }
});

test("_xN gives N slots, axN gives N+1 samples", () => {
  assert.equal(parseSeriesDesc("m _x10").values.length, 10);
  assert.equal(parseSeriesDesc("m 7x10").values.length, 11);
  assert.equal(parseSeriesDesc("m 0+10x10").values.length, 11);
});

test("the stale marker keeps its NaN payload", () => {
  const v = parseSeriesDesc("m stale").values;
  assert.equal(v.kinds[0], FLOAT);
  const u32 = new Uint32Array(v.floats.buffer, 0, 2);
  assert.equal(u32[0], 2);
  assert.equal(u32[1], 0x7ff00000);
  assert.ok(!isStaleNaN(Number.NaN));
});

test("series identifiers and label values", () => {
  const cases: [string, Record<string, string>][] = [
    ['http_requests{job="api", instance="0"} 1', { __name__: "http_requests", job: "api", instance: "0" }],
    ["ns:metric:rate5m 1", { __name__: "ns:metric:rate5m" }],
    ['{__name__="x", a="b",} 1', { __name__: "x", a: "b" }],
    ["{} 1", {}],
    ['{job="a"} 1', { job: "a" }],
    ['{"my.metric", "a b"="c"} 1', { __name__: "my.metric", "a b": "c" }],
    [
      "m{a=\"\\n\\t\\\"\\\\\", b='x\\'y', c=`raw\\n`} 1",
      { __name__: "m", a: '\n\t"\\', b: "x'y", c: "raw\\n" },
    ],
    ['m{a="\\u00e9\\xc3\\xa9\\101"} 1', { __name__: "m", a: "ééA" }],
    ['sum{by="x"} 1', { __name__: "sum", by: "x" }],
    // Invalid UTF-8 is kept as the parser keeps it in queries, so selectors match.
    ['m{a="\\xff"} 1', { __name__: "m", a: "\udcff" }],
  ];
  for (const [line, want] of cases) {
    assert.deepEqual(parseSeriesDesc(line).labels.toObject(), want, line);
  }
});

test("histogram literals are parsed", () => {
  const v = parseSeriesDesc(
    "m {{schema:-53 sum:5 count:4 z_bucket:1 z_bucket_w:0.5 buckets:[1 2] offset:-1 n_buckets:[3] n_offset:2 custom_values:[1 2] counter_reset_hint:gauge}}",
  ).values;
  const h = v.histograms.get(0)!;
  assert.deepEqual(h.base, {
    schema: -53,
    sum: 5,
    count: 4,
    zeroCount: 1,
    zeroThreshold: 0.5,
    buckets: [1, 2],
    offset: -1,
    nBuckets: [3],
    nOffset: 2,
    customValues: [1, 2],
    counterResetHint: "gauge",
    hintSet: true,
  });
  const ramp = parseSeriesDesc("m {{count:1}}-{{count:2}}x1").values;
  assert.equal(ramp.histograms.get(1)!.k, 1);
  assert.equal(ramp.histograms.get(1)!.sign, -1);
});

test("malformed series descriptions throw", () => {
  for (const line of [
    "m 1x",
    "m 1+2",
    "m foo",
    "m 1a",
    "m 1..2",
    'm{a="b} 1',
    "m{a=b} 1",
    'm{a=~"b"} 1',
    'm{a="b"}1',
    "m 1 2,",
    "m {{bogus:1}}",
    "m {{count:1}}+{{count:1}}",
    "m 1xa",
    "m _x-1",
    "(m) 1",
  ]) {
    assert.throws(() => parseSeriesDesc(line), Error, line);
  }
});

test("strings and numbers fail with the PromQL lexer's and parser's messages", () => {
  const cases: [string, string][] = [
    ['m{a="\\q"} 1', "unknown escape sequence U+0071 'q'"],
    ['m{a="b} 1', "unterminated quoted string"],
    ["m{a=`b} 1", "unterminated raw string"],
    ["m{a=b} 1", "expected a string literal at column 5"],
    ["m 1e400", 'error parsing number: strconv.ParseFloat: parsing "1e400": value out of range'],
  ];
  for (const [line, message] of cases) assert.throws(() => parseSeriesDesc(line), { message }, line);
});
