import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32 as rng } from "../testing/prng.ts";
import { parseFamilies } from "./families.ts";
import { ParseError } from "./parser.ts";
import { textFixtures } from "./testing/fixtures.ts";
import type { Format } from "./types.ts";

type Mutation = (b: Uint8Array, r: () => number) => Uint8Array;

const at = (b: Uint8Array, r: () => number) => Math.floor(r() * Math.max(1, b.length));
const MUTATIONS: Record<string, Mutation> = {
  bitflip: (b, r) => {
    const c = Uint8Array.from(b);
    for (let k = 0; k < 1 + r() * 8; k++) c[at(c, r)] ^= 1 << Math.floor(r() * 8);
    return c;
  },
  truncate: (b, r) => b.subarray(0, at(b, r)),
  insertSyntax: (b, r) => {
    const tokens = [
      '"',
      "{",
      "}",
      ",",
      "=",
      "#",
      " ",
      "\n",
      "\\",
      "\t",
      "\0",
      "# EOF\n",
      "e",
      "+Inf",
      "\xff",
    ];
    const t = Buffer.from(tokens[Math.floor(r() * tokens.length)], "latin1");
    const i = at(b, r);
    return Buffer.concat([b.subarray(0, i), t, b.subarray(i)]);
  },
  deleteRange: (b, r) => {
    const i = at(b, r);
    return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + Math.floor(r() * 64)))]);
  },
  invalidUtf8: (b, r) => {
    const i = at(b, r);
    return Buffer.concat([
      b.subarray(0, i),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0x28]),
      b.subarray(i),
    ]);
  },
  duplicateChunk: (b, r) => {
    const i = at(b, r);
    const j = Math.min(b.length, i + Math.floor(r() * 4096));
    return Buffer.concat([b.subarray(0, j), b.subarray(i, j), b.subarray(j)]);
  },
  hugeLine: (b, r) => {
    const i = at(b, r);
    return Buffer.concat([
      b.subarray(0, i),
      Buffer.alloc(256 * 1024 + Math.floor(r() * 1024), "a"),
      b.subarray(i),
    ]);
  },
};

/** Parses in every mode and format; only ParseError may come out. */
function assertOnlyParseErrors(body: Uint8Array, label: string): void {
  for (const format of ["prometheus-text", "openmetrics"] as Format[]) {
    for (const mode of ["scrape", "strict"] as const) {
      try {
        parseFamilies(body, format, { mode, maxLineBytes: 128 * 1024 });
      } catch (e) {
        if (!(e instanceof ParseError)) {
          assert.fail(`${label} (${format}, ${mode}) threw ${(e as Error)?.stack ?? e}`);
        }
        assert.match(e.message, /^\d+:\d+: /, "a parse error names its line and column");
      }
    }
  }
}

describe("fuzz: mutated fixtures give parse errors, never anything else", () => {
  const fixtures = textFixtures().filter((f) => f.body.length < 300_000);
  const ITERATIONS = 1500; // bounded; ~10 s on 2 cores
  it(`${ITERATIONS} mutations of ${fixtures.length} fixtures`, { timeout: 120_000 }, () => {
    const r = rng(20261122);
    const names = Object.keys(MUTATIONS);
    for (let k = 0; k < ITERATIONS; k++) {
      const f = fixtures[k % fixtures.length];
      const m = names[Math.floor(r() * names.length)];
      const body = MUTATIONS[m](f.body, r);
      assertOnlyParseErrors(body, `iteration ${k}: ${m} of ${f.name}`);
    }
  });

  it("refuses a line over the line limit and a body over the size limit", () => {
    const long = Buffer.from(`a{b="${"x".repeat(2048)}"} 1\n`);
    assert.throws(
      () => parseFamilies(long, "prometheus-text", { maxLineBytes: 1024 }),
      /line longer than the limit/,
    );
    assert.throws(
      () => parseFamilies(Buffer.alloc(2048, "\n"), "prometheus-text", { maxBodyBytes: 1024 }),
      /body size limit exceeded/,
    );
  });

  it("stays linear on pathological inputs", { timeout: 30_000 }, () => {
    const inputs = [
      Buffer.alloc(4 << 20, "{"),
      Buffer.alloc(4 << 20, '"'),
      Buffer.from(`a{${'b="\\\\",'.repeat(200_000)}} 1\n`),
      Buffer.from("# HELP a ".concat("\\".repeat(4 << 20))),
      Buffer.alloc(4 << 20, "\n"),
    ];
    for (const [i, body] of inputs.entries()) assertOnlyParseErrors(body, `pathological input ${i}`);
  });
});
