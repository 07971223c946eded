/**
 * The reference amtool against a running `vigil alertmanager` process
 * (spawned as `node bin/vigil.mjs alertmanager`): alert query, silence
 * add / query / expire, config show. Skips without the reference amtool.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { amtoolAgainst } from "../config/testing.ts";
import { type Child, postAlerts, referenceSkip, spawnVigil } from "./testing.ts";

const FIXTURE = "/work/shared/fixtures/api/alertmanager/config/alertmanager.yml";

describe("reference amtool against vigil alertmanager", { skip: referenceSkip("amtool") }, () => {
  let dir: string;
  let vigil: Child;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-am-amtool-"));
    copyFileSync(FIXTURE, join(dir, "am.yml"));
    vigil = await spawnVigil([`--config.file=${join(dir, "am.yml")}`, `--storage.path=${join(dir, "data")}`]);
  });
  after(async () => {
    await vigil?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("alert query lists posted alerts", { timeout: 15_000 }, async () => {
    await postAlerts(vigil.url, [
      {
        labels: { alertname: "DiskFull", instance: "db1", severity: "critical" },
        annotations: { summary: "disk" },
      },
      { labels: { alertname: "HighLoad", instance: "web1", severity: "warning" } },
    ]);
    const q = await amtoolAgainst(vigil.url, ["alert", "query", "-o", "json"]);
    assert.equal(q.status, 0, q.stderr);
    const alerts = JSON.parse(q.stdout) as { labels: Record<string, string> }[];
    assert.deepEqual(alerts.map((a) => a.labels.alertname).sort(), ["DiskFull", "HighLoad"]);
    const simple = await amtoolAgainst(vigil.url, ["alert", "query", "alertname=DiskFull"]);
    assert.equal(simple.status, 0, simple.stderr);
    assert.match(
      simple.stdout,
      /^Alertname\s+Starts At\s+Summary\s+State\s*\nDiskFull\s+.+disk\s+active\s*\n$/,
    );
  });

  it("silence add, query and expire", { timeout: 20_000 }, async () => {
    const add = await amtoolAgainst(vigil.url, [
      "silence",
      "add",
      "alertname=HighLoad",
      "--comment=maintenance",
      "--duration=1h",
    ]);
    assert.equal(add.status, 0, add.stderr);
    const id = add.stdout.trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const q = await amtoolAgainst(vigil.url, ["silence", "query", "-q"]);
    assert.equal(q.stdout.trim(), id);
    const alerts = await amtoolAgainst(vigil.url, [
      "alert",
      "query",
      "--silenced",
      "-o",
      "json",
      "alertname=HighLoad",
    ]);
    const st = JSON.parse(alerts.stdout) as { status: { state: string; silencedBy: string[] } }[];
    assert.deepEqual(st[0]!.status.silencedBy, [id]);
    assert.equal(st[0]!.status.state, "suppressed");
    const exp = await amtoolAgainst(vigil.url, ["silence", "expire", id]);
    assert.equal(exp.status, 0, exp.stderr);
    const after = await amtoolAgainst(vigil.url, ["silence", "query", "-q"]);
    assert.equal(after.stdout.trim(), "");
    const expired = await amtoolAgainst(vigil.url, ["silence", "query", "--expired", "-q"]);
    assert.equal(expired.stdout.trim(), id);
  });

  it("config show prints the running config (/api/v2/status)", { timeout: 15_000 }, async () => {
    const r = await amtoolAgainst(vigil.url, ["config", "show"]);
    assert.equal(r.status, 0, r.stderr);
    const status = JSON.parse(readFileSync("/work/shared/fixtures/api/alertmanager/status.json", "utf8")) as {
      config: { original: string };
    };
    // The fixture config as the reference Alertmanager printed it.
    assert.equal(r.stdout.trim(), status.config.original.trim());
  });
});
