/**
 * The issue's "Must show" Grafana check: the requests Grafana's Prometheus
 * data source makes, sent to the reference Prometheus and to `vigil server`
 * after both scraped the same targets (see difftest/harness.ts), compared
 * field for field. Deliberate exceptions, each for a reason:
 * - buildinfo: values differ (version, revision, …), keys and types must not;
 * - queries whose functions read sample timestamps (`rate`, `irate`) are
 *   compared within 1e-9 relative: the servers scrape at different offsets
 *   in the epoch, so the same values sit at different times. `rate` is only
 *   used on counters far from zero (the node's CPU seconds): its
 *   extrapolation stops at the point where a counter would have been zero,
 *   and how far that is from the window's start depends on the offset, so
 *   the young VictoriaMetrics' histogram buckets go through `irate`;
 * - values of a job are only compared when neither server scraped it just
 *   before an epoch boundary (then it may hold the next epoch's body) or
 *   exactly on one (an evaluation at the boundary would see it), and both
 *   kept every scrape on the interval's grid (a late one moves its sample);
 * - `metadata` with `limit`, and `label/__name__/values` with `match[]` and
 *   `limit`: upstream picks the entries in Go's random map order before
 *   sorting, so only the count, the warnings and membership are compared.
 * `VIGIL_DIFF_SECONDS` sets how long both scrape (default 16 s).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { compareQueryData, nearBoundary, type QueryData, shapeOf } from "./difftest/compare.ts";
import { DiffRun, diffSeconds, skipReason } from "./difftest/harness.ts";
import { JOBS } from "./difftest/scrapeconfig.ts";
import type { Params, Reply, ServerProcess } from "./difftest/serverprocess.ts";

const EPOCH_MS = 2000;
const GUARD = { beforeMs: 100, afterMs: 5 };
/** Range of the range selectors: inside the window from the first evaluation on. */
const RANGE_S = 8;
const SECONDS = diffSeconds(16);

const skip = skipReason();
if (skip !== undefined) console.log(`# skipping grafana differential: ${skip}`);

/** A dashboard query: its expression, the jobs its values come from, and the tolerance. */
interface DashboardQuery {
  readonly expr: string;
  readonly jobs: readonly string[];
  readonly relTol: number;
}

const QUERIES: readonly DashboardQuery[] = [
  { expr: "sum by (job) (up)", jobs: [], relTol: 0 },
  { expr: "sum by (job) (scrape_samples_scraped)", jobs: JOBS, relTol: 0 },
  { expr: `rate(node_cpu_seconds_total[${RANGE_S}s])`, jobs: ["node"], relTol: 1e-9 },
  {
    expr: `histogram_quantile(0.9, sum by (le) (irate(go_sched_latencies_seconds_bucket{job="victoriametrics"}[${RANGE_S}s])))`,
    jobs: ["victoriametrics"],
    relTol: 1e-9,
  },
  { expr: `max_over_time(process_resident_memory_bytes[${RANGE_S}s])`, jobs: JOBS, relTol: 0 },
  { expr: 'pushed_special or pushed_value{kind="a"} * 2', jobs: ["pushgateway"], relTol: 0 },
];

describe("grafana's prometheus data source: vigil server answers as prometheus", { skip }, () => {
  let run: DiffRun;
  /** Jobs whose values are not compared, each with why (see the file comment). */
  const unsafe = new Map<string, string>();
  before(
    async () => {
      run = await DiffRun.start({ epochMs: EPOCH_MS, seconds: SECONDS, log: (l) => console.log(`# ${l}`) });
      const scrapes = new Map<string, number[]>();
      for (const s of run.servers) {
        for (const series of await run.rawSamples(s, "up")) {
          const job = series.metric.job!;
          (scrapes.get(job) ?? scrapes.set(job, []).get(job)!).push(series.values.length);
          let last = Number.NaN;
          for (const [sec] of series.values) {
            const ms = Math.round(sec * 1000);
            if (nearBoundary(ms, EPOCH_MS, GUARD)) unsafe.set(job, `${s.flavour} scraped near a boundary`);
            // A scrape run late (a busy machine, either server) past the 2 ms snap tolerance keeps
            // its own timestamp, off the grid: rates then differ legitimately in the last digits.
            if (!Number.isNaN(last) && ms - last !== EPOCH_MS)
              unsafe.set(job, `${s.flavour} scraped ${ms - last - EPOCH_MS} ms off the grid`);
            last = ms;
          }
        }
      }
      for (const [job, counts] of scrapes)
        if (counts.some((n) => n !== counts[0])) unsafe.set(job, `scrape counts ${counts}`);
      // A request delayed past a boundary got the next epoch's body whatever its timestamp says.
      for (const job of await run.lateScrapeJobs()) unsafe.set(job, "a request reached the next epoch");
      for (const [job, why] of unsafe) console.log(`# values of ${job} not compared: ${why}`);
    },
    { timeout: SECONDS * 1000 + 90_000 },
  );
  after(() => run?.stop());

  const sec = (ms: number) => String(ms / 1000);
  /** Grafana's time bounds: whole seconds. */
  const bounds = () => ({ start: sec(run.window.start), end: sec(run.window.end) });
  const both = (fn: (s: ServerProcess) => Promise<Reply>) => Promise.all(run.servers.map(fn));

  it("status/buildinfo: same keys and value types", async () => {
    const [p, v] = await both((s) => s.get("/api/v1/status/buildinfo"));
    assert.equal(v!.status, p!.status);
    assert.equal(v!.contentType, p!.contentType);
    assert.deepEqual(shapeOf(v!.json), shapeOf(p!.json));
  });

  for (const method of ["GET", "POST"] as const) {
    for (const q of QUERIES) {
      it(`query_range ${method} ${q.expr}`, async (t) => {
        const params: Params = {
          query: q.expr,
          start: sec(run.window.start + RANGE_S * 1000),
          end: sec(run.window.end),
          step: String(EPOCH_MS / 1000),
          timeout: "30s",
        };
        const [p, v] = await both((s) =>
          method === "GET" ? s.get("/api/v1/query_range", params) : s.post("/api/v1/query_range", params),
        );
        assertSameEnvelope(p!, v!);
        const pd = (p!.json as { data: QueryData }).data;
        assert.equal(pd.resultType, "matrix");
        assert.ok((pd.result as unknown[]).length > 0, "empty result: the query tests nothing");
        if (q.jobs.some((j) => unsafe.has(j))) return t.diagnostic("values not compared (boundary)");
        const vd = (v!.json as { data: QueryData }).data;
        assert.deepEqual(compareQueryData(pd, vd, q.relTol), []);
        if (q.relTol > 0) t.diagnostic(`points not bitwise equal: ${compareQueryData(pd, vd).length}`);
      });
    }
  }

  it("query with time (Grafana's instant queries and its `1+1` health check)", async () => {
    for (const query of ["1+1", "up", 'count by (job) ({job=~".+"})', "pushed_special"]) {
      const params = { query, time: sec(run.window.end) };
      const [p, v] = await both((s) => s.get("/api/v1/query", params));
      assertSameEnvelope(p!, v!);
      const diff = compareQueryData(
        (p!.json as { data: QueryData }).data,
        (v!.json as { data: QueryData }).data,
      );
      assert.deepEqual(diff, [], query);
    }
  });

  const exact: readonly [string, string, Params][] = [
    ["labels", "/api/v1/labels", {}],
    ["labels match[]", "/api/v1/labels", { "match[]": ['{job="node"}', "up"] }],
    [
      "series match[]",
      "/api/v1/series",
      { "match[]": ["up", 'node_load1{job="node"}', '{__name__=~"pushed_.*"}'] },
    ],
    ["label job values", "/api/v1/label/job/values", {}],
    ["label job values match[]", "/api/v1/label/job/values", { "match[]": '{__name__=~"push.*"}' }],
    ["label __name__ values match[]", "/api/v1/label/__name__/values", { "match[]": '{job="pushgateway"}' }],
    ["labels limit", "/api/v1/labels", { limit: "3" }],
  ];
  for (const [name, path, extra] of exact) {
    it(`${name}: identical answers within start/end`, async () => {
      const params = { ...extra, ...bounds() };
      const [p, v] = await both((s) => s.get(path, params));
      assertSameEnvelope(p!, v!);
      assert.deepEqual(v!.json, p!.json);
    });
  }

  it("label __name__ values with match[] and limit: same count, warnings and members", async () => {
    const params = { "match[]": '{job=~".+"}', ...bounds() };
    const [p, v] = await both((s) => s.get("/api/v1/label/__name__/values", { ...params, limit: "7" }));
    assertSameEnvelope(p!, v!);
    const all = new Set(await run.vigil.data<string[]>("/api/v1/label/__name__/values", params));
    const pj = p!.json as { data: string[]; warnings: string[] };
    const vj = v!.json as { data: string[]; warnings: string[] };
    assert.deepEqual(vj.warnings, pj.warnings);
    assert.equal(vj.data.length, pj.data.length);
    for (const name of [...vj.data, ...pj.data]) assert.ok(all.has(name), name);
    assert.deepEqual(vj.data, [...vj.data].sort());
  });

  it("metadata, metadata?metric=, metadata?limit=", async () => {
    const [p, v] = await both((s) => s.get("/api/v1/metadata"));
    assertSameEnvelope(p!, v!);
    const pm = sortedMetadata(p!.json);
    assert.ok(Object.keys(pm).length > 100);
    assert.deepEqual(sortedMetadata(v!.json), pm);
    for (const metric of ["node_load1", "pushed_total", "go_goroutines", "no_such_metric"]) {
      const [pp, vv] = await both((s) => s.get("/api/v1/metadata", { metric }));
      assertSameEnvelope(pp!, vv!);
      assert.deepEqual(sortedMetadata(vv!.json), sortedMetadata(pp!.json), metric);
    }
    const [pl, vl] = await both((s) => s.get("/api/v1/metadata", { limit: "5", limit_per_metric: "1" }));
    assert.equal(vl!.status, pl!.status);
    const values = (r: Reply) => Object.values((r.json as { data: object }).data);
    assert.deepEqual(shapeOf(values(vl!)), shapeOf(values(pl!)));
    const vlm = (vl!.json as { data: Record<string, unknown[]> }).data;
    assert.equal(Object.keys(vlm).length, 5);
    for (const [m, entries] of Object.entries(vlm)) {
      assert.equal(entries.length, 1, m);
      assert.ok(
        pm[m]?.some((e) => JSON.stringify(e) === JSON.stringify(entries[0])),
        m,
      );
    }
  });

  const errors: readonly [string, string, "GET" | "POST", Params][] = [
    ["bad query", "/api/v1/query", "GET", { query: "sum(" }],
    ["bad time", "/api/v1/query", "GET", { query: "up", time: "yesterday" }],
    ["unknown function", "/api/v1/query", "POST", { query: "nosuchfn(up)" }],
    ["end before start", "/api/v1/query_range", "POST", { query: "up", start: "20", end: "10", step: "1" }],
    ["zero step", "/api/v1/query_range", "GET", { query: "up", start: "10", end: "20", step: "0" }],
    [
      "bad timeout",
      "/api/v1/query_range",
      "GET",
      { query: "up", start: "1", end: "2", step: "1", timeout: "x" },
    ],
    [
      "too many points",
      "/api/v1/query_range",
      "GET",
      { query: "up", start: "0", end: "100000", step: "0.001" },
    ],
    ["bad match[]", "/api/v1/series", "GET", { "match[]": "{" }],
    ["no match[]", "/api/v1/series", "GET", {}],
    ["no step", "/api/v1/query_range", "POST", { query: "up", start: "1", end: "2" }],
    ["bad lookback_delta", "/api/v1/query", "GET", { query: "up", lookback_delta: "-1s" }],
    ["bad start", "/api/v1/labels", "GET", { start: "soon" }],
    ["bad limit", "/api/v1/metadata", "GET", { limit: "many" }],
  ];
  for (const [name, path, method, params] of errors) {
    it(`error ${name}: same status, errorType and error text`, async () => {
      const [p, v] = await both((s) => (method === "GET" ? s.get(path, params) : s.post(path, params)));
      assertSameEnvelope(p!, v!);
      assert.equal((p!.json as { status: string }).status, "error");
      assert.deepEqual(v!.json, p!.json);
    });
  }
});

/** Same HTTP status, content type, envelope keys and types. */
function assertSameEnvelope(p: Reply, v: Reply): void {
  assert.equal(v.status, p.status, `status; prometheus said ${p.text.slice(0, 300)}`);
  assert.equal(v.contentType, p.contentType);
  assert.deepEqual(shapeOf(v.json), shapeOf(p.json));
}

type Metadata = Record<string, { type: string; help: string; unit: string }[]>;

/** `data` of a metadata answer with each metric's entries sorted (upstream's order is a map's). */
function sortedMetadata(body: unknown): Metadata {
  const data = (body as { data: Metadata }).data;
  const key = (e: object) => JSON.stringify(e);
  return Object.fromEntries(
    Object.entries(data).map(([m, es]) => [m, [...es].sort((a, b) => key(a).localeCompare(key(b)))]),
  );
}
