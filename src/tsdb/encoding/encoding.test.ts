import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crc32c } from "./crc32c.ts";
import { Decbuf } from "./decbuf.ts";
import { Encbuf } from "./encbuf.ts";

describe("crc32c", () => {
  // Check values from RFC 3720 (iSCSI), appendix B.4, and the classic "123456789".
  const cases: [string, Uint8Array, number][] = [
    ["123456789", Buffer.from("123456789"), 0xe3069283],
    ["32 zeros", new Uint8Array(32), 0x8a9136aa],
    ["32 0xff", new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ["0..31", Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ["empty", new Uint8Array(0), 0],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => assert.equal(crc32c(input), want));
  }
  it("continues over split input", () => {
    const b = Buffer.from("hello, castagnoli checksum of some length");
    assert.equal(crc32c(b, 13, b.length, crc32c(b, 0, 13)), crc32c(b));
  });
});

describe("Encbuf/Decbuf", () => {
  it("round-trips every encoding", () => {
    const e = new Encbuf(4);
    const uvs = [0, 1, 127, 128, 300, 2 ** 32, 2 ** 53 - 1];
    const vs = [0, -1, 1, -64, 64, -(2 ** 40), 2 ** 40];
    for (const v of uvs) e.putUvarint(v);
    for (const v of vs) e.putVarint(v);
    e.putBE32(0xdeadbeef);
    e.putBE64(2 ** 52 + 7);
    e.putBE64Float(-0.5);
    e.putUvarintStr("héllo");
    e.putByte(9);
    const d = new Decbuf(e.get());
    for (const v of uvs) assert.equal(d.uvarint(), v);
    for (const v of vs) assert.equal(d.varint(), v);
    assert.equal(d.be32(), 0xdeadbeef);
    assert.equal(d.be64(), 2 ** 52 + 7);
    assert.equal(d.be64Float(), -0.5);
    assert.equal(d.uvarintStr(), "héllo");
    assert.equal(d.byte(), 9);
    assert.equal(d.err, null);
    assert.equal(d.remaining(), 0);
  });
  it("matches Go's varint bytes", () => {
    const e = new Encbuf();
    e.putUvarint(300);
    e.putVarint(-3);
    assert.deepEqual([...e.get()], [0xac, 0x02, 0x05]);
  });
  it("sets err instead of reading past the end", () => {
    const d = new Decbuf(Uint8Array.of(0x80, 0x80));
    assert.equal(d.uvarint(), 0);
    assert.equal(d.err, "invalid size");
    assert.equal(d.be32(), 0);
  });
});
