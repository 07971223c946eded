import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 } from "../../testing/prng.ts";
import { BitReader, BitWriter, writeBits64, writeUvarint64, writeVarint64 } from "./bstream.ts";

/** Go's binary.PutUvarint / PutVarint, via BigInt, as an independent reference. */
function goUvarint(u: bigint): number[] {
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}
function goVarint(x: bigint): number[] {
  let ux = BigInt.asUintN(64, x << 1n);
  if (x < 0n) ux = BigInt.asUintN(64, ~ux);
  return goUvarint(ux);
}

describe("bstream", () => {
  it("packs bits MSB-first and leaves the rest of the last byte zero", () => {
    const w = new BitWriter(1);
    w.writeBits(0b101, 3);
    assert.deepEqual([...w.bytes()], [0b10100000]);
    w.writeBit(1);
    w.writeByte(0xff);
    assert.deepEqual([...w.bytes()], [0b10111111, 0b11110000]);
    w.writeBits(0xdeadbeef, 32);
    assert.deepEqual([...w.bytes()], [0xbf, 0xfd, 0xea, 0xdb, 0xee, 0xf0]);
  });

  it("writes over stale bytes without OR-ing old bits in", () => {
    const buf = new Uint8Array(8).fill(0xff);
    let pos = writeBits64(buf, 0, 0, 1, 3, 0);
    pos = writeBits64(buf, pos, 0x1, 0x80000000, 34, 0);
    assert.equal(pos, 37);
    // 001 | 01 1000…0 (32 bits after the 2 high bits) | zero padding
    assert.deepEqual([...buf.subarray(0, 5)], [0b00101100, 0, 0, 0, 0]);
  });

  it("round-trips random widths", () => {
    const r = mulberry32(7);
    const w = new BitWriter();
    const vals: [number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      const n = Math.floor(r() * 33);
      const v = n === 0 ? 0 : Math.floor(r() * 2 ** n);
      vals.push([v, n]);
      w.writeBits(v, n);
    }
    const br = new BitReader(w.bytes());
    for (const [v, n] of vals) assert.equal(br.readBits(n), v);
    assert.equal(br.eof, false);
    const left = w.bytes().length * 8 - br.pos;
    assert.ok(left < 8);
    br.readBits(left + 1);
    assert.equal(br.eof, true);
  });

  it("shifts 64-bit values right before writing", () => {
    const cases: [number, number, number, number, string][] = [
      [0x80000000, 0, 64, 0, `1${"0".repeat(63)}`],
      [0x80000000, 0, 1, 63, "1"],
      [0x00000001, 0x80000000, 3, 31, "011"],
      [0, 0xf0, 4, 4, "1111"],
      [0x12345678, 0x9abcdef0, 60, 4, (0x123456789abcdef0n >> 4n).toString(2).padStart(60, "0")],
    ];
    for (const [hi, lo, n, shift, want] of cases) {
      const buf = new Uint8Array(9);
      const end = writeBits64(buf, 0, hi, lo, n, shift);
      assert.equal(end, n);
      const br = new BitReader(buf);
      let got = "";
      for (let i = 0; i < n; i++) got += br.readBit();
      assert.equal(got, want, `${hi.toString(16)}:${lo.toString(16)} n=${n} >>${shift}`);
    }
  });

  it("encodes varints as Go does and reads them back", () => {
    const xs = [
      0,
      1,
      -1,
      63,
      -64,
      64,
      300,
      -7_000_000,
      1_700_006_400_000,
      -(2 ** 53 - 1),
      2 ** 53 - 1,
      -(2 ** 31),
    ];
    for (const x of xs) {
      const buf = new Uint8Array(16);
      const end = writeVarint64(buf, 0, x);
      assert.deepEqual([...buf.subarray(0, end / 8)], goVarint(BigInt(x)), `varint ${x}`);
      const br = new BitReader(buf, 0, end / 8);
      assert.equal(br.readVarint64(), x);
      assert.equal(br.eof, false);
    }
  });

  it("encodes uvarints of int64 two's complement and reads them back signed", () => {
    const xs = [0, 1, 127, 128, 15_000, 2 ** 32, 2 ** 53 - 1, -1, -500, -(2 ** 40)];
    for (const x of xs) {
      const buf = new Uint8Array(16);
      // Unaligned on purpose: XOR chunks only write them aligned, but nothing depends on it.
      const start = writeBits64(buf, 0, 0, 0b101, 3, 0);
      const end = writeUvarint64(buf, start, Math.floor(x / 2 ** 32), x >>> 0);
      const want = goUvarint(BigInt.asUintN(64, BigInt(x)));
      assert.equal(end - start, want.length * 8, `uvarint ${x} length`);
      const br = new BitReader(buf);
      assert.equal(br.readBits(3), 0b101);
      for (const b of want) assert.equal(br.readBits(8), b, `uvarint ${x}`);
      br.reset(buf);
      br.readBits(3);
      assert.equal(br.readUvarintAsInt64(), x);
    }
  });

  it("flags truncated varints", () => {
    const br = new BitReader(Uint8Array.of(0x80, 0x80));
    br.readVarint64();
    assert.equal(br.eof, true);
  });
});
