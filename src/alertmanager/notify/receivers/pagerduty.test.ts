import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAlertmanagerConfig } from "../../config/config.ts";
import { buildIntegrations } from "./build.ts";
import { PagerDutyNotifier } from "./pagerduty.ts";
import { alertsFromJSON, receiverContext, startSink } from "./testing.ts";

const ALERTS = alertsFromJSON(
  [
    {
      labels: { alertname: "Down" },
      annotations: {},
      startsAt: "2026-11-22T09:00:00Z",
      resolvedAt: "",
      generatorURL: "",
    },
  ],
  false,
);

function receiver(body: string) {
  const yml = `route: {receiver: r}\nreceivers:\n  - name: r\n${body}\n`;
  return parseAlertmanagerConfig(yml, "/tmp/am.yml").config.receivers[0];
}

test("pagerduty v2: 429 and 5xx retried, 400 worded from the body, other 4xx final", async () => {
  const cases: [number, string, boolean, string][] = [
    [429, "", true, "unexpected status code 429"],
    [503, "", true, "unexpected status code 503"],
    [
      400,
      '{"status":"invalid","message":"Event object is invalid","errors":["a","b"]}',
      false,
      "unexpected status code 400: Event object is invalid: a,b",
    ],
    [403, "", false, "unexpected status code 403"],
  ];
  for (const [status, body, retry, message] of cases) {
    const sink = await startSink(() => ({ status, body }));
    try {
      const conf = receiver(`    pagerduty_configs: [{routing_key: k, url: "${sink.url}/v2"}]`)
        .pagerduty_configs[0];
      const res = await new PagerDutyNotifier(conf).notify(
        await receiverContext("r", { alertname: "Down" }),
        ALERTS,
      );
      assert.equal(res.retry, retry, `${status}`);
      assert.equal(res.error?.message, message);
    } finally {
      await sink.close();
    }
  }
});

test("pagerduty: an empty routing key after templating fails for good", async () => {
  const conf = receiver(
    '    pagerduty_configs: [{routing_key: "{{ .CommonLabels.nope }}", url: "http://127.0.0.1:1/"}]',
  ).pagerduty_configs[0];
  const res = await new PagerDutyNotifier(conf).notify(
    await receiverContext("r", { alertname: "Down" }),
    ALERTS,
  );
  assert.equal(res.retry, false);
  assert.equal(res.error?.message, "routing key cannot be empty");
});

test("buildIntegrations: one integration per entry, unsupported types reported", () => {
  const r = receiver(
    '    webhook_configs: [{url: "http://h/1"}, {url: "http://h/2"}]\n    slack_configs: [{api_url: "http://h/s", send_resolved: true}]\n    pushover_configs: [{user_key: u, token: t}]',
  );
  const built = buildIntegrations(r);
  assert.deepEqual(
    built.integrations.map((i) => [i.name, i.index, i.sendResolved]),
    [
      ["webhook", 0, true],
      ["webhook", 1, true],
      ["slack", 0, true],
    ],
  );
  assert.deepEqual(built.unsupported, ["pushover_configs"]);
});
