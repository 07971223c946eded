/**
 * The query engine: parses (or takes) an expression, evaluates it over the
 * storage, and shapes the result as the API returns it. Enforces the limits:
 * a timeout, a cap on samples held per query, and a cap on queries running at
 * once (the rest wait their turn). Evaluation is cooperative: the evaluator
 * yields every few thousand units of work and the driver gives the event loop
 * back whenever it has run for a time slice, so a long query never blocks
 * other work for more than a slice. Before evaluating, a queryable with an
 * asynchronous `prepare` step (remote read) is given the query's selectors
 * and their time ranges (selectors.ts) and awaited, within the timeout.
 */
import { Labels } from "../model/labels/labels.ts";
import type { Queryable } from "../storage/interface.ts";
import { Annotations } from "./annotations.ts";
import { canceledError, QueryError, timeoutError } from "./errors.ts";
import { Evaluator, finishSeries } from "./evaluator.ts";
import { documentedType, type Expr, parseExpr, typeOf } from "./parser/index.ts";
import { selectorRanges } from "./selectors.ts";
import type { EvalValue, Grid, MatrixSeries, QueryValue, RangeSeries, Sample } from "./value.ts";

export interface EngineOptions {
  /** Query timeout, ms. */
  timeoutMs: number;
  /** Most points a query may hold in memory at once. */
  maxSamples: number;
  /** How far back an instant selector looks for a sample, ms. */
  lookbackDelta: number;
  /** Queries evaluated at once; more wait in line. */
  maxConcurrent: number;
  /** Step of subqueries written without one, ms. */
  noStepSubqueryIntervalMs: number;
  /** Drop `__name__` at the end of the query instead of where the value changes meaning. */
  enableDelayedNameRemoval: boolean;
  /** Parse experimental functions (limitk, limit_ratio, sort_by_label, …). */
  experimentalFunctions: boolean;
  /** Longest stretch the engine runs before yielding to the event loop, ms. */
  sliceMs: number;
}

export const defaultEngineOptions: EngineOptions = {
  timeoutMs: 120_000,
  maxSamples: 50_000_000,
  lookbackDelta: 5 * 60_000,
  maxConcurrent: 20,
  noStepSubqueryIntervalMs: 60_000,
  enableDelayedNameRemoval: false,
  experimentalFunctions: false,
  sliceMs: 20,
};

/** Most steps a range query may have, as upstream's API allows. */
export const MAX_POINTS_PER_SERIES = 11_000;

export interface QueryResult {
  value: QueryValue;
  annotations: Annotations;
  stats: QueryStats;
}

export interface QueryStats {
  /** Wall time spent waiting for a slot, evaluating, and in total, ms. */
  queueMs: number;
  evalMs: number;
  /** Most points held at once. */
  peakSamples: number;
  /** Samples read by selectors (upstream's `totalQueryableSamples`, see `Evaluator.totalSamples`). */
  totalSamples: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /** Overrides the engine's lookback delta for this query, ms. */
  lookbackDelta?: number;
}

/** Receives every finished query's stats (the server's `prometheus_engine_*` metrics). */
export type QueryObserver = (stats: QueryStats) => void;

export class Engine {
  readonly opts: EngineOptions;
  /** Called after each successful evaluation; see `metrics.ts`. */
  readonly observers: QueryObserver[] = [];
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(opts: Partial<EngineOptions> = {}) {
    this.opts = { ...defaultEngineOptions, ...opts };
  }

  /** Queries evaluating now, and waiting for a slot. */
  load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  parse(query: string): Expr {
    return parseExpr(query, { experimentalFunctions: this.opts.experimentalFunctions });
  }

  /** Evaluates at one instant `ts` (ms). */
  async instantQuery(
    q: Queryable,
    query: string | Expr,
    ts: number,
    o: QueryOptions = {},
  ): Promise<QueryResult> {
    const expr = typeof query === "string" ? this.parse(query) : query;
    return this.run(q, expr, { start: ts, end: ts, interval: 1, n: 1 }, false, o);
  }

  /** Evaluates at `start, start+step, … ≤ end` (ms). */
  async rangeQuery(
    q: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    o: QueryOptions = {},
  ): Promise<QueryResult> {
    const expr = typeof query === "string" ? this.parse(query) : query;
    if (!(step > 0))
      throw new QueryError("bad_data", "zero or negative query resolution step widths are not accepted");
    if (end < start) throw new QueryError("bad_data", "end timestamp must not be before start time");
    // As upstream's API: more points per series than a dashboard can show is a mistake.
    if ((end - start) / step > MAX_POINTS_PER_SERIES) {
      throw new QueryError(
        "bad_data",
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
      );
    }
    const type = typeOf(expr);
    if (type !== "scalar" && type !== "vector") {
      throw new QueryError(
        "bad_data",
        `invalid expression type "${documentedType(type)}" for range query, must be Scalar or instant Vector`,
      );
    }
    return this.run(
      q,
      expr,
      { start, end, interval: step, n: Math.floor((end - start) / step) + 1 },
      true,
      o,
    );
  }

  private async run(
    q: Queryable,
    expr: Expr,
    g: Grid,
    range: boolean,
    o: QueryOptions,
  ): Promise<QueryResult> {
    const queued = performance.now();
    const deadline = queued + this.opts.timeoutMs;
    await this.acquire(deadline, o.signal);
    const started = performance.now();
    try {
      const annos = new Annotations();
      const prepared = await this.prepare(q, expr, g, o, deadline);
      const ev = new Evaluator(
        prepared,
        {
          lookbackDelta: o.lookbackDelta ?? this.opts.lookbackDelta,
          maxSamples: this.opts.maxSamples,
          noStepSubqueryInterval: this.opts.noStepSubqueryIntervalMs,
          delayedNameRemoval: this.opts.enableDelayedNameRemoval,
          start: g.start,
          end: g.end,
        },
        annos,
      );
      const v = await this.drive(ev.eval(expr, g), deadline, o.signal);
      const value = range ? this.rangeResult(v, g) : this.instantResult(v, g);
      const stats: QueryStats = {
        queueMs: started - queued,
        evalMs: performance.now() - started,
        peakSamples: ev.peakSamples,
        totalSamples: ev.totalSamples,
      };
      for (const observe of this.observers) observe(stats);
      return { value, annotations: annos, stats };
    } finally {
      this.release();
    }
  }

  /**
   * Lets the queryable fetch what the expression's selectors need from slow
   * sources (remote read) before the synchronous evaluation, bounded by the
   * query's deadline and signal (see `Queryable.prepare`).
   */
  private async prepare(
    q: Queryable,
    expr: Expr,
    g: Grid,
    o: QueryOptions,
    deadline: number,
  ): Promise<Queryable> {
    if (q.prepare === undefined) return q;
    const selectors = selectorRanges(expr, g, {
      lookbackDelta: o.lookbackDelta ?? this.opts.lookbackDelta,
      noStepSubqueryInterval: this.opts.noStepSubqueryIntervalMs,
      start: g.start,
      end: g.end,
    });
    if (selectors.length === 0) return q;
    // A controller and a cleared timer rather than AbortSignal.timeout, whose
    // timer would live for the whole query timeout after every query.
    const ac = new AbortController();
    const timer = setTimeout(
      () => ac.abort(new DOMException("query timed out", "TimeoutError")),
      Math.max(1, deadline - performance.now()),
    );
    const cancel = (): void => ac.abort(o.signal?.reason);
    o.signal?.addEventListener("abort", cancel, { once: true });
    let prepared: Queryable;
    try {
      prepared = await q.prepare(selectors, ac.signal);
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", cancel);
    }
    if (o.signal?.aborted === true) throw canceledError("query execution");
    // The timer may fire a little before `deadline` by performance.now().
    if (ac.signal.aborted || performance.now() >= deadline) throw timeoutError("query execution");
    return prepared;
  }

  /** Runs the evaluation generator in slices of `sliceMs`, checking the deadline and cancellation between them. */
  private async drive<T>(
    gen: Generator<void, T>,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    let sliceEnd = performance.now() + this.opts.sliceMs;
    for (;;) {
      const r = gen.next();
      if (r.done === true) return r.value;
      const now = performance.now();
      if (now < sliceEnd) continue;
      if (now >= deadline) throw timeoutError("query execution");
      if (signal?.aborted === true) throw canceledError("query execution");
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceEnd = performance.now() + this.opts.sliceMs;
    }
  }

  private async acquire(deadline: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.running < this.opts.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        clearTimeout(timer);
        this.running++;
        resolve();
      };
      const timer = setTimeout(
        () => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(timeoutError("queue"));
        },
        Math.max(0, deadline - performance.now()),
      );
      signal?.addEventListener("abort", () => {
        const i = this.waiting.indexOf(grant);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        clearTimeout(timer);
        reject(canceledError("queue"));
      });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    this.running--;
    const next = this.waiting.shift();
    if (next !== undefined) next();
  }

  private instantResult(v: EvalValue, g: Grid): QueryValue {
    const t = g.start;
    switch (v.type) {
      case "scalar":
        return { type: "scalar", t, v: v.values[0]! };
      case "string":
        return { type: "string", t, v: v.value };
      case "vector": {
        const series = finishSeries(v.series, 1);
        const samples: Sample[] = [];
        for (const s of series)
          if (s.present[0] === 1) samples.push({ metric: s.labels, t, f: s.values[0]! });
        return { type: "vector", samples };
      }
      case "matrix":
        return { type: "matrix", series: matrixOf(v.series, this.opts.enableDelayedNameRemoval) };
    }
  }

  private rangeResult(v: EvalValue, g: Grid): QueryValue {
    if (v.type === "scalar") {
      const t: number[] = [];
      const f: number[] = [];
      for (let i = 0; i < g.n; i++) {
        t.push(g.start + i * g.interval);
        f.push(v.values[i]!);
      }
      return { type: "matrix", series: [{ metric: Labels.EMPTY, t, f }] };
    }
    if (v.type !== "vector")
      throw new QueryError("bad_data", `invalid expression type "${v.type}" for range query`);
    const series = finishSeries(v.series, g.n);
    const out: MatrixSeries[] = [];
    for (const s of series) {
      const t: number[] = [];
      const f: number[] = [];
      for (let i = 0; i < g.n; i++) {
        if (s.present[i] !== 1) continue;
        t.push(g.start + i * g.interval);
        f.push(s.values[i]!);
      }
      if (t.length > 0) out.push({ metric: s.labels, t, f });
    }
    out.sort((a, b) => Labels.compare(a.metric, b.metric));
    return { type: "matrix", series: out };
  }
}

function matrixOf(series: RangeSeries[], delayedNameRemoval: boolean): MatrixSeries[] {
  return series.map((s) => ({
    metric:
      s.dropName && delayedNameRemoval ? s.labels.without("__name__", "__type__", "__unit__") : s.labels,
    t: Array.from(s.ts.subarray(0, s.len)),
    f: Array.from(s.vs.subarray(0, s.len)),
  }));
}
