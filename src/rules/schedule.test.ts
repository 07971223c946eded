/**
 * Evaluation slots: the arithmetic of `evalTimestamp`, and (differential,
 * skipped without the reference binary) the same slots as Prometheus 3.5.3
 * picks for the same rule file path and group names.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { missingReferenceBinaries, ServerProcess } from "../server/difftest/serverprocess.ts";
import { evalTimestamp, groupHash, missedIterations, sleep } from "./schedule.ts";

describe("evalTimestamp", () => {
  const cases: [string, bigint, number, number, number][] = [
    // name, hash, interval ms, now ms, expected slot ms
    ["zero offset aligns to the interval", 0n, 60_000, 125_000, 120_000],
    ["offset shifts the slot", 5_000_000_000n, 60_000, 124_000, 65_000],
    ["exactly on a slot", 5_000_000_000n, 60_000, 65_000, 65_000],
    ["offset is the hash modulo the interval", 65_000_000_000n + 7_000_000n, 60_000, 10_000, 5_007],
    ["sub-millisecond offsets truncate", 1_999_999n, 1_000, 5_500, 5_001],
  ];
  for (const [name, hash, interval, now, want] of cases) {
    it(name, () => assert.equal(evalTimestamp(hash, interval, now), want));
  }

  it("gives a stable, spread hash per file and group", () => {
    assert.equal(groupHash("a.yml", "g"), groupHash("a.yml", "g"));
    assert.notEqual(groupHash("a.yml", "g"), groupHash("a.yml", "h"));
    assert.notEqual(groupHash("a.yml", "g"), groupHash("b.yml", "g"));
  });

  it("counts missed iterations as upstream, never below zero", () => {
    assert.equal(missedIterations(0, 60_000, 60_000), 0);
    assert.equal(missedIterations(0, 59_999, 60_000), 0);
    assert.equal(missedIterations(0, 180_500, 60_000), 2);
  });

  it("sleep resolves false when aborted", async () => {
    const ac = new AbortController();
    const p = sleep(10_000, ac.signal);
    ac.abort();
    assert.equal(await p, false);
    assert.equal(await sleep(1, new AbortController().signal), true);
  });
});

describe("evaluation slots against Prometheus", () => {
  it("puts each group on the slot Prometheus uses", async (t) => {
    const missing = missingReferenceBinaries(["prometheus"]);
    if (missing.length > 0) return t.skip(`reference binaries missing: ${missing.join(", ")}`);
    const dir = mkdtempSync(join(tmpdir(), "vigil-rules-slots-"));
    const names = ["alpha", "beta", "gamma", "kube-apiserver.rules", "node-exporter"];
    const rules = join(dir, "rules.yml");
    writeFileSync(
      rules,
      `groups:\n${names.map((n, i) => `  - name: ${n}\n    interval: 2s\n    rules:\n      - record: slot_${i}\n        expr: vector(1)\n`).join("")}`,
    );
    writeFileSync(join(dir, "prometheus.yml"), "rule_files: [rules.yml]\n");
    const srv = await ServerProcess.start("prometheus", join(dir, "prometheus.yml"), join(dir, "data"));
    try {
      const deadline = Date.now() + 20_000;
      const seen = new Map<string, number>();
      while (seen.size < names.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        const res = await srv.data<{ result: { metric: { __name__: string }; value: [number, string] }[] }>(
          "/api/v1/query",
          { query: '{__name__=~"slot_.*"}' },
        );
        for (const s of res.result) seen.set(s.metric.__name__, Math.round(s.value[0] * 1000));
      }
      assert.equal(seen.size, names.length, "Prometheus did not evaluate every group in time");
      // The instant query returns the query time; ask for the samples' own timestamps.
      for (const [i, name] of names.entries()) {
        const res = await srv.data<{ result: { values: [number, string][] }[] }>("/api/v1/query", {
          query: `slot_${i}[10s]`,
        });
        const ts = res.result[0]!.values.map(([t]) => Math.round(t * 1000));
        // The slot has sub-millisecond nanoseconds; the sample time truncates them.
        const want = evalTimestamp(groupHash(rules, name), 2_000, ts[0]! + 1);
        assert.equal(ts[0], want, `group ${name}`);
      }
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
