import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseAlertmanagerConfig } from "../../config/config.ts";
import { buildIntegrations } from "./build.ts";
import { alertsFromJSON, receiverContext, startSink } from "./testing.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;

interface Ref {
  readonly phase: "firing" | "resolved";
  readonly method: string;
  readonly path: string;
  readonly authorization: string;
  readonly body: string;
}

/** The last request of each path in each phase (the reference's first flush held one alert only). */
function lastPerPath(reqs: readonly Ref[]): Map<string, Ref> {
  const m = new Map<string, Ref>();
  for (const r of reqs) m.set(`${r.phase} ${r.method} ${r.path}`, r);
  return m;
}

test("payloads equal the reference Alertmanager's for the same alerts and config", async () => {
  const reference = lastPerPath(JSON.parse(readFileSync(`${dir}reference.json`, "utf8")) as Ref[]);
  const alertsJSON = JSON.parse(readFileSync(`${dir}alerts.json`, "utf8")) as Record<string, unknown>[];
  const sink = await startSink((c) => {
    if (c.path.startsWith("/telegram"))
      return { contentType: "application/json", body: '{"ok":true,"result":{"message_id":1}}' };
    if (c.path === "/slack") return { body: "ok" };
    return {};
  });
  try {
    const yml = readFileSync(`${dir}reference.yml`, "utf8").replaceAll("SINK", sink.url);
    const { config } = parseAlertmanagerConfig(yml, `${dir}reference.yml`);
    const { integrations } = buildIntegrations(config.receivers[0]);
    assert.equal(integrations.length, 7);
    const got: Ref[] = [];
    for (const phase of ["firing", "resolved"] as const) {
      const ctx = await receiverContext("all", { alertname: "DiskFull" });
      const alerts = alertsFromJSON(alertsJSON, phase === "resolved");
      for (const i of integrations) {
        const before = sink.requests.length;
        const res = await i.notifier.notify(ctx, alerts);
        assert.equal(res.error, undefined, `${i.name}: ${res.error?.message}`);
        for (const c of sink.requests.slice(before)) {
          got.push({
            phase,
            method: c.method,
            path: c.path,
            authorization: String(c.headers.authorization ?? ""),
            body: c.body,
          });
        }
      }
    }
    const mine = lastPerPath(got);
    assert.deepEqual([...mine.keys()].sort(), [...reference.keys()].sort());
    for (const [key, want] of reference) {
      const have = mine.get(key)!;
      assert.equal(have.body, want.body, key);
      assert.equal(have.authorization, want.authorization, key);
    }
  } finally {
    await sink.close();
  }
});
