import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FUNCTIONS } from "./functions.ts";
import { parseExpr } from "./parse.ts";

// Prometheus v3.5.3's function table (checked against the binary by oracle.test.ts).
const SIGNATURES: Array<[name: string, signature: string]> = [
  ["abs", "vector -> vector"],
  ["absent", "vector -> vector"],
  ["absent_over_time", "matrix -> vector"],
  ["acos", "vector -> vector"],
  ["acosh", "vector -> vector"],
  ["asin", "vector -> vector"],
  ["asinh", "vector -> vector"],
  ["atan", "vector -> vector"],
  ["atanh", "vector -> vector"],
  ["avg_over_time", "matrix -> vector"],
  ["ceil", "vector -> vector"],
  ["changes", "matrix -> vector"],
  ["clamp", "vector,scalar,scalar -> vector"],
  ["clamp_max", "vector,scalar -> vector"],
  ["clamp_min", "vector,scalar -> vector"],
  ["cos", "vector -> vector"],
  ["cosh", "vector -> vector"],
  ["count_over_time", "matrix -> vector"],
  ["days_in_month", "vector -> vector variadic 1"],
  ["day_of_month", "vector -> vector variadic 1"],
  ["day_of_week", "vector -> vector variadic 1"],
  ["day_of_year", "vector -> vector variadic 1"],
  ["deg", "vector -> vector"],
  ["delta", "matrix -> vector"],
  ["deriv", "matrix -> vector"],
  ["double_exponential_smoothing", "matrix,scalar,scalar -> vector experimental"],
  ["exp", "vector -> vector"],
  ["floor", "vector -> vector"],
  ["histogram_avg", "vector -> vector"],
  ["histogram_count", "vector -> vector"],
  ["histogram_fraction", "scalar,scalar,vector -> vector"],
  ["histogram_quantile", "scalar,vector -> vector"],
  ["histogram_stddev", "vector -> vector"],
  ["histogram_stdvar", "vector -> vector"],
  ["histogram_sum", "vector -> vector"],
  ["hour", "vector -> vector variadic 1"],
  ["idelta", "matrix -> vector"],
  ["increase", "matrix -> vector"],
  ["info", "vector,vector -> vector variadic 1 experimental"],
  ["irate", "matrix -> vector"],
  ["label_join", "vector,string,string,string -> vector variadic -1"],
  ["label_replace", "vector,string,string,string,string -> vector"],
  ["last_over_time", "matrix -> vector"],
  ["ln", "vector -> vector"],
  ["log10", "vector -> vector"],
  ["log2", "vector -> vector"],
  ["mad_over_time", "matrix -> vector experimental"],
  ["max_over_time", "matrix -> vector"],
  ["min_over_time", "matrix -> vector"],
  ["minute", "vector -> vector variadic 1"],
  ["month", "vector -> vector variadic 1"],
  ["pi", " -> scalar"],
  ["predict_linear", "matrix,scalar -> vector"],
  ["present_over_time", "matrix -> vector"],
  ["quantile_over_time", "scalar,matrix -> vector"],
  ["rad", "vector -> vector"],
  ["rate", "matrix -> vector"],
  ["resets", "matrix -> vector"],
  ["round", "vector,scalar -> vector variadic 1"],
  ["scalar", "vector -> scalar"],
  ["sgn", "vector -> vector"],
  ["sin", "vector -> vector"],
  ["sinh", "vector -> vector"],
  ["sort", "vector -> vector"],
  ["sort_by_label", "vector,string -> vector variadic -1 experimental"],
  ["sort_by_label_desc", "vector,string -> vector variadic -1 experimental"],
  ["sort_desc", "vector -> vector"],
  ["sqrt", "vector -> vector"],
  ["stddev_over_time", "matrix -> vector"],
  ["stdvar_over_time", "matrix -> vector"],
  ["sum_over_time", "matrix -> vector"],
  ["tan", "vector -> vector"],
  ["tanh", "vector -> vector"],
  ["time", " -> scalar"],
  ["timestamp", "vector -> vector"],
  ["ts_of_last_over_time", "matrix -> vector experimental"],
  ["ts_of_max_over_time", "matrix -> vector experimental"],
  ["ts_of_min_over_time", "matrix -> vector experimental"],
  ["vector", "scalar -> vector"],
  ["year", "vector -> vector variadic 1"],
];

describe("FUNCTIONS", () => {
  it("holds exactly v3.5's functions", () => {
    assert.deepEqual([...FUNCTIONS.keys()].sort(), SIGNATURES.map(([n]) => n).sort());
  });
  for (const [name, sig] of SIGNATURES) {
    it(`${name}: ${sig}`, () => {
      const f = FUNCTIONS.get(name)!;
      const got = `${f.argTypes.join(",")} -> ${f.returnType}${f.variadic ? ` variadic ${f.variadic}` : ""}${f.experimental ? " experimental" : ""}`;
      assert.equal(got, sig);
      assert.equal(f.name, name);
    });
  }
  it("does not know functions removed before or added after v3.5", () => {
    for (const name of [
      "holt_winters",
      "first_over_time",
      "ts_of_first_over_time",
      "histogram_quantiles",
      "integral",
      "step",
    ]) {
      assert.equal(FUNCTIONS.has(name), false, name);
      assert.throws(() => parseExpr(`${name}(x)`, { experimentalFunctions: true }), {
        message: `1:1: parse error: unknown function with name "${name}"`,
      });
    }
  });
  it("is immutable", () => {
    const f = FUNCTIONS.get("rate")!;
    assert.ok(Object.isFrozen(f) && Object.isFrozen(f.argTypes));
  });
});
