import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { alertsFromFixture, fixture, type Harness, silencesFromFixture, startHarness } from "./testing.ts";

const NOW = Date.parse("2026-11-22T02:10:18Z");

async function call(
  h: Harness,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { "Content-Type": "application/json" },
) {
  const res = await fetch(`${h.url}${path}`, { method, body, headers, signal: AbortSignal.timeout(5000) });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    headers: res.headers,
    text: await res.text(),
  };
}

describe("API v2 against the captured fixtures", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      now: () => NOW,
      alerts: alertsFromFixture("alerts.json"),
      silences: silencesFromFixture("silences.json"),
    });
  });
  after(() => h.close());

  const gets: [string, string][] = [
    ["/api/v2/alerts", "alerts-after-silence.json"],
    [
      "/api/v2/alerts?silenced=false&inhibited=false&active=true&filter=severity%3D%22critical%22",
      "alerts-filter.json",
    ],
    ["/api/v2/alerts/groups", "alerts-groups-after-silence.json"],
    ["/api/v2/silences", "silences.json"],
    ["/api/v2/silence/aa5de1d3-aeb2-4228-b88b-f380b1ff1cee", "silence-by-id.json"],
    ["/api/v2/receivers", "receivers.json"],
    ["/api/v2/status", "status.json"],
  ];
  for (const [path, file] of gets) {
    it(`GET ${path} equals ${file} byte for byte`, async () => {
      const r = await call(h, "GET", path);
      assert.equal(r.status, 200);
      assert.equal(r.type, "application/json");
      assert.equal(r.headers.get("cache-control"), "no-store");
      assert.equal(r.headers.get("vary"), "Origin");
      assert.equal(r.text, fixture(file));
    });
  }

  it("GET an unknown silence is a 404 without body", async () => {
    const r = await call(h, "GET", "/api/v2/silence/00000000-0000-0000-0000-000000000000");
    assert.equal(r.status, 404);
    assert.equal(r.text, "");
    assert.equal(r.type, null);
  });

  it("POST invalid alerts: 400 with the fixture body", async () => {
    const r = await call(h, "POST", "/api/v2/alerts", fixture("post-alerts-invalid.request.json"));
    assert.equal(r.status, 400);
    assert.equal(r.text, fixture("post-alerts-invalid.json"));
  });

  it("POST an invalid silence: 422 with the fixture body", async () => {
    const r = await call(h, "POST", "/api/v2/silences", fixture("post-silence-invalid.request.json"));
    assert.equal(r.status, 422);
    assert.equal(r.text, fixture("post-silence-invalid.json"));
  });
});

describe("API v2 writes", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: () => NOW, alerts: alertsFromFixture("alerts.json") });
  });
  after(() => h.close());

  it("POST alerts stores them with resolve_timeout, 200 and no body", async () => {
    const r = await call(h, "POST", "/api/v2/alerts", fixture("post-alerts.request.json"));
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    const a = h.store.list().find((x) => x.labels.alertname === "ManualTestAlert");
    assert.ok(a);
    assert.equal(a.timeout, true);
    assert.equal(a.endsAt, NOW + 5 * 60_000);
    assert.equal(a.updatedAt, NOW);
  });

  it("POST a silence returns its ID; it silences; DELETE expires it", async () => {
    const req = JSON.parse(fixture("post-silence.request.json"));
    req.startsAt = new Date(NOW).toISOString();
    const r = await call(h, "POST", "/api/v2/silences", JSON.stringify(req));
    assert.equal(r.status, 200);
    const { silenceID } = JSON.parse(r.text) as { silenceID: string };
    assert.match(silenceID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(r.text, `{"silenceID":"${silenceID}"}\n`);
    const alerts = JSON.parse((await call(h, "GET", "/api/v2/alerts?filter=job%3D%22down%22")).text);
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0].status, {
      inhibitedBy: [],
      mutedBy: [],
      silencedBy: [silenceID],
      state: "suppressed",
    });
    const d = await call(h, "DELETE", `/api/v2/silence/${silenceID}`);
    assert.equal(d.status, 200);
    assert.equal(d.text, "");
    const s = JSON.parse((await call(h, "GET", `/api/v2/silence/${silenceID}`)).text);
    assert.equal(
      s.status.state,
      "active",
      "ended exactly now: still active at the same instant, as upstream",
    );
    assert.equal(s.endsAt, new Date(NOW).toISOString());
  });

  // Bodies and statuses observed from the reference Alertmanager 0.33.1.
  const cases: [string, string, string | undefined, number, string][] = [
    [
      "POST",
      "/api/v2/alerts",
      "{}",
      400,
      '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal object into Go value of type models.PostableAlerts"}',
    ],
    [
      "POST",
      "/api/v2/alerts",
      "xx",
      400,
      '{"code":400,"message":"parsing alerts body from \\"\\" failed, because invalid character \'x\' looking for beginning of value"}',
    ],
    ["POST", "/api/v2/alerts", "[{}]", 422, '{"code":602,"message":"0.labels in body is required"}'],
    ["POST", "/api/v2/alerts", "", 422, '{"code":602,"message":"alerts in body is required"}'],
    [
      "POST",
      "/api/v2/alerts",
      '[{"labels":{"a":"b"},"startsAt":"bad"}]',
      400,
      '{"code":400,"message":"parsing alerts body from \\"\\" failed, because parsing time \\"bad\\" as \\"2006-01-02\\": cannot parse \\"bad\\" as \\"2006\\""}',
    ],
    [
      "POST",
      "/api/v2/alerts",
      '[{"labels":{"a":"b"},"startsAt":"2026-01-01T00:00:00Z","endsAt":"2025-01-01T00:00:00Z"},{"labels":{"":"x"}}]',
      400,
      '"start time must be before end time\\ninvalid label set: invalid name \\"\\""\n',
    ],
    [
      "POST",
      "/api/v2/alerts",
      '[{"labels":{"a":1}}]',
      400,
      '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal number into Go struct field Alert.labels.a of type string"}',
    ],
    [
      "POST",
      "/api/v2/alerts",
      '[{"labels":{"a":"b"},"generatorURL":"not a url"}]',
      422,
      '{"code":601,"message":"0.generatorURL in body must be of type uri: \\"not a url\\""}',
    ],
    ["GET", "/api/v2/alerts?filter=foo", undefined, 400, '"bad matcher format: foo"\n'],
    [
      "GET",
      "/api/v2/alerts?receiver=(",
      undefined,
      400,
      '"failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`"\n',
    ],
    [
      "GET",
      "/api/v2/alerts/groups?receiver=(",
      undefined,
      400,
      '"failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`"\n',
    ],
    ["GET", "/api/v2/silences?filter={", undefined, 400, '"unexpected open or close brace: {"\n'],
    [
      "GET",
      "/api/v2/silence/xyz",
      undefined,
      422,
      '{"code":601,"message":"silenceID in path must be of type uuid: \\"xyz\\""}',
    ],
    ["DELETE", "/api/v2/silence/00000000-0000-0000-0000-000000000000", undefined, 404, ""],
    ["GET", "/api/v2/nope", undefined, 404, '{"code":404,"message":"path /api/v2/nope was not found"}'],
    [
      "PUT",
      "/api/v2/alerts",
      undefined,
      405,
      '{"code":405,"message":"method PUT is not allowed, but [GET,POST] are"}',
    ],
    ["POST", "/api/v2/silences", "{}", 422, '{"code":602,"message":"comment in body is required"}'],
    [
      "POST",
      "/api/v2/silences",
      '{"comment":"c"}',
      422,
      '{"code":602,"message":"createdBy in body is required"}',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"comment":"c","createdBy":"x","endsAt":"2030-01-02T00:00:00Z","matchers":[{}]}',
      422,
      '{"code":602,"message":"matchers.0.isRegex in body is required"}',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"comment":"c","createdBy":"x","endsAt":"2030-01-02T00:00:00Z","matchers":[{"isRegex":true,"name":"a"}],"startsAt":"2026-01-01T00:00:00Z"}',
      422,
      '{"code":602,"message":"matchers.0.value in body is required"}',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"matchers":[{"name":"a","value":"b","isRegex":false}],"endsAt":"2030-01-02T00:00:00Z","createdBy":"x","comment":"y"}',
      422,
      '{"code":602,"message":"startsAt in body is required"}',
    ],
    [
      "POST",
      "/api/v2/silences",
      "[]",
      400,
      '{"code":400,"message":"parsing silence body from \\"\\" failed, because json: cannot unmarshal array into Go value of type struct { ID string \\"json:\\\\\\"id,omitempty\\\\\\"\\" }"}',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-01T00:00:00Z","createdBy":"x","comment":"y"}',
      400,
      '"Failed to create silence: start time must be before end time"\n',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-02T00:00:00Z","createdBy":"x","comment":"y"}',
      400,
      '"Failed to create silence: end time can\'t be in the past"\n',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"matchers":[{"name":"a","value":"","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z","endsAt":"2030-01-02T00:00:00Z","createdBy":"x","comment":"y"}',
      400,
      '"invalid silence: matcher set 0: at least one matcher must not match the empty string"\n',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"matchers":[{"name":"a","value":"(","isRegex":true}],"startsAt":"2026-01-01T00:00:00Z","endsAt":"2030-01-02T00:00:00Z","createdBy":"x","comment":"y"}',
      400,
      '"invalid silence: invalid label matcher 0 in set 0: invalid regular expression \\"(\\": error parsing regexp: missing closing ): `(`"\n',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"comment":"c","createdBy":"x","endsAt":"2030-01-02T00:00:00Z","matchers":[{"isRegex":true,"name":"","value":"x"}],"startsAt":"2026-01-01T00:00:00Z"}',
      400,
      '"invalid silence: invalid label matcher 0 in set 0: invalid label name \\"\\""\n',
    ],
    [
      "POST",
      "/api/v2/silences",
      '{"id":"nope","matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z","endsAt":"2030-01-02T00:00:00Z","createdBy":"x","comment":"y"}',
      404,
      '"silence not found"\n',
    ],
  ];
  for (const [method, path, body, status, want] of cases) {
    it(`${method} ${path} ${body ?? ""} → ${status}`, async () => {
      const r = await call(h, method, path, body);
      assert.equal(r.status, status);
      assert.equal(r.text, want);
    });
  }

  it("refuses a non-JSON content type with 415", async () => {
    const r = await call(h, "POST", "/api/v2/alerts", "[]", { "Content-Type": "text/plain" });
    assert.equal(r.status, 415);
    assert.equal(
      r.text,
      '{"code":415,"message":"unsupported media type \\"text/plain\\", only [application/json] are allowed"}',
    );
  });

  it("answers CORS preflights and leaves other paths alone", async () => {
    const r = await call(h, "OPTIONS", "/api/v2/alerts", undefined, {
      Origin: "http://x",
      "Access-Control-Request-Method": "POST",
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    const other = await call(h, "GET", "/metrics");
    assert.equal(other.text, "not api");
  });
});
