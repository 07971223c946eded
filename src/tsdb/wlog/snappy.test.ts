import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SnappyError, snappyDecodedLen, snappyDecodeInto } from "./snappy.ts";

function decode(bytes: number[]): string {
  const src = Uint8Array.from(bytes);
  const dst = new Uint8Array(snappyDecodedLen(src).len);
  return Buffer.from(dst.subarray(0, snappyDecodeInto(src, dst))).toString("latin1");
}

const lit = (s: string): number[] => [...Buffer.from(s, "latin1")];

describe("snappy block decoding", () => {
  const hundred = "x".repeat(50) + "y".repeat(50);
  const cases: [string, number[], string][] = [
    ["empty", [0], ""],
    ["short literal", [3, 0x08, ...lit("abc")], "abc"],
    ["literal with a 1-byte length (tag 60)", [100, 0xf0, 99, ...lit(hundred)], hundred],
    ["literal with a 2-byte length (tag 61)", [100, 0xf4, 99, 0, ...lit(hundred)], hundred],
    ["1-byte-offset copy", [12, 0x08, ...lit("abc"), 0x15, 0x03], "abcabcabcabc"],
    ["overlapping copy (a run)", [11, 0x00, ...lit("a"), 0x19, 0x01], "a".repeat(11)],
    ["2-byte-offset copy", [8, 0x0c, ...lit("wxyz"), 0x0e, 0x04, 0x00], "wxyzwxyz"],
    ["4-byte-offset copy", [6, 0x08, ...lit("pqr"), 0x0b, 0x03, 0x00, 0x00, 0x00], "pqrpqr"],
  ];
  for (const [name, bytes, want] of cases) it(name, () => assert.equal(decode(bytes), want));

  const bad: [string, number[]][] = [
    ["zero copy offset", [4, 0x00, ...lit("a"), 0x01, 0x00]],
    ["copy before the start", [8, 0x08, ...lit("abc"), 0x05, 0x09]],
    ["literal past the input", [5, 0x10, ...lit("ab")]],
    ["output longer than announced", [2, 0x08, ...lit("abc")]],
    ["output shorter than announced", [9, 0x08, ...lit("abc")]],
    ["truncated copy", [6, 0x08, ...lit("abc"), 0x0e]],
    ["bad preamble", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [name, bytes] of bad)
    it(`rejects ${name}`, () => assert.throws(() => decode(bytes), SnappyError));
});
