/**
 * Rules and notifications in `vigil server`, end to end on 127.0.0.1: rule
 * files from `rule_files` are evaluated (recording rules write series,
 * alerting rules fire), the API shows them (`/api/v1/rules`, `/alerts`,
 * `/alertmanagers`), and firing alerts reach the configured Alertmanager.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runServer, waitFor } from "./testing.ts";

const RULES = `groups:
  - name: example
    interval: 200ms
    rules:
      - record: job:vigil_test:sum
        expr: sum(vector(3))
      - alert: AlwaysFiring
        expr: vector(1) > 0
        labels:
          severity: page
        annotations:
          summary: "value is {{ $value }}"
`;

interface Posted {
  readonly path: string;
  readonly alerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
}

async function startSink(): Promise<{ address: string; posted: Posted[]; close(): void }> {
  const posted: Posted[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      posted.push({ path: req.url ?? "", alerts: JSON.parse(body) as Posted["alerts"] });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { address: `127.0.0.1:${port}`, posted, close: () => server.close() };
}

async function getJSON<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}

describe("vigil server: rules and notifier", () => {
  it("evaluates rule files, serves them in the API and sends firing alerts", {
    timeout: 30_000,
  }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-alerting-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const sink = await startSink();
    t.after(() => sink.close());
    writeFileSync(join(dir, "rules.yml"), RULES);
    const config = join(dir, "prometheus.yml");
    writeFileSync(
      config,
      `global:
  evaluation_interval: 200ms
  external_labels: {cluster: test}
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - path_prefix: /am
      static_configs:
        - targets: ['${sink.address}']
`,
    );
    const run = await runServer(dir, config, "--rules.alert.resend-delay=100ms");
    t.after(() => run.stop());

    const sample = await waitFor("recording rule output", async () => {
      const q = new URLSearchParams({ query: "job:vigil_test:sum" });
      const r = await getJSON<{ data: { result: { value: [number, string] }[] } }>(
        `${run.url}/api/v1/query?${q}`,
      );
      return r.data.result[0]?.value[1];
    });
    assert.equal(sample, "3");

    const rules = await getJSON<{
      data: {
        groups: { name: string; file: string; rules: { name: string; type: string; health: string }[] }[];
      };
    }>(`${run.url}/api/v1/rules`);
    assert.equal(rules.data.groups.length, 1);
    assert.equal(rules.data.groups[0]!.name, "example");
    assert.equal(rules.data.groups[0]!.file, join(dir, "rules.yml"));
    assert.deepEqual(
      rules.data.groups[0]!.rules.map((r) => [r.name, r.type]),
      [
        ["job:vigil_test:sum", "recording"],
        ["AlwaysFiring", "alerting"],
      ],
    );

    const alerts = await waitFor("a firing alert", async () => {
      const r = await getJSON<{ data: { alerts: { labels: Record<string, string>; state: string }[] } }>(
        `${run.url}/api/v1/alerts`,
      );
      return r.data.alerts.find((a) => a.state === "firing");
    });
    assert.deepEqual(alerts.labels, { alertname: "AlwaysFiring", severity: "page" });

    const am = await getJSON<{ data: { activeAlertmanagers: { url: string }[] } }>(
      `${run.url}/api/v1/alertmanagers`,
    );
    assert.deepEqual(am.data.activeAlertmanagers, [{ url: `http://${sink.address}/am/api/v2/alerts` }]);

    const post = await waitFor("an alert at the Alertmanager", () => sink.posted[0]);
    assert.equal(post.path, "/am/api/v2/alerts");
    assert.deepEqual(post.alerts[0]!.labels, {
      alertname: "AlwaysFiring",
      cluster: "test",
      severity: "page",
    });
    assert.equal(post.alerts[0]!.annotations.summary, "value is 1");
  });
});
