/**
 * Golden test of every collector on the captured tree in ../testdata: each
 * collector's exposition must equal `testdata/golden/<collector>.prom`.
 * Regenerate with `VIGIL_UPDATE_GOLDEN=1 node --test src/exporters/node/collectors/collectors.test.ts`
 * and review the diff.
 */
import assert from "node:assert/strict";
import type { StatsFs } from "node:fs";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type Collector, type CollectorContext, NoDataError } from "../collector.ts";
import { COLLECTORS, IMPLEMENTED } from "../registry.ts";
import { collectText, fixtureContext, TESTDATA } from "../testing/fixture.ts";
import { newFilesystemCollector } from "./filesystem.ts";
import { newUnameCollector } from "./kernel.ts";
import { newTimeCollector } from "./time.ts";
import { decodeTimex, newTimexCollector, systemTimex, TIMEX_SIZE } from "./timex.ts";

const GOLDEN = join(TESTDATA, "golden");
const UPDATE = process.env.VIGIL_UPDATE_GOLDEN === "1";

/** statfs of an ext4 volume: 4 KiB blocks, fixed counts. */
const FAKE_STATFS: StatsFs = {
  type: 0xef53,
  bsize: 4096,
  frsize: 4096,
  blocks: 1000,
  bfree: 600,
  bavail: 500,
  files: 100,
  ffree: 40,
};

/**
 * A `struct timex` as the kernel fills it for a clock disciplined by NTP in
 * nanosecond mode (STA_PLL | STA_NANO), fields at their 64-bit Linux offsets.
 */
function fakeTimex(): Buffer {
  const buf = Buffer.alloc(TIMEX_SIZE);
  const long = (offset: number, v: number) => buf.writeBigInt64LE(BigInt(v), offset);
  long(8, -123_456); // offset, ns
  long(16, 655_360); // freq: +10 ppm in 2^-16 ppm
  long(24, 500_000); // maxerror, µs
  long(32, 1_500); // esterror, µs
  buf.writeInt32LE(0x2001, 40); // status
  long(48, 7); // constant
  long(88, 10_000); // tick, µs
  long(96, -65_536); // ppsfreq
  long(104, 2_000); // jitter, ns
  buf.writeInt32LE(4, 112); // shift
  long(120, 131_072); // stabil
  long(128, 1);
  long(136, 2);
  long(144, 3);
  long(152, 4);
  buf.writeInt32LE(37, 160); // tai
  return buf;
}

/** Collectors whose inputs are not files: fed fixed values instead. */
const FACTORIES: Readonly<Record<string, (ctx: CollectorContext) => Collector>> = {
  filesystem: (ctx) => newFilesystemCollector(ctx, async () => FAKE_STATFS),
  time: (ctx) =>
    newTimeCollector(ctx, {
      nowMs: () => 1_700_000_000_123,
      zone: () => ({ name: "CET", offsetSeconds: 3600 }),
    }),
  timex: (ctx) => newTimexCollector(ctx, () => decodeTimex(0, fakeTimex())),
  uname: (ctx) =>
    newUnameCollector(ctx, () => ({
      sysname: "Linux",
      release: "6.1.0-test",
      version: "#1 SMP PREEMPT_DYNAMIC",
      machine: "x86_64",
      nodename: "fixture-host",
    })),
};

/** Makes machine-dependent parts stable: the fixture's absolute path and file mtimes. */
function normalize(text: string): string {
  return text
    .replaceAll(TESTDATA, "<testdata>")
    .replace(/^(node_textfile_mtime_seconds\{[^}]*\}) \S+$/gm, "$1 <mtime>");
}

function build(name: string): Collector {
  const ctx = fixtureContext();
  return (FACTORIES[name] ?? COLLECTORS[name]!.factory!)(ctx);
}

describe("collectors on the captured tree match their golden files", () => {
  for (const name of IMPLEMENTED) {
    it(name, async () => {
      const got = normalize(await collectText(build(name)));
      assert.notEqual(got, "", `${name} produced no metrics on the fixture`);
      const file = join(GOLDEN, `${name}.prom`);
      if (UPDATE || !existsSync(file)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, got);
        if (!UPDATE) assert.fail(`wrote missing golden file ${file}; review it and rerun`);
        return;
      }
      assert.equal(got, readFileSync(file, "utf8"));
    });
  }

  it("timex reads this machine's kernel through adjtimex(2)", {
    skip: process.platform !== "linux" && "adjtimex is Linux-only",
  }, () => {
    const tx = systemTimex();
    // The kernel's tick is 1e6/HZ µs (HZ 100 to 1000); a wrong struct layout reads garbage here.
    assert.ok(tx.tick >= 1_000 && tx.tick <= 10_000, `tick ${tx.tick} µs`);
    assert.ok(tx.state >= 0 && tx.state <= 5, `clock state ${tx.state}`);
    assert.ok(tx.maxerror >= 0 && tx.esterror >= 0);
  });

  it("timex reports the adjtimex failure as an error, not as values", async () => {
    const failing = newTimexCollector(fixtureContext(), () => {
      throw new NoDataError("adjtimex is only read on 64-bit Linux");
    });
    await assert.rejects(collectText(failing), NoDataError);
  });
});
