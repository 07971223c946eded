import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, goRound, parseDuration, secondsToMs } from "./duration.ts";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("parseDuration", () => {
  const ok: Array<[string, number]> = [
    ["0", 0],
    ["0s", 0],
    ["1ms", 1],
    ["5s", 5 * S],
    ["5m", 5 * M],
    ["1h30m", 90 * M],
    ["1m30ms", M + 30],
    ["1d", D],
    ["2w", 14 * D],
    ["1y", 365 * D],
    ["1y2w3d4h5m6s7ms", 365 * D + 14 * D + 3 * D + 4 * H + 5 * M + 6 * S + 7],
    ["120s", 120 * S],
  ];
  for (const [s, ms] of ok) it(`${s} is ${ms}ms`, () => assert.equal(parseDuration(s), ms));

  const bad: Array<[string, string]> = [
    ["", "empty duration string"],
    ["5m1h", 'not a valid duration string: "5m1h"'],
    ["5m1m", 'not a valid duration string: "5m1m"'],
    ["5y1hs", 'unknown unit "hs" in duration "5y1hs"'],
    ["1.5h", 'unknown unit "." in duration "1.5h"'],
    ["h", 'not a valid duration string: "h"'],
    ["5", 'not a valid duration string: "5"'],
    ["-5m", 'not a valid duration string: "-5m"'],
    ["10000000y", "duration out of range"],
    ["293y", "duration out of range"],
    ["106751d23h47m16s855ms", "duration out of range"],
  ];
  for (const [s, msg] of bad)
    it(`${JSON.stringify(s)} fails: ${msg}`, () => assert.throws(() => parseDuration(s), { message: msg }));

  it("accepts the largest duration upstream accepts", () => {
    assert.equal(parseDuration("106751d23h47m16s854ms"), 106751 * D + 23 * H + 47 * M + 16 * S + 854);
    assert.equal(parseDuration("292y"), 292 * 365 * D);
  });
});

describe("formatDuration", () => {
  const cases: Array<[number, string]> = [
    [0, "0s"],
    [1, "1ms"],
    [1500, "1s500ms"],
    [90 * M, "1h30m"],
    [365 * D, "1y"],
    [366 * D, "366d"],
    [14 * D, "2w"],
    [15 * D, "15d"],
    [5 * 365 * D, "5y"],
    [D + 1, "1d1ms"],
    [-5 * M, "-5m"],
  ];
  for (const [ms, s] of cases) it(`${ms}ms prints as ${s}`, () => assert.equal(formatDuration(ms), s));
});

describe("seconds to milliseconds", () => {
  it("rounds half away from zero like Go", () => {
    assert.equal(goRound(2.5), 3);
    assert.equal(goRound(-2.5), -3);
    assert.equal(goRound(-0.4), -0);
  });
  const cases: Array<[number, number]> = [
    [1.005, 1005],
    [4.0185, 4018],
    [0.0001, 0],
    [-1.5, -1500],
    [300, 300_000],
  ];
  for (const [sec, ms] of cases) it(`${sec}s is ${ms}ms`, () => assert.equal(secondsToMs(sec), ms));
});
