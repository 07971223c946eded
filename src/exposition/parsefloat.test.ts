import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 } from "../testing/prng.ts";
import {
  type FloatErrorReason,
  type FloatResult,
  latin1,
  parseFloatBytes,
  parseIntBytes,
} from "./parsefloat.ts";

const enc = new TextEncoder();

/** Parses `s` embedded in surrounding bytes, so offsets other than 0 are exercised too. */
function pf(s: string): FloatResult & { ok: boolean } {
  const b = enc.encode(`xx${s}yy`);
  const out: FloatResult = { value: 123, error: "syntax" };
  const ok = parseFloatBytes(b, 2, b.length - 2, out);
  return { ok, value: out.value, error: out.error };
}

function pi(s: string): number | undefined {
  const b = enc.encode(`7${s}7`);
  return parseIntBytes(b, 1, b.length - 1);
}

describe("parseFloatBytes (Go strconv.ParseFloat after refusing p, P and _)", () => {
  const ok: [string, number][] = [
    ["1", 1],
    ["-1", -1],
    ["+1", 1],
    ["1.5", 1.5],
    [".5", 0.5],
    ["-.5", -0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["1E-3", 0.001],
    ["1e+06", 1e6],
    ["0.1", 0.1],
    ["0.05", 0.05],
    ["10.05", 10.05],
    ["08", 8],
    ["0", 0],
    ["-0", -0],
    ["+0", 0],
    ["-0.0e5", -0],
    ["123456789012345678901234567890", 1.2345678901234568e29],
    ["9007199254740993", 9007199254740992], // round half to even, not 9007199254740994
    ["123456789012345.6", 123456789012345.6],
    ["0.000000000000000000000000000001", 1e-30],
    ["00000000000000000000000000001.5", 1.5],
    ["4.9406564584124654e-324", 5e-324],
    ["2.2250738585072011e-308", 2.225073858507201e-308],
    ["1.7976931348623157e308", 1.7976931348623157e308],
    ["1e22", 1e22],
    ["1e23", 1e23],
    ["1e-400", 0],
    ["-1e-400", -0],
    ["0e99999999", 0],
    ["Inf", Number.POSITIVE_INFINITY],
    ["+inf", Number.POSITIVE_INFINITY],
    ["-INF", Number.NEGATIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["infinity", Number.POSITIVE_INFINITY],
    ["+InFiNiTy", Number.POSITIVE_INFINITY],
    ["NaN", Number.NaN],
    ["nan", Number.NaN],
    ["nAn", Number.NaN],
  ];
  for (const [s, want] of ok) {
    it(`${JSON.stringify(s)} → ${Object.is(want, -0) ? "-0" : want}`, () => {
      const r = pf(s);
      assert.equal(r.ok, true, `error ${r.error}`);
      assert.equal(r.error, undefined);
      assert.ok(Object.is(r.value, want), `got ${r.value}, want ${want}`);
    });
  }

  const bad: [string, FloatErrorReason][] = [
    ["1e400", "range"],
    ["-1e400", "range"],
    ["1.7976931348623159e308", "range"],
    ["1e100000000000", "range"],
    ["-nan", "syntax"],
    ["+nan", "syntax"],
    ["0x1p-3", "unsupported"],
    ["0x1P-3", "unsupported"],
    ["1_000", "unsupported"],
    ["0x1", "syntax"],
    ["0X1", "syntax"],
    ["0b1", "syntax"],
    ["1.1.1", "syntax"],
    ["", "syntax"],
    ["-", "syntax"],
    ["+", "syntax"],
    [".", "syntax"],
    ["-.e1", "syntax"],
    ["e5", "syntax"],
    ["1e", "syntax"],
    ["1e+", "syntax"],
    ["infinit", "syntax"],
    ["infinityy", "syntax"],
    ["nana", "syntax"],
    ["1 ", "syntax"],
    [" 1", "syntax"],
    ["1\t", "syntax"],
    ["true", "syntax"],
  ];
  for (const [s, reason] of bad) {
    it(`${JSON.stringify(s)} → ${reason} error`, () => {
      const r = pf(s);
      assert.equal(r.ok, false);
      assert.equal(r.error, reason);
      assert.ok(Number.isNaN(r.value), "a failed parse leaves NaN");
    });
  }

  it("clears a previous error on success", () => {
    const out: FloatResult = { value: 0, error: "range" };
    const b = enc.encode("2.5");
    assert.equal(parseFloatBytes(b, 0, b.length, out), true);
    assert.deepEqual(out, { value: 2.5, error: undefined });
  });

  it("round-trips 2000 random doubles in the formats JavaScript prints", () => {
    const r = mulberry32(20240611);
    const bits = new DataView(new ArrayBuffer(8));
    let checked = 0;
    for (let k = 0; k < 2000; k++) {
      let x: number;
      const kind = k % 4;
      if (kind === 0) {
        // Uniform over bit patterns: every exponent, subnormals included.
        bits.setUint32(0, Math.floor(r() * 2 ** 32));
        bits.setUint32(4, Math.floor(r() * 2 ** 32));
        x = bits.getFloat64(0);
        if (!Number.isFinite(x)) continue;
      } else if (kind === 1) x = (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
      else if (kind === 2) x = Math.round((r() - 0.5) * 2e6) / 1000;
      else x = Math.floor(r() * 2 ** 53) * (r() < 0.5 ? -1 : 1);
      const forms = [String(x), x.toExponential(), x.toExponential(Math.floor(r() * 20)), x.toPrecision(17)];
      if (Math.abs(x) < 1e21) forms.push(x.toFixed(Math.floor(r() * 20)));
      for (const s of forms) {
        const got = pf(s);
        assert.equal(got.ok, true, `${s}: ${got.error}`);
        assert.ok(Object.is(got.value, Number(s)), `${s}: got ${got.value}, want ${Number(s)}`);
        checked++;
      }
    }
    assert.ok(checked > 9000);
  });

  it("rounds long decimal strings exactly like Number()", () => {
    const r = mulberry32(99);
    for (let k = 0; k < 2000; k++) {
      let digits = "";
      const n = 1 + Math.floor(r() * 30);
      for (let j = 0; j < n; j++) digits += String(Math.floor(r() * 10));
      const dot = Math.floor(r() * (n + 1));
      const s = `${digits.slice(0, dot)}.${digits.slice(dot)}e${Math.floor(r() * 640 - 330)}`;
      const got = pf(s);
      const want = Number(s);
      if (!Number.isFinite(want)) {
        assert.equal(got.error, "range", s);
        continue;
      }
      assert.ok(Object.is(got.value, want), `${s}: got ${got.value}, want ${want}`);
    }
  });
});

describe("parseIntBytes (Go strconv.ParseInt(s, 10, 64))", () => {
  const cases: [string, number | undefined][] = [
    ["0", 0],
    ["5", 5],
    ["+5", 5],
    ["-5", -5],
    ["-0", 0], // Go has no negative zero integer
    ["0123", 123],
    ["1700000000000", 1700000000000],
    ["9007199254740993", 9007199254740992],
    // Beyond 2^53 the result must still be the nearest double (here 2^63), as Go's float64(int64) is.
    ["9223372036854775807", 2 ** 63],
    ["-9223372036854775808", -(2 ** 63)],
    ["00000000000000000009223372036854775807", 2 ** 63],
    ["9223372036854775808", undefined],
    ["-9223372036854775809", undefined],
    ["18446744073709551616", undefined],
    ["99999999999999999999", undefined],
    ["", undefined],
    ["+", undefined],
    ["-", undefined],
    ["--1", undefined],
    ["1.5", undefined],
    ["1e3", undefined],
    ["12a", undefined],
    [" 1", undefined],
  ];
  for (const [s, want] of cases) {
    it(`${JSON.stringify(s)} → ${want}`, () => {
      const got = pi(s);
      assert.ok(Object.is(got, want), `got ${Object.is(got, -0) ? "-0" : got}, want ${want}`);
    });
  }
});

describe("latin1", () => {
  it("maps each byte to one char", () => {
    assert.equal(latin1(new Uint8Array([0x61, 0xff, 0x00, 0x7a]), 1, 4), "\u00ff\u0000z");
  });
});
