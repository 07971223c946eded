import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alertsString, formatFloatUpperE, goTimeDuration, indentLines, samplesString } from "./format.ts";

describe("format", () => {
  const durations: [number, string][] = [
    [0, "0s"],
    [500, "500ms"],
    [1_500, "1.5s"],
    [60_000, "1m0s"],
    [3_723_500, "1h2m3.5s"],
    [-60_000, "-1m0s"],
  ];
  for (const [ms, want] of durations)
    it(`Go duration of ${ms}ms is ${want}`, () => assert.equal(goTimeDuration(ms), want));

  const floats: [number, string][] = [
    [0.375, "3.75E-01"],
    [2, "2E+00"],
    [0, "0E+00"],
    [-0, "-0E+00"],
    [1e100, "1E+100"],
    [1.9999999999999998, "1.9999999999999998E+00"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
  ];
  for (const [v, want] of floats)
    it(`FormatFloat 'E' of ${v} is ${want}`, () => assert.equal(formatFloatUpperE(v), want));

  it("indents every line but the first", () => assert.equal(indentLines("a\nb\nc", "  "), "a\n  b\n  c"));

  it("prints alert lists and sample lists as promtool", () => {
    assert.equal(alertsString([]), "[]");
    assert.equal(
      alertsString([
        { labels: [["a", "1"]], annotations: [] },
        { labels: [["a", "2"]], annotations: [["s", ""]] },
      ]),
      '[\n0:\n  Labels:{a="1"}\n  Annotations:{},\n1:\n  Labels:{a="2"}\n  Annotations:{s=""}\n]',
    );
    assert.equal(samplesString([]), "nil");
    assert.equal(
      samplesString([
        { labels: [["__name__", "x"]], value: 1 },
        { labels: [], value: 0.5 },
      ]),
      '{__name__="x"} 1E+00, {} 5E-01',
    );
  });
});
