import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { AMTOOL, amtoolSkip } from "../config/testing.ts";
import { type Harness, startHarness } from "./testing.ts";

/** Runs the reference amtool asynchronously (the server under test shares this event loop). */
function amtool(h: Harness, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(AMTOOL, [`--alertmanager.url=${h.url}`, ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : -1;
      resolve({ stdout, stderr, code });
    });
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("reference amtool against Vigil's API v2", { skip: amtoolSkip() }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("alert add, then alert query shows it", async () => {
    const add = await amtool(h, [
      "alert",
      "add",
      "alertname=AmtoolTest",
      "severity=warning",
      "--annotation=summary=from amtool",
    ]);
    assert.equal(add.code, 0, add.stderr);
    const q = await amtool(h, ["alert", "query", "-o", "json"]);
    assert.equal(q.code, 0, q.stderr);
    const alerts = JSON.parse(q.stdout) as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      status: { state: string };
    }[];
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.labels, { alertname: "AmtoolTest", severity: "warning" });
    assert.deepEqual(alerts[0]!.annotations, { summary: "from amtool" });
    assert.equal(alerts[0]!.status.state, "active");
    const simple = await amtool(h, ["alert", "query", "alertname=AmtoolTest"]);
    assert.match(
      simple.stdout,
      /^Alertname\s+Starts At\s+Summary\s+State\s*\nAmtoolTest\s+.+from amtool\s+active\s*\n$/,
    );
  });

  it("silence add | query | expire round trip", async () => {
    const add = await amtool(h, [
      "silence",
      "add",
      "alertname=AmtoolTest",
      "--comment=quiet",
      "--author=tester",
      "--duration=1h",
    ]);
    assert.equal(add.code, 0, add.stderr);
    const id = add.stdout.trim();
    assert.match(id, UUID);
    const q = await amtool(h, ["silence", "query", "-q"]);
    assert.equal(q.stdout.trim(), id);
    const full = await amtool(h, ["silence", "query"]);
    assert.match(
      full.stdout,
      new RegExp(
        `^ID\\s+Matchers\\s+Ends At\\s+Created By\\s+Comment\\s*\\n${id}\\s+alertname="AmtoolTest"\\s+.+tester\\s+quiet\\s*\\n$`,
      ),
    );
    const silenced = await amtool(h, ["alert", "query", "-o", "json", "--silenced"]);
    const alerts = JSON.parse(silenced.stdout) as { status: { state: string; silencedBy: string[] } }[];
    assert.deepEqual(
      alerts.map((a) => a.status),
      [{ inhibitedBy: [], mutedBy: [], silencedBy: [id], state: "suppressed" }],
    );
    const exp = await amtool(h, ["silence", "expire", id]);
    assert.equal(exp.code, 0, exp.stderr);
    assert.equal((await amtool(h, ["silence", "query", "-q"])).stdout.trim(), "");
    assert.equal((await amtool(h, ["silence", "query", "-q", "--expired"])).stdout.trim(), id);
  });

  it("silence query by matcher and an unknown expire fail as upstream", async () => {
    const add = await amtool(h, ["silence", "add", "job=x", "--comment=c", "--author=a"]);
    const id = add.stdout.trim();
    assert.equal((await amtool(h, ["silence", "query", "-q", "job=x"])).stdout.trim(), id);
    assert.equal((await amtool(h, ["silence", "query", "-q", "job=y"])).stdout.trim(), "");
    const bad = await amtool(h, ["silence", "expire", "00000000-0000-0000-0000-000000000000"]);
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stderr, "amtool: error: [DELETE /silence/{silenceID}][404] deleteSilenceNotFound\n\n");
  });

  it("alert query against an empty filter result prints only the header", async () => {
    const q = await amtool(h, ["alert", "query", "alertname=Nothing"]);
    assert.equal(q.code, 0);
    assert.match(q.stdout, /^Alertname\s+Starts At\s+Summary\s+State\s*\n$/);
  });
});
