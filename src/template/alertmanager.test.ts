import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { AlertmanagerTemplates } from "./alertmanager.ts";
import { buildData, KV, labelSetFingerprint, quoteMeta } from "./amdata.ts";
import { goJSON } from "./gojson.ts";
import { parseRFC3339 } from "./time.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;

type Json = Record<string, unknown>;

/** Rebuilds the Data of a webhook body Alertmanager 0.33.1 sent, from its alerts. */
function rebuild(body: Json) {
  const ms = (s: string) => (s.startsWith("0001-") ? 0 : parseRFC3339(s)!.millis);
  const alerts = (body.alerts as Json[]).map((a) => ({
    labels: a.labels as Record<string, string>,
    annotations: a.annotations as Record<string, string>,
    startsAtMs: ms(a.startsAt as string),
    endsAtMs: ms(a.endsAt as string),
    generatorURL: a.generatorURL as string,
  }));
  const ends = alerts.map((a) => a.endsAtMs).filter((x) => x > 0);
  return buildData({
    receiver: body.receiver as string,
    groupLabels: body.groupLabels as Record<string, string>,
    alerts,
    externalURL: body.externalURL as string,
    notificationReason: body.notification_reason as string,
    nowMs: ends.length > 0 ? Math.max(...ends) + 1000 : Date.parse("2026-11-22T02:09:00Z"),
  });
}

test("buildData + toJson reproduce Alertmanager's webhook payloads", () => {
  for (const f of [
    "am-webhook-firing-group.json",
    "am-webhook-some-resolved.json",
    "am-webhook-resolved.json",
  ]) {
    const body = JSON.parse(readFileSync(dir + f, "utf8")) as Json;
    const raw = readFileSync(dir + f, "utf8").trim();
    const want = raw.replace(/,"version":.*$/, "}");
    assert.equal(goJSON(rebuild(body)), want, f);
  }
});

test("label set fingerprints are Prometheus'", () => {
  const body = JSON.parse(readFileSync(`${dir}am-webhook-some-resolved.json`, "utf8")) as Json;
  for (const a of body.alerts as Json[]) {
    assert.equal(labelSetFingerprint(a.labels as Record<string, string>), a.fingerprint);
  }
  assert.equal(labelSetFingerprint({}), "cbf29ce484222325");
});

test("KV methods", () => {
  const kv = KV.of({ b: "2", alertname: "X", a: "1" });
  assert.deepEqual(kv.Names(), ["alertname", "a", "b"]);
  assert.deepEqual(kv.Values(), ["X", "1", "2"]);
  assert.equal(kv.String(), "alertname=X, a=1, b=2");
  assert.deepEqual([...kv.Remove(["a", "zz"]).keys()].sort(), ["alertname", "b"]);
  assert.equal(quoteMeta("team.a+(b)"), "team\\.a\\+\\(b\\)");
});

test("AlertmanagerTemplates: globs, defaults, text and HTML", async () => {
  const t = await AlertmanagerTemplates.fromGlobs([`${dir}fixture.tmpl`, `${dir}does-not-exist/*.tmpl`], {
    defaultTemplates: '{{ define "__subject" }}[{{ .Status | toUpper }}]{{ end }}',
    externalURL: "http://am:9093",
  });
  assert.deepEqual(t.templateNames(), ["", "__subject", "fixture.title", "fixture.tmpl"]);
  const data = t.data({
    receiver: "team.x",
    groupLabels: { alertname: "Down" },
    alerts: [
      {
        labels: { alertname: "Down", job: "<a>" },
        annotations: {},
        startsAtMs: 1000,
        endsAtMs: 0,
        generatorURL: "",
      },
    ],
  });
  assert.equal(data.Receiver, "team\\.x");
  assert.equal(data.ExternalURL, "http://am:9093");
  assert.equal(
    await t.executeText('{{ template "__subject" . }} {{ template "fixture.title" . }}', data),
    "[FIRING] [FIRING:1] Down",
  );
  assert.equal(await t.executeText("", data), "");
  assert.equal(await t.executeHTML("<b>{{ .CommonLabels.job }}</b>", data), "<b>&lt;a&gt;</b>");
  assert.equal(await t.executeText("{{ .CommonLabels.job }}", data), "<a>");
  await assert.rejects(t.executeText("{{ .Nope }}", data), /can't evaluate field Nope in type template.Data/);
});

test("now, since, date and tz", async () => {
  const clock = { now: () => Date.parse("2026-06-01T12:00:00Z") };
  const t = await AlertmanagerTemplates.fromGlobs([], { clock });
  const data = t.data({
    receiver: "r",
    groupLabels: {},
    alerts: [
      {
        labels: { a: "b" },
        annotations: {},
        startsAtMs: Date.parse("2026-06-01T11:58:30.5Z"),
        endsAtMs: 0,
        generatorURL: "",
      },
    ],
    nowMs: clock.now(),
  });
  const out = await t.executeText(
    '{{ $a := index .Alerts 0 }}{{ since $a.StartsAt }}|{{ date "15:04" now }}|{{ tz "Europe/Berlin" $a.StartsAt }}|{{ humanizeDuration (since $a.StartsAt) }}',
    data,
  );
  assert.equal(out, "1m29.5s|12:00|2026-06-01 13:58:30.5 +0200 CEST|1m 29s");
});
