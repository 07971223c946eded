import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAlertmanagerConfig } from "../../config/config.ts";
import { SlackNotifier } from "./slack.ts";
import { alertsFromJSON, receiverContext, startSink } from "./testing.ts";

const ALERTS = alertsFromJSON(
  [
    {
      labels: { alertname: "Down", instance: "web-1" },
      annotations: {},
      startsAt: "2026-11-22T09:00:00Z",
      resolvedAt: "2026-11-22T09:30:00Z",
      generatorURL: "",
    },
  ],
  false,
);

function slackConfig(body: string) {
  const yml = `route: {receiver: s}\nreceivers:\n  - name: s\n    slack_configs:\n      - ${body}\n`;
  return parseAlertmanagerConfig(yml, "/tmp/am.yml").config.receivers[0].slack_configs[0];
}

test("slack: incoming webhook message end to end", async () => {
  const sink = await startSink(() => ({ body: "ok" }));
  try {
    const conf = slackConfig(
      `{api_url: "${sink.url}/hook", title: "${"x".repeat(1100)}", link_names: true, icon_emoji: ":fire:"}`,
    );
    const res = await new SlackNotifier(conf).notify(
      await receiverContext("s", { alertname: "Down" }),
      ALERTS,
    );
    assert.equal(res.error, undefined);
    const req = sink.requests[0];
    assert.equal(req.path, "/hook");
    assert.equal(req.headers["content-type"], "application/json");
    assert.match(String(req.headers["user-agent"]), /^Alertmanager\//);
    const body = JSON.parse(req.body);
    assert.equal(body.username, "Alertmanager");
    assert.equal(body.icon_emoji, ":fire:");
    assert.equal(body.link_names, true);
    assert.equal(Array.from(body.attachments[0].title as string).length, 1024, "title cut to 1024 runes");
    assert.ok((body.attachments[0].title as string).endsWith("…"));
    assert.equal(body.attachments[0].color, "danger");
  } finally {
    await sink.close();
  }
});

test("slack: bot token posts to app_url with a bearer token; JSON errors fail", async () => {
  const sink = await startSink((c) =>
    c.path === "/bad"
      ? { contentType: "application/json", body: '{"ok":false,"error":"channel_not_found"}' }
      : { contentType: "application/json", body: '{"ok":true,"ts":"1"}' },
  );
  try {
    const ctx = await receiverContext("s", { alertname: "Down" });
    const ok = await new SlackNotifier(
      slackConfig(`{app_token: xoxb-1, app_url: "${sink.url}/api", channel: "#c"}`),
    ).notify(ctx, ALERTS);
    assert.equal(ok.error, undefined);
    assert.equal(sink.requests[0].headers.authorization, "Bearer xoxb-1");
    const bad = await new SlackNotifier(
      slackConfig(`{app_token: xoxb-1, app_url: "${sink.url}/bad", channel: "#c"}`),
    ).notify(ctx, ALERTS);
    assert.equal(bad.retry, false);
    assert.equal(bad.error?.message, 'channel "#c": error response from Slack: channel_not_found');
  } finally {
    await sink.close();
  }
});

test("slack: status codes decide retries as upstream's Retrier", async () => {
  const cases: [number, string, boolean, string][] = [
    [500, "boom", true, 'channel "": unexpected status code 500: boom'],
    [429, "slow down", false, 'channel "": unexpected status code 429: slow down'],
    [404, "no_service", false, 'channel "": unexpected status code 404: no_service'],
    [200, "invalid_payload", false, 'channel "": received an error response from Slack: invalid_payload'],
  ];
  for (const [status, text, retry, message] of cases) {
    const sink = await startSink(() => ({ status, body: text }));
    try {
      const res = await new SlackNotifier(slackConfig(`{api_url: "${sink.url}/x"}`)).notify(
        await receiverContext("s", { alertname: "Down" }),
        ALERTS,
      );
      assert.equal(res.retry, retry, `${status}`);
      assert.equal(res.error?.message, message);
    } finally {
      await sink.close();
    }
  }
});

test("slack: a network error is retried", async () => {
  const sink = await startSink();
  const url = sink.url;
  await sink.close();
  const res = await new SlackNotifier(slackConfig(`{api_url: "${url}/x"}`)).notify(
    await receiverContext("s", { alertname: "Down" }),
    ALERTS,
  );
  assert.equal(res.retry, true);
  assert.notEqual(res.error, undefined);
});
