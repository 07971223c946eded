import assert from "node:assert/strict";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { test } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import type { Queryable } from "../storage/interface.ts";
import { Head } from "../tsdb/head/head.ts";
import { RangeHead } from "../tsdb/head/reader.ts";
import { BlockQuerier } from "../tsdb/querier.ts";
import { Engine } from "./engine.ts";
import { QueryError } from "./errors.ts";

/** An in-memory head holding `series` counters named `m`, one sample every `stepMs` over `[0, spanMs]`. */
function counters(series: number, spanMs: number, stepMs: number): Queryable {
  const head = new Head();
  const labels = Array.from({ length: series }, (_, i) =>
    Labels.fromStrings("__name__", "m_total", "i", String(i), "g", String(i % 10)),
  );
  const refs = new Array<number>(series).fill(0);
  for (let t = 0; t <= spanMs; t += stepMs) {
    const app = head.appender();
    for (let i = 0; i < series; i++) refs[i] = app.append(refs[i]!, labels[i]!, t, (t / 1000) * (i + 1));
    app.commit();
  }
  return { querier: (mint, maxt) => new BlockQuerier(new RangeHead(head, mint, maxt), mint, maxt) };
}

test("instant and range queries over a head", async () => {
  const q = counters(3, 600_000, 15_000);
  const engine = new Engine();
  const r = await engine.instantQuery(q, 'm_total{i="1"}', 300_000);
  assert.equal(r.value.type, "vector");
  if (r.value.type !== "vector") return;
  assert.equal(r.value.samples.length, 1);
  assert.equal(r.value.samples[0]!.f, 600);
  const rr = await engine.rangeQuery(q, "sum(rate(m_total[1m]))", 60_000, 120_000, 30_000);
  assert.equal(rr.value.type, "matrix");
  if (rr.value.type !== "matrix") return;
  assert.deepEqual(rr.value.series[0]!.t, [60_000, 90_000, 120_000]);
  for (const v of rr.value.series[0]!.f) assert.ok(Math.abs(v - 6) < 1e-9, `rate sum ${v}`);
});

test("a query over the sample limit fails with upstream's message", async () => {
  const q = counters(50, 600_000, 15_000);
  const engine = new Engine({ maxSamples: 100 });
  await assert.rejects(engine.rangeQuery(q, "m_total", 0, 600_000, 15_000), (e: unknown) => {
    assert.ok(e instanceof QueryError);
    assert.equal(e.message, "query processing would load too many samples into memory in query execution");
    return true;
  });
});

test("a query that runs past its timeout fails with type timeout", async () => {
  const q = counters(200, 3_600_000, 15_000);
  const engine = new Engine({ timeoutMs: 30, sliceMs: 5 });
  await assert.rejects(
    engine.rangeQuery(q, "max_over_time(rate(m_total[5m])[1h:1s])", 0, 3_600_000, 60_000),
    (e) => {
      assert.ok(e instanceof QueryError);
      assert.equal(e.type, "timeout");
      assert.match(e.message, /^query timed out in /);
      return true;
    },
  );
});

test("queries beyond maxConcurrent wait for a slot", async () => {
  const q = counters(20, 600_000, 15_000);
  const engine = new Engine({ maxConcurrent: 1 });
  const order: string[] = [];
  const a = engine.rangeQuery(q, "sum(rate(m_total[1m]))", 0, 600_000, 1000).then(() => order.push("a"));
  const b = engine.instantQuery(q, "m_total", 600_000).then((r) => {
    order.push("b");
    return r;
  });
  await Promise.all([a, b]);
  assert.deepEqual(order, ["a", "b"]);
  const r = await b;
  assert.ok(r.stats.queueMs > 0);
});

test("a long query never blocks the event loop for more than ~50 ms", async (t) => {
  // Enough work for a few seconds: 1000 series × 4h, a 1s-resolution subquery
  // re-evaluated at each of 241 steps.
  const q = counters(1000, 4 * 3_600_000, 15_000);
  const engine = new Engine({ sliceMs: 20 });
  const h = monitorEventLoopDelay({ resolution: 5 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  h.enable();
  const started = performance.now();
  const r = await engine.rangeQuery(
    q,
    "sum by (g) (max_over_time(rate(m_total[5m])[10m:1s]))",
    0,
    4 * 3_600_000,
    60_000,
  );
  const elapsed = performance.now() - started;
  h.disable();
  clearInterval(timer);
  assert.equal(r.value.type, "matrix");
  const maxMs = h.max / 1e6;
  t.diagnostic(
    `query ran ${elapsed.toFixed(0)} ms; longest event-loop block ${maxMs.toFixed(1)} ms; ${ticks} timer ticks`,
  );
  assert.ok(elapsed > 1000, `the query should take seconds to make the test meaningful (took ${elapsed} ms)`);
  assert.ok(maxMs < 60, `event loop blocked for ${maxMs} ms`);
  assert.ok(ticks > elapsed / 10 / 4, "timers kept firing while the query ran");
});

test("resolution and subquery sizes are bounded before anything is allocated", async () => {
  const q = counters(2, 600_000, 15_000);
  const engine = new Engine({ maxSamples: 1_000_000 });
  await assert.rejects(engine.rangeQuery(q, "m_total", 0, 1e12, 1000), (e) => {
    assert.ok(e instanceof QueryError);
    assert.equal(e.type, "bad_data");
    assert.match(e.message, /^exceeded maximum resolution of 11,000 points per timeseries/);
    return true;
  });
  await assert.rejects(engine.instantQuery(q, "max_over_time(m_total[100y:1ms])", 600_000), (e) => {
    assert.ok(e instanceof QueryError);
    assert.equal(e.message, "query processing would load too many samples into memory in query execution");
    return true;
  });
});
