/**
 * Federation, the hierarchical setup of docs/scaling.md: the reference
 * Prometheus scrapes Vigil's `/federate` with `honor_labels: true` and gets
 * Vigil's series with their own `job`/`instance`, Vigil's external labels, and
 * the values Vigil holds. Skips without the binary.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  BIN,
  counterTarget,
  freePort,
  type Proc,
  rawSamples,
  referenceSkip,
  sleep,
  startReady,
  vigilArgs,
} from "./testing.ts";

const skip = referenceSkip(BIN.prometheus);

describe("Prometheus federates Vigil", { skip, timeout: 90_000 }, () => {
  let work: string;
  let target: { server: Server; address: string };
  const procs: Proc[] = [];
  let vigil = "";
  let prom = "";

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "vigil-fed-"));
    target = await counterTarget(5);
    const vp = await freePort();
    const pp = await freePort();
    vigil = `http://127.0.0.1:${vp}`;
    prom = `http://127.0.0.1:${pp}`;
    writeFileSync(
      join(work, "vigil.yml"),
      [
        "global: {scrape_interval: 1s, external_labels: {cluster: eu-1}}",
        "scrape_configs:",
        "  - job_name: t",
        `    static_configs: [{targets: ['${target.address}']}]`,
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(work, "prom.yml"),
      [
        "global: {scrape_interval: 1s}",
        "scrape_configs:",
        "  - job_name: federate",
        "    honor_labels: true",
        "    metrics_path: /federate",
        "    params: {'match[]': ['rw_test_total']}",
        `    static_configs: [{targets: ['127.0.0.1:${vp}']}]`,
        "",
      ].join("\n"),
    );
    procs.push(
      await startReady(
        "vigil",
        process.execPath,
        vigilArgs(join(work, "vigil.yml"), join(work, "v"), vp),
        `${vigil}/-/ready`,
      ),
    );
    procs.push(
      await startReady(
        "prometheus",
        BIN.prometheus,
        [
          `--config.file=${join(work, "prom.yml")}`,
          `--storage.tsdb.path=${join(work, "p")}`,
          `--web.listen-address=127.0.0.1:${pp}`,
        ],
        `${prom}/-/ready`,
        work,
      ),
    );
    await sleep(6000);
  });

  after(async () => {
    for (const p of procs) await p.stop();
    await new Promise((r) => target?.server.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it("keeps job and instance, adds the external labels, and every federated value is one Vigil holds", async () => {
    const end = Date.now();
    const federated = await rawSamples(prom, "rw_test_total", end);
    const local = await rawSamples(vigil, "rw_test_total", end);
    assert.ok(federated.size >= 5, `only ${federated.size} federated samples`);
    for (const s of federated)
      assert.match(s, new RegExp(`cluster=eu-1,i=\\d,instance=${target.address},job=t@`));
    // Federation exposes each series' latest sample with its timestamp: every one is a sample Vigil holds.
    const stray = [...federated].map((s) => s.replace("cluster=eu-1,", "")).filter((s) => !local.has(s));
    assert.deepEqual(stray, []);
  });
});
