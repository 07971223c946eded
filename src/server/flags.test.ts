import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFlags } from "../cli/flags.ts";
import { SERVER_FLAGS, serverOptions } from "./flags.ts";

const parse = (...args: string[]) => serverOptions(parseFlags(SERVER_FLAGS, args), "host");

describe("--storage.remote.* flags", () => {
  it("default to upstream's values", () => {
    const o = parse();
    assert.equal(o.remoteFlushDeadlineMs, 60_000);
    assert.equal(o.remoteReadSampleLimit, 50_000_000);
    assert.equal(o.remoteReadConcurrentLimit, 10);
    assert.equal(o.remoteReadMaxBytesInFrame, 1_048_576);
    assert.equal(o.flagValues["storage.remote.read-sample-limit"], "5e7");
  });

  const rows: { args: string[]; want: Partial<ReturnType<typeof parse>> }[] = [
    { args: ["--storage.remote.flush-deadline=5s"], want: { remoteFlushDeadlineMs: 5000 } },
    { args: ["--storage.remote.read-sample-limit", "0"], want: { remoteReadSampleLimit: 0 } },
    { args: ["--storage.remote.read-sample-limit=1e3"], want: { remoteReadSampleLimit: 1000 } },
    { args: ["--storage.remote.read-concurrent-limit=0"], want: { remoteReadConcurrentLimit: 0 } },
    { args: ["--storage.remote.read-max-bytes-in-frame=4096"], want: { remoteReadMaxBytesInFrame: 4096 } },
  ];
  for (const r of rows) {
    it(`override: ${r.args.join(" ")}`, () => {
      const o = parse(...r.args);
      for (const [k, v] of Object.entries(r.want)) assert.equal(o[k as keyof typeof o], v, k);
    });
  }

  const bad: { args: string[]; want: RegExp }[] = [
    { args: ["--storage.remote.flush-deadline=soon"], want: /--storage\.remote\.flush-deadline/ },
    {
      args: ["--storage.remote.read-sample-limit=-1"],
      want: /--storage\.remote\.read-sample-limit: expected a non-negative integer/,
    },
    {
      args: ["--storage.remote.read-concurrent-limit=2.5"],
      want: /--storage\.remote\.read-concurrent-limit/,
    },
    {
      args: ["--storage.remote.read-max-bytes-in-frame="],
      want: /--storage\.remote\.read-max-bytes-in-frame/,
    },
  ];
  for (const r of bad) {
    it(`rejects ${r.args.join(" ")}`, () => {
      assert.throws(() => parse(...r.args), r.want);
    });
  }
});
