/**
 * Against the reference Alertmanager (0.33.1 from `.reference/bin`): alerts
 * the notifier sends show up in its `GET /api/v2/alerts` with the same
 * labels, annotations, times and generator URL. Skipped when the binary is absent.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import { freePort } from "../testing/net.ts";
import { referenceBin, referenceSkip } from "../testing/reference.ts";
import type { Alert } from "./alert.ts";
import { configTo, startManager } from "./manager_testing.ts";
import { waitUntil } from "./testing.ts";

const BIN = referenceBin("alertmanager");
const SKIP = referenceSkip("alertmanager");

const AM_CONFIG = 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n';

describe("notifier → reference Alertmanager", { skip: SKIP }, () => {
  let dir: string;
  let proc: ChildProcess;
  let address: string;
  let output = "";

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-notifier-am-"));
    writeFileSync(join(dir, "alertmanager.yml"), AM_CONFIG);
    address = `127.0.0.1:${await freePort()}`;
    proc = spawn(
      BIN,
      [
        `--config.file=${join(dir, "alertmanager.yml")}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=${address}`,
        "--cluster.listen-address=",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const keep = (b: Buffer): void => void (output = (output + b.toString()).slice(-8192));
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    let ready = false;
    const poll = async (): Promise<void> => {
      ready = await fetch(`http://${address}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
    };
    await waitUntil(
      () => {
        if (!ready) void poll();
        return ready;
      },
      `reference alertmanager ready (output: ${output})`,
      15_000,
    );
  });

  after(async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1_000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the alerts with their labels, annotations, times and generator URL", async () => {
    const now = Date.now();
    const starts = new Date(now - 60_000 + 123);
    const ends = new Date(now + 5 * 60_000);
    const alerts: Alert[] = [
      {
        labels: Labels.fromStrings("alertname", "RefA", "severity", "page", "instance", "h:9100"),
        annotations: Labels.fromStrings("summary", "A <b> & c", "description", "ünïcode"),
        startsAt: starts,
        endsAt: ends,
        generatorURL: "http://vm:9090/graph?g0.expr=up+%3D%3D+1&g0.tab=1",
      },
      {
        labels: Labels.fromStrings("alertname", "RefB"),
        annotations: Labels.EMPTY,
        startsAt: starts,
        endsAt: ends,
        generatorURL: "",
      },
    ];
    const { manager, running } = await startManager(
      configTo([address], "", "global:\n  external_labels: {cluster: ref}\n"),
      1,
    );
    manager.send(...alerts);
    await manager.stop();
    await running;

    let got: Array<Record<string, unknown>> = [];
    let fetching = false;
    const refresh = async (): Promise<void> => {
      fetching = true;
      got = (await (await fetch(`http://${address}/api/v2/alerts`)).json()) as typeof got;
      fetching = false;
    };
    await waitUntil(() => {
      if (!fetching) void refresh().catch(() => (fetching = false));
      return got.length === 2;
    }, "two alerts in the reference Alertmanager");
    got.sort((a, b) =>
      String((a.labels as Record<string, string>).alertname).localeCompare(
        String((b.labels as Record<string, string>).alertname),
      ),
    );
    for (let i = 0; i < alerts.length; i++) {
      const want = alerts[i];
      const have = got[i];
      assert.deepEqual(have.labels, { ...want.labels.toObject(), cluster: "ref" });
      assert.deepEqual(have.annotations, want.annotations.toObject());
      assert.equal(have.startsAt, starts.toISOString());
      assert.equal(have.endsAt, ends.toISOString());
      assert.equal(have.generatorURL ?? "", want.generatorURL);
      assert.equal((have.status as Record<string, unknown>).state, "active");
    }
  });
});
