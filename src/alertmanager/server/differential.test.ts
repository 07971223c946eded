/**
 * The must-show: the same alert stream, posted at scripted times,
 * into the reference `alertmanager` and into `vigil alertmanager` (both as
 * processes, the same config routing to webhook sinks on 127.0.0.1,
 * group_wait 1s / group_interval 2s). The notifications must match: per
 * receiver and group the same sequence of webhook bodies (grouping, labels,
 * status, order), each within {@link TOLERANCE_MS} of the reference's time.
 * Prints a summary. Skips without the reference alertmanager.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { freePort } from "../../testing/net.ts";
import {
  type Child,
  postAlerts,
  type Received,
  referenceSkip,
  spawnReference,
  spawnVigil,
  startWebhookSink,
  type WebhookSink,
} from "./testing.ts";

/** Largest accepted difference between the two notification times. */
const TOLERANCE_MS = 500;
/** How long the stream is observed after T0. */
const OBSERVE_MS = 16_000;

const config = (sink: string): string => `route:
  receiver: default
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - matchers: [team="db"]
      receiver: db
      group_by: [alertname, cluster]
      continue: true
    - matchers: [severity="critical"]
      receiver: pager
      group_by: ['...']
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname]
receivers:
  - name: default
    webhook_configs: [{ url: "${sink}/default" }]
  - name: db
    webhook_configs: [{ url: "${sink}/db" }]
  - name: pager
    webhook_configs: [{ url: "${sink}/pager", send_resolved: false }]
`;

type Labels = Record<string, string>;
interface Step {
  readonly at: number;
  readonly what: string;
  readonly alerts?: readonly { labels: Labels; resolved?: boolean }[];
  readonly silence?: Labels;
}

/** The scripted stream: seconds after T0. */
const SCRIPT: readonly Step[] = [
  {
    at: 0,
    what: "two HighLoad warnings",
    alerts: [
      { labels: { alertname: "HighLoad", instance: "a", severity: "warning" } },
      { labels: { alertname: "HighLoad", instance: "b", severity: "warning" } },
    ],
  },
  {
    at: 0.5,
    what: "DBDown c1 (db and default)",
    alerts: [{ labels: { alertname: "DBDown", team: "db", cluster: "c1" } }],
  },
  {
    at: 1.6,
    what: "a third HighLoad joins",
    alerts: [{ labels: { alertname: "HighLoad", instance: "c", severity: "warning" } }],
  },
  {
    at: 3,
    what: "critical Disk (pager)",
    alerts: [{ labels: { alertname: "Disk", instance: "x", severity: "critical" } }],
  },
  {
    at: 4.2,
    what: "HighLoad a resolves",
    alerts: [{ labels: { alertname: "HighLoad", instance: "a", severity: "warning" }, resolved: true }],
  },
  { at: 5, what: "silence DBDown c2", silence: { alertname: "DBDown", cluster: "c2" } },
  {
    at: 5.3,
    what: "DBDown c2 (silenced)",
    alerts: [{ labels: { alertname: "DBDown", team: "db", cluster: "c2" } }],
  },
  {
    at: 6,
    what: "Inhib critical + warning (inhibited)",
    alerts: [
      { labels: { alertname: "Inhib", instance: "y", severity: "critical" } },
      { labels: { alertname: "Inhib", instance: "z", severity: "warning" } },
    ],
  },
  {
    at: 8.5,
    what: "all HighLoad resolve",
    alerts: ["a", "b", "c"].map((i) => ({
      labels: { alertname: "HighLoad", instance: i, severity: "warning" },
      resolved: true,
    })),
  },
  {
    at: 10,
    what: "DBDown c1 resolves",
    alerts: [{ labels: { alertname: "DBDown", team: "db", cluster: "c1" }, resolved: true }],
  },
];

function postable(step: Step, t0: number, startedAt: Map<string, number>, now: number) {
  return (step.alerts ?? []).map((a) => {
    const key = JSON.stringify(a.labels);
    if (!startedAt.has(key)) startedAt.set(key, now);
    return {
      labels: a.labels,
      annotations: { summary: `${a.labels.alertname} on ${a.labels.instance ?? a.labels.cluster}` },
      startsAt: new Date(startedAt.get(key)!).toISOString(),
      ...(a.resolved ? { endsAt: new Date(now).toISOString() } : {}),
      generatorURL: `http://prometheus.example/graph?t0=${t0}`,
    };
  });
}

async function silence(url: string, labels: Labels, now: number): Promise<void> {
  const r = await fetch(`${url}/api/v2/silences`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      matchers: Object.entries(labels).map(([name, value]) => ({
        name,
        value,
        isRegex: false,
        isEqual: true,
      })),
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: "differential",
      comment: "scripted",
    }),
  });
  if (r.status !== 200) throw new Error(`POST silence: ${r.status} ${await r.text()}`);
}

/** Notifications keyed `<path> <groupKey>`, each sequence in arrival order. */
function byGroup(received: readonly Received[]): Map<string, Received[]> {
  const out = new Map<string, Received[]>();
  for (const r of received) {
    const k = `${r.path} ${r.body.groupKey}`;
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

describe("differential: vigil alertmanager vs the reference", { skip: referenceSkip("alertmanager") }, () => {
  let dir: string;
  let refSink: WebhookSink;
  let vigilSink: WebhookSink;
  let ref: Child;
  let vigil: Child;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-am-diff-"));
    [refSink, vigilSink] = await Promise.all([startWebhookSink(), startWebhookSink()]);
    writeFileSync(join(dir, "ref.yml"), config(refSink.url));
    writeFileSync(join(dir, "vigil.yml"), config(vigilSink.url));
    const common = ["--web.external-url=http://am.example:9093"];
    [ref, vigil] = await Promise.all([
      freePort().then((port) =>
        spawnReference(port, [
          `--config.file=${join(dir, "ref.yml")}`,
          `--storage.path=${join(dir, "ref")}`,
          ...common,
        ]),
      ),
      spawnVigil([
        `--config.file=${join(dir, "vigil.yml")}`,
        `--storage.path=${join(dir, "vigil")}`,
        ...common,
      ]),
    ]);
  });
  after(async () => {
    await Promise.all([ref?.stop(), vigil?.stop()]);
    await Promise.all([refSink?.close(), vigilSink?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("the same stream gives the same notifications at the same times", { timeout: 60_000 }, async () => {
    const t0 = Date.now() + 300;
    const startedAt = new Map<string, number>();
    for (const step of SCRIPT) {
      const wait = t0 + step.at * 1000 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const now = Date.now();
      if (step.silence !== undefined)
        await Promise.all([ref, vigil].map((c) => silence(c.url, step.silence!, now)));
      const alerts = postable(step, t0, startedAt, now);
      if (alerts.length > 0) await Promise.all([ref, vigil].map((c) => postAlerts(c.url, alerts)));
    }
    await new Promise((r) => setTimeout(r, t0 + OBSERVE_MS - Date.now()));

    const want = byGroup(refSink.received);
    const got = byGroup(vigilSink.received);
    const lines: string[] = [];
    let maxDelta = 0;
    for (const key of [...new Set([...want.keys(), ...got.keys()])].sort()) {
      const w = want.get(key) ?? [];
      const g = got.get(key) ?? [];
      const deltas = w.map((x, i) => (g[i] === undefined ? Number.NaN : g[i].at - x.at));
      for (const d of deltas) if (Number.isFinite(d)) maxDelta = Math.max(maxDelta, Math.abs(d));
      const times = w.map((x) => ((x.at - t0) / 1000).toFixed(2)).join(", ");
      lines.push(
        `  ${key}: reference ${w.length} at [${times}] s, vigil ${g.length}, Δ ms [${deltas.map((d) => Math.round(d)).join(", ")}]`,
      );
    }
    console.log(
      [
        `differential summary: reference ${refSink.received.length} notifications, vigil ${vigilSink.received.length}, ${want.size} groups, max |Δt| ${Math.round(maxDelta)} ms (tolerance ${TOLERANCE_MS})`,
        ...lines,
      ].join("\n"),
    );

    assert.ok(
      refSink.received.length >= 8,
      `the script should produce notifications (got ${refSink.received.length})`,
    );
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), "same receivers and groups");
    for (const [key, w] of want) {
      const g = got.get(key)!;
      assert.deepEqual(
        g.map((x) => x.body),
        w.map((x) => x.body),
        `webhook bodies of ${key}`,
      );
      w.forEach((x, i) => {
        const d = Math.abs(g[i]!.at - x.at);
        assert.ok(d <= TOLERANCE_MS, `${key} notification ${i}: |Δt| ${d} ms > ${TOLERANCE_MS} ms`);
      });
    }
  });
});
