import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { amtoolAgainst, amtoolSkip } from "../config/testing.ts";
import { type Harness, startHarness } from "./testing.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("reference amtool against Vigil's API v2", { skip: amtoolSkip() }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("alert add, then alert query shows it", async () => {
    const add = await amtoolAgainst(h.url, [
      "alert",
      "add",
      "alertname=AmtoolTest",
      "severity=warning",
      "--annotation=summary=from amtool",
    ]);
    assert.equal(add.status, 0, add.stderr);
    const q = await amtoolAgainst(h.url, ["alert", "query", "-o", "json"]);
    assert.equal(q.status, 0, q.stderr);
    const alerts = JSON.parse(q.stdout) as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      status: { state: string };
    }[];
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.labels, { alertname: "AmtoolTest", severity: "warning" });
    assert.deepEqual(alerts[0]!.annotations, { summary: "from amtool" });
    assert.equal(alerts[0]!.status.state, "active");
    const simple = await amtoolAgainst(h.url, ["alert", "query", "alertname=AmtoolTest"]);
    assert.match(
      simple.stdout,
      /^Alertname\s+Starts At\s+Summary\s+State\s*\nAmtoolTest\s+.+from amtool\s+active\s*\n$/,
    );
  });

  it("silence add | query | expire round trip", async () => {
    const add = await amtoolAgainst(h.url, [
      "silence",
      "add",
      "alertname=AmtoolTest",
      "--comment=quiet",
      "--author=tester",
      "--duration=1h",
    ]);
    assert.equal(add.status, 0, add.stderr);
    const id = add.stdout.trim();
    assert.match(id, UUID);
    const q = await amtoolAgainst(h.url, ["silence", "query", "-q"]);
    assert.equal(q.stdout.trim(), id);
    const full = await amtoolAgainst(h.url, ["silence", "query"]);
    assert.match(
      full.stdout,
      new RegExp(
        `^ID\\s+Matchers\\s+Ends At\\s+Created By\\s+Comment\\s*\\n${id}\\s+alertname="AmtoolTest"\\s+.+tester\\s+quiet\\s*\\n$`,
      ),
    );
    const silenced = await amtoolAgainst(h.url, ["alert", "query", "-o", "json", "--silenced"]);
    const alerts = JSON.parse(silenced.stdout) as { status: { state: string; silencedBy: string[] } }[];
    assert.deepEqual(
      alerts.map((a) => a.status),
      [{ inhibitedBy: [], mutedBy: [], silencedBy: [id], state: "suppressed" }],
    );
    const exp = await amtoolAgainst(h.url, ["silence", "expire", id]);
    assert.equal(exp.status, 0, exp.stderr);
    assert.equal((await amtoolAgainst(h.url, ["silence", "query", "-q"])).stdout.trim(), "");
    assert.equal((await amtoolAgainst(h.url, ["silence", "query", "-q", "--expired"])).stdout.trim(), id);
  });

  it("silence query by matcher and an unknown expire fail as upstream", async () => {
    const add = await amtoolAgainst(h.url, ["silence", "add", "job=x", "--comment=c", "--author=a"]);
    const id = add.stdout.trim();
    assert.equal((await amtoolAgainst(h.url, ["silence", "query", "-q", "job=x"])).stdout.trim(), id);
    assert.equal((await amtoolAgainst(h.url, ["silence", "query", "-q", "job=y"])).stdout.trim(), "");
    const bad = await amtoolAgainst(h.url, ["silence", "expire", "00000000-0000-0000-0000-000000000000"]);
    assert.notEqual(bad.status, 0);
    assert.equal(bad.stderr, "amtool: error: [DELETE /silence/{silenceID}][404] deleteSilenceNotFound\n\n");
  });

  it("alert query against an empty filter result prints only the header", async () => {
    const q = await amtoolAgainst(h.url, ["alert", "query", "alertname=Nothing"]);
    assert.equal(q.status, 0);
    assert.match(q.stdout, /^Alertname\s+Starts At\s+Summary\s+State\s*\n$/);
  });
});
