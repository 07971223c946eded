/**
 * Oracle tests against the upstream binary: Prometheus replays a WAL (and
 * checkpoint) that Vigil wrote, and Vigil reads a WAL that Prometheus wrote
 * (snappy-compressed, its default). Skipped when the binary is absent.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { Encbuf } from "../encoding/encbuf.ts";
import {
  decodeSamples,
  decodeSeries,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  RecordType,
  RefSamples,
  recordType,
} from "../record/record.ts";
import { checkpoint, checkpointDir } from "./checkpoint.ts";
import { segmentsInRange, WalReader } from "./reader.ts";
import { SNAPPY_FLAG } from "./segment.ts";
import { WL } from "./wlog.ts";

const PROMETHEUS = path.resolve(import.meta.dirname, "../../../.reference/bin/prometheus");
const haveBinary = fs.existsSync(PROMETHEUS);
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-wal-oracle-"));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Prom {
  child: ChildProcess;
  port: number;
  log: () => string;
}

async function startPrometheus(dataDir: string, config: string): Promise<Prom> {
  const port = await freePort();
  const cfg = path.join(dataDir, "..", `prometheus-${port}.yml`);
  fs.writeFileSync(cfg, config);
  const child = spawn(
    PROMETHEUS,
    [`--config.file=${cfg}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr!.on("data", (d: Buffer) => {
    log += d.toString();
  });
  return { child, port, log: () => log };
}

async function waitFor(
  what: string,
  deadline: number,
  check: () => Promise<boolean> | boolean,
): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function stop(p: Prom): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once("exit", () => r()));
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

describe("Prometheus as an oracle", { skip: haveBinary ? false : "no .reference/bin/prometheus" }, () => {
  it("replays a WAL and checkpoint written by Vigil", { timeout: 30_000 }, async () => {
    const data = path.join(tmpRoot, "vigil-wrote");
    const walDir = path.join(data, "wal");
    const now = Math.floor(Date.now() / 1000) * 1000;
    const w = WL.open(walDir);
    const e = new Encbuf();
    const name = "vigil_wal_oracle";
    encodeSeries(
      [
        { ref: 1, labels: Labels.fromStrings("__name__", name, "job", "a") },
        { ref: 2, labels: Labels.fromStrings("__name__", name, "job", "ünï") },
        { ref: 3, labels: Labels.fromStrings("__name__", name, "job", "deleted") },
      ],
      e,
    );
    w.log(e.get().slice());
    e.reset();
    encodeSamples([1, 2, 3], [now - 120_000, now - 120_000, now - 120_000], [1.25, -7, 3], 3, e);
    w.log(e.get());
    w.nextSegment();
    e.reset();
    encodeSamples([1], [now - 60_000], [2.5], 1, e);
    w.log(e.get().slice());
    e.reset();
    encodeTombstones([{ ref: 3, mint: now - 130_000, maxt: now - 110_000 }], e);
    w.log(e.get());
    // Segment 0 goes into a checkpoint and is deleted, as the head's truncation does.
    checkpoint(walDir, 0, 0, () => true, 0);
    w.truncate(1);
    w.close();
    assert.ok(fs.existsSync(checkpointDir(walDir, 0)));
    assert.equal(fs.existsSync(path.join(walDir, "00000000")), false);

    const p = await startPrometheus(data, "global:\n  scrape_interval: 1h\n");
    try {
      const deadline = Date.now() + 20_000;
      await waitFor("Prometheus ready", deadline, async () => {
        const r = await fetch(`http://127.0.0.1:${p.port}/-/ready`);
        return r.status === 200;
      });
      const q = new URLSearchParams({ query: `${name}[10m]`, time: String(now / 1000) });
      const res = await fetch(`http://127.0.0.1:${p.port}/api/v1/query?${q}`);
      const body = (await res.json()) as {
        status: string;
        data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
      };
      assert.equal(body.status, "success", p.log());
      const got = Object.fromEntries(body.data.result.map((r) => [r.metric.job, r.values]));
      assert.deepEqual(
        got,
        {
          a: [
            [(now - 120_000) / 1000, "1.25"],
            [(now - 60_000) / 1000, "2.5"],
          ],
          ünï: [[(now - 120_000) / 1000, "-7"]],
        },
        p.log(),
      );
      assert.doesNotMatch(p.log(), /level=(WARN|ERROR).*(WAL|wal|corrupt)/);
    } finally {
      await stop(p);
    }
  });

  it("reads a WAL written by Prometheus (snappy-compressed records)", { timeout: 30_000 }, async () => {
    const data = path.join(tmpRoot, "prometheus-wrote");
    fs.mkdirSync(data, { recursive: true });
    const rules = path.join(tmpRoot, "rules.yml");
    fs.writeFileSync(
      rules,
      [
        "groups:",
        "  - name: oracle",
        "    interval: 1s",
        "    rules:",
        "      - record: vigil:oracle",
        "        expr: vector(42)",
        "      - record: vigil:oracle_utf8",
        '        expr: label_replace(vector(7), "lbl", "ünïcödé", "", "")',
        "",
      ].join("\n"),
    );
    const p = await startPrometheus(
      data,
      `global:\n  evaluation_interval: 1s\n  scrape_interval: 1h\nrule_files:\n  - ${JSON.stringify(rules)}\n`,
    );
    const walDir = path.join(data, "wal");
    try {
      const deadline = Date.now() + 20_000;
      // Two evaluations of both rules, then a clean shutdown closes the WAL.
      await waitFor(
        "rule samples in the WAL",
        deadline,
        () => fs.statSync(path.join(walDir, "00000000")).size > 0,
      );
      await sleep(2200);
    } finally {
      await stop(p);
    }

    const labelsByRef = new Map<number, Labels>();
    const values = new Map<string, number[]>();
    const samples = new RefSamples();
    let snappy = 0;
    const r = new WalReader(segmentsInRange(walDir));
    try {
      while (r.next()) {
        const rec = r.record();
        if (r.recordFlags & SNAPPY_FLAG) snappy++;
        switch (recordType(rec)) {
          case RecordType.Series:
            for (const s of decodeSeries(rec)) labelsByRef.set(s.ref, s.labels);
            break;
          case RecordType.Samples:
            decodeSamples(rec, samples);
            for (let i = 0; i < samples.n; i++) {
              const ls = labelsByRef.get(samples.refs[i]!);
              assert.ok(ls !== undefined, `sample for unknown series ${samples.refs[i]}`);
              const key = ls.toString();
              if (!values.has(key)) values.set(key, []);
              values.get(key)!.push(samples.vs[i]!);
            }
            break;
        }
      }
    } finally {
      r.close();
    }
    assert.ok(snappy > 0, "Prometheus compresses its WAL with snappy by default");
    const plain = Labels.fromStrings("__name__", "vigil:oracle").toString();
    const utf8 = Labels.fromStrings("__name__", "vigil:oracle_utf8", "lbl", "ünïcödé").toString();
    assert.ok((values.get(plain)?.length ?? 0) >= 1, `series seen: ${[...values.keys()].join(", ")}`);
    assert.ok(values.get(plain)!.every((v) => v === 42));
    assert.ok(values.get(utf8)!.every((v) => v === 7));
  });
});
