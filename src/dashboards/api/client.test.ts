import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FetchLike, PromApiError, proxyClient } from "../model/variables/client.ts";
import { resolveVariables } from "../model/variables/resolve.ts";
import { Client, startFakePrometheus, startTestServer, type TestServer } from "./testing.ts";

describe("proxyClient through the data source proxy", () => {
  let srv: TestServer;
  let prom: Awaited<ReturnType<typeof startFakePrometheus>>;
  let fetchFn: FetchLike;
  before(async () => {
    srv = await startTestServer();
    prom = await startFakePrometheus();
    srv.store.datasources.add({ name: "P", uid: "p", type: "prometheus", url: `${prom.url}/prom` });
    const c = new Client(srv.url);
    await c.login("vi", "vi-pw");
    fetchFn = (url, init) => fetch(url, { ...init, headers: { ...init?.headers, cookie: c.cookie } });
  });
  after(async () => {
    await srv.close();
    await prom.close();
  });
  const range = { from: 1_700_000_000_000, to: 1_700_003_600_000 };

  it("calls the Prometheus API with match[] and the range in seconds", async () => {
    const client = proxyClient(fetchFn, srv.url, "p");
    prom.seen.length = 0;
    assert.deepEqual(await client.labelValues("job", ["up"], range), ["node", "vigil"]);
    assert.equal(
      prom.seen[0]!.url,
      "/prom/api/v1/label/job/values?match%5B%5D=up&start=1700000000&end=1700003600",
    );
    assert.deepEqual(await client.labelNames([], range), ["__name__", "instance", "job"]);
    assert.deepEqual(await client.series(["up"], range), [{ __name__: "up", job: "node" }]);
    assert.deepEqual(await client.instantQuery("up", range.to), [
      { metric: { __name__: "up", job: "node" }, value: [1700000000, "1"] },
    ]);
    assert.deepEqual(await client.instantQuery("scalar(1)", range.to), [
      { metric: {}, value: [1700000000, "4"] },
    ]);
    await assert.rejects(
      client.labelValues("nope", [], range),
      (e: unknown) => e instanceof PromApiError && e.message === "bad_data: unknown label",
    );
  });

  it("resolves dashboard variables end to end", async () => {
    const r = await resolveVariables(
      [
        {
          name: "job",
          type: "query",
          query: "label_values(job)",
          datasource: { type: "prometheus", uid: "${ds}" },
        },
        { name: "ds", type: "datasource", query: "prometheus" },
        { name: "res", type: "query", query: 'query_result(up{job="$job"})', datasource: { uid: "p" } },
      ],
      {
        range,
        client: (uid) => proxyClient(fetchFn, srv.url, uid ?? "p"),
        datasources: [{ uid: "p", name: "P", type: "prometheus" }],
      },
    );
    assert.deepEqual(r.get("job")!.current, { text: "node", value: "node" });
    assert.deepEqual(
      r.get("res")!.options.map((o) => o.text),
      ['up{job="node"} 1 1700000000000'],
    );
    assert.ok(prom.seen.some((s) => decodeURIComponent(s.url).includes('query=up{job="node"}')));
  });
});
