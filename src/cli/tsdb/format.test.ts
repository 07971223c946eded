import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  describeFsError,
  formatBase2Bytes,
  formatDuration,
  formatGoFloat,
  formatGoTimeUTC,
  parseGoDuration,
  tabulate,
} from "./format.ts";

describe("formatDuration (Go's time.Duration.String)", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [1, "1ms"],
    [999, "999ms"],
    [1000, "1s"],
    [1001, "1.001s"],
    [1010, "1.01s"],
    [1100, "1.1s"],
    [60_000, "1m0s"],
    [2_708_001, "45m8.001s"],
    [5_000_001, "1h23m20.001s"],
    [7_200_000, "2h0m0s"],
    [3 * 86_400_000, "72h0m0s"],
    [-1500, "-1.5s"],
    [-7, "-7ms"],
  ];
  for (const [ms, want] of cases) it(`${ms} ms is ${want}`, () => assert.equal(formatDuration(ms), want));
});

describe("parseGoDuration (Go's time.ParseDuration, in ms)", () => {
  const cases: [string, number][] = [
    ["0", 0],
    ["1h", 3_600_000],
    ["1.5h", 5_400_000],
    ["1h30m", 5_400_000],
    ["300ms", 300],
    ["-2s", -2000],
    ["+2s", 2000],
    ["1500us", 1],
    ["1µs", 0],
    [".5s", 500],
    ["2h0m0s", 7_200_000],
  ];
  for (const [s, want] of cases) it(`${s} is ${want} ms`, () => assert.equal(parseGoDuration(s), want));

  const bad: [string, string][] = [
    ["", 'time: invalid duration ""'],
    ["abc", 'time: invalid duration "abc"'],
    ["5", 'time: missing unit in duration "5"'],
    ["1x", 'time: unknown unit "x" in duration "1x"'],
    [".s", 'time: invalid duration ".s"'],
    ["-", 'time: invalid duration "-"'],
  ];
  for (const [s, message] of bad) {
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseGoDuration(s), { message }));
  }
});

describe("formatGoFloat (fmt %g)", () => {
  // Expected strings are what promtool 3.5 printed for these values.
  const cases: [number, string][] = [
    [1, "1"],
    [0, "0"],
    [-0, "-0"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
    [3.5e20, "3.5e+20"],
    [1e-7, "1e-07"],
    [123456789, "1.23456789e+08"],
    [1234567, "1.234567e+06"],
    [123456, "123456"],
    [0.000012, "1.2e-05"],
    [0.0001, "0.0001"],
    [1e21, "1e+21"],
    [1e20, "1e+20"],
    [5e-324, "5e-324"],
    [-1.7976931348623157e308, "-1.7976931348623157e+308"],
    [2 ** 53 + 2, "9.007199254740994e+15"],
    [32.476, "32.476"],
  ];
  for (const [v, want] of cases) it(`${v} prints ${want}`, () => assert.equal(formatGoFloat(v), want));
});

describe("formatBase2Bytes (units.Base2Bytes)", () => {
  const cases: [number, string][] = [
    [0, "0B"],
    [636, "636B"],
    [1024, "1KiB"],
    [8296, "8KiB104B"],
    [1 << 20, "1MiB"],
    [(1 << 20) + 1, "1MiB1B"],
    [3 * 2 ** 30 + 5 * 1024, "3GiB5KiB"],
  ];
  for (const [n, want] of cases) it(`${n} is ${want}`, () => assert.equal(formatBase2Bytes(n), want));
});

describe("formatGoTimeUTC", () => {
  const cases: [number, string][] = [
    [0, "1970-01-01 00:00:00 +0000 UTC"],
    [1_000_000, "1970-01-01 00:16:40 +0000 UTC"],
    [1_700_000_000_999, "2023-11-14 22:13:20 +0000 UTC"],
    // Go divides toward zero: -1.5 s is second -1.
    [-1500, "1969-12-31 23:59:59 +0000 UTC"],
  ];
  for (const [ms, want] of cases) it(`${ms} is ${want}`, () => assert.equal(formatGoTimeUTC(ms), want));
});

describe("tabulate (text/tabwriter)", () => {
  it("pads every column but the last to the widest cell plus padding, at least the minimum", () => {
    const text = tabulate(
      [
        ["BLOCK ULID", "MIN TIME", "SIZE"],
        ["01M80R1D9E8ZNQWZ9D1T4KW6T3", "1000000", "636"],
        ["x", "1", "7"],
      ],
      13,
      2,
    );
    assert.equal(
      text,
      "BLOCK ULID                  MIN TIME     SIZE\n" +
        "01M80R1D9E8ZNQWZ9D1T4KW6T3  1000000      636\n" +
        "x                           1            7\n",
    );
  });

  it("counts code points, not UTF-16 units", () => {
    assert.equal(tabulate([["ü😀", "x"]], 0, 1), "ü😀 x\n");
  });
});

describe("describeFsError", () => {
  it("words Node's errno errors as Go does", () => {
    const err = Object.assign(new Error("ENOENT: no such file or directory, stat 'x'"), {
      code: "ENOENT",
      syscall: "stat",
      path: "x",
    });
    assert.equal(describeFsError(err), "stat x: no such file or directory");
    assert.equal(describeFsError(err, "open", "y"), "open y: no such file or directory");
  });

  it("keeps other errors' messages", () => {
    assert.equal(describeFsError(new Error("boom")), "boom");
  });
});
