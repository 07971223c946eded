/**
 * Must-show: the reference Prometheus remote-writes to Vigil's receiver with
 * both protocols (a `proto` label added by write relabelling tells the two
 * queues apart), another reference Prometheus reads Vigil through
 * `remote_read`, and Vigil reads the first one through its own `remote_read`.
 * All results equal the reference's own data, and both readers export the
 * same `prometheus_remote_read_client_*` series. Skips without the binary.
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
  missing,
  type Proc,
  rawSamples,
  referenceSkip,
  sleep,
  startReady,
  vigilArgs,
} from "./testing.ts";

const skip = referenceSkip(BIN.prometheus);

describe("reference Prometheus writes to and reads from Vigil", { skip, timeout: 120_000 }, () => {
  let work: string;
  let target: { server: Server; address: string };
  const procs: Proc[] = [];
  let ports: { vigil: number; a: number; b: number };
  let end = 0;
  const url = (p: number) => `http://127.0.0.1:${p}`;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "vigil-recv-ref-"));
    target = await counterTarget();
    ports = { vigil: await freePort(), a: await freePort(), b: await freePort() };
    const queue = "    queue_config: {batch_send_deadline: 500ms}";
    const tag = (v: string) => `    write_relabel_configs: [{target_label: proto, replacement: ${v}}]`;
    writeFileSync(
      join(work, "a.yml"),
      [
        "global: {scrape_interval: 1s}",
        "scrape_configs:",
        "  - job_name: t",
        `    static_configs: [{targets: ['${target.address}']}]`,
        "remote_write:",
        `  - url: ${url(ports.vigil)}/api/v1/write`,
        tag("v1"),
        queue,
        `  - url: ${url(ports.vigil)}/api/v1/write`,
        "    protobuf_message: io.prometheus.write.v2.Request",
        tag("v2"),
        queue,
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(work, "b.yml"),
      ["remote_read:", `  - url: ${url(ports.vigil)}/api/v1/read`, "    read_recent: true", ""].join("\n"),
    );
    writeFileSync(
      join(work, "vigil.yml"),
      ["remote_read:", `  - url: ${url(ports.a)}/api/v1/read`, "    read_recent: true", ""].join("\n"),
    );
    procs.push(
      await startReady(
        "vigil",
        process.execPath,
        vigilArgs(
          join(work, "vigil.yml"),
          join(work, "vigil"),
          ports.vigil,
          "--web.enable-remote-write-receiver",
        ),
        `${url(ports.vigil)}/-/ready`,
      ),
    );
    for (const [name, port] of [
      ["a", ports.a],
      ["b", ports.b],
    ] as const) {
      procs.push(
        await startReady(
          `prometheus-${name}`,
          BIN.prometheus,
          [
            `--config.file=${join(work, `${name}.yml`)}`,
            `--storage.tsdb.path=${join(work, name)}`,
            `--web.listen-address=127.0.0.1:${port}`,
            "--log.level=error",
          ],
          `${url(port)}/-/ready`,
          work,
        ),
      );
    }
    await sleep(10_000);
    end = Date.now();
    await sleep(3000); // what was scraped before `end` has been sent
  });

  after(async () => {
    for (const p of procs) await p.stop();
    await new Promise((r) => target?.server.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  for (const proto of ["v1", "v2"]) {
    it(`every sample Prometheus scraped arrived through protocol ${proto}`, async () => {
      const want = await rawSamples(url(ports.a), '{job="t"}', end);
      const got = await rawSamples(url(ports.vigil), `{job="t",proto="${proto}"}`, end, ["proto"]);
      assert.ok(want.size > 40, `only ${want.size} samples`);
      const m = missing(want, got);
      assert.equal(m.count, 0, `missing: ${m.count} of ${want.size}, e.g. ${m.examples.join(" ")}`);
      assert.equal(missing(got, want).count, 0, "Vigil holds samples Prometheus never scraped");
    });
  }

  it("Prometheus reads Vigil through remote_read: same samples", async () => {
    const direct = await rawSamples(url(ports.vigil), 'rw_test_total{proto="v1"}', end);
    const viaRead = await rawSamples(url(ports.b), 'rw_test_total{proto="v1"}', end);
    assert.ok(direct.size > 30);
    assert.deepEqual([...viaRead].sort(), [...direct].sort());
  });

  it("Vigil reads Prometheus through remote_read: same samples", async () => {
    const direct = await rawSamples(url(ports.a), "rw_test_total", end);
    const viaRead = await rawSamples(url(ports.vigil), 'rw_test_total{proto=""}', end);
    assert.ok(direct.size > 30);
    assert.deepEqual([...viaRead].sort(), [...direct].sort());
  });

  it("both readers export the same remote-read client series (values of remote_name, url, response_type aside)", async () => {
    // Prometheus reads Vigil as `chunked`; Vigil asks for SAMPLES only (`sampled`).
    const blank = ["remote_name", "url", "response_type"];
    const want = await readClientSeries(url(ports.b), blank);
    const got = await readClientSeries(url(ports.vigil), blank);
    assert.ok(
      (await readClientSeries(url(ports.vigil), [])).some((k) => k.includes("response_type=sampled")),
      "Vigil's reads are counted as sampled",
    );
    assert.ok(
      want.some((k) => k.startsWith("prometheus_remote_read_client_queries_total{")),
      want.join("\n"),
    );
    assert.deepEqual(got, want);
  });
});

/** `/metrics` series named `prometheus_remote_read_client_*`, the values of the `blank` labels left out. */
async function readClientSeries(base: string, blank: readonly string[]): Promise<string[]> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const keys = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^(prometheus_remote_read_client_\w+)\{([^}]*)\}/.exec(line);
    if (m === null) continue;
    const labels = [...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, n, v]) => (blank.includes(n!) ? n : `${n}=${v}`))
      .sort();
    keys.add(`${m[1]}{${labels.join(",")}}`);
  }
  return [...keys].sort();
}
