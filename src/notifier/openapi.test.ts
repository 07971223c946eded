import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import type { Alert } from "./alert.ts";
import {
  dateTime,
  encodePostableAlert,
  encodePostableAlerts,
  goJSONString,
  ZERO_DATE_TIME,
} from "./openapi.ts";

const SENT = new URL("../../../shared/fixtures/api/prometheus/sent/", import.meta.url).pathname;
const TESTDATA = new URL("testdata/", import.meta.url).pathname;

/** Alerts back from a captured body, to re-encode. */
function alertsOf(body: string): Alert[] {
  const raw = JSON.parse(body) as Array<Record<string, unknown>>;
  return raw.map((a) => ({
    labels: Labels.fromObject(a.labels as Record<string, string>),
    annotations: Labels.fromObject((a.annotations ?? {}) as Record<string, string>),
    startsAt: new Date(a.startsAt as string),
    endsAt: new Date(a.endsAt as string),
    generatorURL: (a.generatorURL as string | undefined) ?? "",
  }));
}

describe("encodePostableAlerts against bodies Prometheus 3.5.3 sent", () => {
  const files = [
    `${SENT}alerts-post-firing.json`,
    `${SENT}alerts-post-firing-2.json`,
    `${SENT}alerts-post-resolved.json`,
    `${TESTDATA}prometheus-3.5.3-post-prefix.json`,
    `${TESTDATA}prometheus-3.5.3-post-relabeled.json`,
  ];
  for (const file of files) {
    it(file.slice(file.lastIndexOf("/") + 1), (t) => {
      if (!existsSync(file)) return t.skip(`fixture ${file} absent`);
      const want = readFileSync(file, "utf8").trimEnd();
      assert.equal(encodePostableAlerts(alertsOf(want)), want);
    });
  }
});

describe("encodePostableAlert", () => {
  const base: Alert = {
    labels: Labels.fromStrings("alertname", "A"),
    annotations: Labels.EMPTY,
    startsAt: null,
    endsAt: null,
    generatorURL: "",
  };
  const table: Array<[string, Alert, string]> = [
    [
      "zero times, no annotations, no generator URL",
      base,
      `{"endsAt":"${ZERO_DATE_TIME}","startsAt":"${ZERO_DATE_TIME}","labels":{"alertname":"A"}}`,
    ],
    [
      "HTML characters escaped as Go does",
      {
        ...base,
        annotations: Labels.fromStrings("d", "<a href='x'>&\u2028"),
        generatorURL: "http://h/graph?a=1&b=2",
        startsAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 60)),
      },
      `{"annotations":{"d":"\\u003ca href='x'\\u003e\\u0026\\u2028"},"endsAt":"${ZERO_DATE_TIME}",` +
        `"startsAt":"2026-01-02T03:04:05.060Z","generatorURL":"http://h/graph?a=1\\u0026b=2","labels":{"alertname":"A"}}`,
    ],
    [
      "labels sorted bytewise, quotes and control characters escaped",
      { ...base, labels: Labels.fromStrings("z", 'q"\n', "alertname", "A", "Z", "é") },
      `{"endsAt":"${ZERO_DATE_TIME}","startsAt":"${ZERO_DATE_TIME}","labels":{"Z":"é","alertname":"A","z":"q\\"\\n"}}`,
    ],
  ];
  for (const [name, alert, want] of table) it(name, () => assert.equal(encodePostableAlert(alert), want));

  it("an empty list is []", () => assert.equal(encodePostableAlerts([]), "[]"));
  it("invalid dates are Go's zero time", () => assert.equal(dateTime(new Date(Number.NaN)), ZERO_DATE_TIME));
  it("goJSONString leaves plain text alone", () => assert.equal(goJSONString("abc"), '"abc"'));
});
