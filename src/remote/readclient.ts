/**
 * The `remote_read` side of the server's storage (upstream's
 * `storage/remote/read.go`): a Queryable per endpoint. Storage selects are
 * synchronous, so the endpoint is asked asynchronously beforehand:
 * {@link RemoteReadQueryable.prepare} sends one snappy `ReadRequest`
 * (response type `SAMPLES`) per distinct selector, over the union of that
 * selector's ranges, and resolves to a Queryable answering those selects from
 * memory. A plain `querier()` (callers that do not prepare: federation,
 * series/labels APIs, the read handler) sees no remote data.
 *
 * `required_matchers`: the endpoint is asked only when every one of them is
 * an equality matcher of the select. `filter_external_labels` (default true):
 * the external labels are added as matchers and removed from the results.
 * Without `read_recent` the endpoint is asked only for the time up to the
 * local storage's oldest sample (upstream's PreferLocalStorageFilter).
 */
import { compress, uncompress } from "snappy";
import type { Dispatcher } from "undici";
import { newDispatcher, requestHeaders } from "../config/client.ts";
import type { RemoteReadConfig } from "../config/types.ts";
import { undici } from "../config/undici.ts";
import type { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import type { Querier, Queryable, SelectorRange } from "../storage/interface.ts";
import { emptySeriesSet } from "../storage/interface.ts";
import { buildInfo } from "../version/info.ts";
import type { RemoteReadMetrics } from "./metrics.ts";
import { type Fetched, PreparedRemoteQueryable, selectorKey } from "./readprepared.ts";
import { decodeReadResponse, encodeReadRequest, type ReadSeries, ResponseType } from "./readproto.ts";

/** Where a reader counts its requests: the registry's metrics and the endpoint's `remote_name`. */
export interface ReadClientMetrics {
  readonly metrics: RemoteReadMetrics;
  readonly name: string;
}

/** A remote-read endpoint as a Queryable. */
export class RemoteReadQueryable implements Queryable {
  readonly cfg: RemoteReadConfig;
  private readonly external: Labels;
  private readonly localStart: () => number;
  private dispatcher: Dispatcher | undefined;
  private readonly metrics:
    | { metrics: RemoteReadMetrics; labels: { remote_name: string; url: string } }
    | undefined;

  /** With `metrics`, requests are counted under `remote_name` `metrics.name` (the in-flight gauge exists at once, as upstream's). */
  constructor(
    cfg: RemoteReadConfig,
    external: Labels,
    localStartTime: () => number,
    metrics?: ReadClientMetrics,
  ) {
    this.cfg = cfg;
    this.external = external;
    this.localStart = localStartTime;
    if (metrics !== undefined) {
      const labels = { remote_name: metrics.name, url: String(cfg.url) };
      this.metrics = { metrics: metrics.metrics, labels };
      metrics.metrics.queries.inc(labels, 0);
    }
  }

  /** Unprepared callers read local data only: the remote side answers nothing. */
  querier(_mint: number, _maxt: number): Querier {
    return noopQuerier;
  }

  /** Whether the select's matchers carry every `required_matchers` pair as an equality matcher. */
  matchesRequired(ms: readonly Matcher[]): boolean {
    for (const [n, v] of Object.entries(this.cfg.required_matchers ?? {})) {
      if (!ms.some((m) => m.type === "=" && m.name === n && m.value === v)) return false;
    }
    return true;
  }

  /** The local start time selects are clamped to (`Infinity` with `read_recent`). */
  localLimit(): number {
    return this.cfg.read_recent ? Number.POSITIVE_INFINITY : this.localStart();
  }

  /**
   * Reads every distinct selector once (concurrently) over the union of its
   * ranges. Never rejects: a failed read is kept and thrown by the selects
   * that need it (the fanout turns it into a warning).
   */
  async prepare(selectors: readonly SelectorRange[], signal?: AbortSignal): Promise<Queryable> {
    const local = this.localLimit();
    const wanted = new Map<string, { matchers: readonly Matcher[]; mint: number; maxt: number }>();
    for (const s of selectors) {
      if (s.mint > local || !this.matchesRequired(s.matchers)) continue;
      const maxt = Math.min(s.maxt, local);
      const key = selectorKey(s.matchers);
      const have = wanted.get(key);
      if (have === undefined) wanted.set(key, { matchers: s.matchers, mint: s.mint, maxt });
      else wanted.set(key, { ...have, mint: Math.min(have.mint, s.mint), maxt: Math.max(have.maxt, maxt) });
    }
    const fetched = new Map<string, Fetched>();
    await Promise.all(
      [...wanted].map(async ([key, w]) => {
        try {
          fetched.set(key, { ...w, series: await this.readSelect(w.mint, w.maxt, w.matchers, signal) });
        } catch (err) {
          fetched.set(key, { ...w, error: `remote_read: ${(err as Error)?.message ?? String(err)}` });
        }
      }),
    );
    return new PreparedRemoteQueryable(this, local, fetched);
  }

  /** One select's read: external labels added as matchers and removed from the answer. */
  private async readSelect(
    mint: number,
    maxt: number,
    ms: readonly Matcher[],
    signal: AbortSignal | undefined,
  ): Promise<ReadSeries[]> {
    const added: string[] = [];
    const matchers = [...ms];
    if (this.cfg.filter_external_labels !== false) {
      this.external.forEach((n, v) => {
        if (ms.some((m) => m.name === n)) return;
        matchers.push(Matcher.create("=", n, v));
        added.push(n);
      });
    }
    const series = await this.read(mint, maxt, matchers, signal);
    return added.length === 0 ? series : series.map((s) => ({ ...s, labels: s.labels.without(...added) }));
  }

  /**
   * One remote read of `[mint, maxt]`, bounded by `remote_timeout` and
   * `signal`; rejects with upstream's wording when the endpoint fails. Counted
   * in flight meanwhile; a 2xx answer is counted and timed (up to its headers)
   * by response type, as upstream.
   */
  async read(mint: number, maxt: number, matchers: Matcher[], signal?: AbortSignal): Promise<ReadSeries[]> {
    const m = this.metrics;
    m?.metrics.queries.inc(m.labels);
    try {
      return await this.exchange(mint, maxt, matchers, signal);
    } finally {
      m?.metrics.queries.dec(m.labels);
    }
  }

  private async exchange(
    mint: number,
    maxt: number,
    matchers: Matcher[],
    signal: AbortSignal | undefined,
  ): Promise<ReadSeries[]> {
    const body = await compress(
      encodeReadRequest({
        queries: [{ start: mint, end: maxt, matchers }],
        acceptedResponseTypes: [ResponseType.SAMPLES],
      }),
    );
    const url = String(this.cfg.url);
    const ac = new AbortController();
    const timer = setTimeout(
      () => ac.abort(new DOMException("timed out", "TimeoutError")),
      this.cfg.remote_timeout,
    );
    const cancel = (): void => ac.abort(signal?.reason);
    if (signal?.aborted === true) cancel();
    signal?.addEventListener("abort", cancel, { once: true });
    let status: number;
    let statusText: string;
    let contentType: string;
    let seconds: number;
    let raw: Buffer;
    try {
      this.dispatcher ??= newDispatcher(this.cfg);
      const headers = {
        ...(this.cfg.headers ?? {}),
        "Content-Encoding": "snappy",
        "Accept-Encoding": "snappy",
        "Content-Type": "application/x-protobuf",
        "User-Agent": `Prometheus/${buildInfo().version}`,
        "X-Prometheus-Remote-Read-Version": "0.1.0",
        ...(await requestHeaders(this.cfg)),
      };
      const start = performance.now();
      const res = await undici().request(url, {
        method: "POST",
        body,
        headers,
        dispatcher: this.dispatcher,
        headersTimeout: this.cfg.remote_timeout,
        bodyTimeout: this.cfg.remote_timeout,
        signal: ac.signal,
      });
      seconds = (performance.now() - start) / 1000;
      status = res.statusCode;
      statusText = res.statusText;
      contentType = String(res.headers["content-type"] ?? "");
      raw = Buffer.from(await res.body.arrayBuffer());
    } catch (err) {
      const why = ac.signal.aborted ? abortReason(ac.signal) : ((err as Error)?.message ?? String(err));
      throw new Error(`error sending request: ${why}`, { cause: err });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", cancel);
    }
    if (status < 200 || status >= 300) {
      const text = raw.toString("utf8").slice(0, 512).trim();
      const line = statusText === "" ? String(status) : `${status} ${statusText}`;
      throw new Error(`remote server ${url} returned http status ${line}: ${text}`);
    }
    const sampled = contentType.startsWith("application/x-protobuf");
    this.count(sampled ? "sampled" : "unsupported", status, seconds);
    if (!sampled) throw new Error(`unsupported content type: ${contentType}`);
    const results = decodeReadResponse((await uncompress(raw)) as Buffer);
    return results[0] ?? [];
  }

  private count(responseType: "sampled" | "unsupported", status: number, seconds: number): void {
    const m = this.metrics;
    if (m === undefined) return;
    const labels = { ...m.labels, response_type: responseType };
    m.metrics.requestDuration.observe(labels, seconds);
    m.metrics.queriesTotal.inc({ ...labels, code: String(status) });
  }

  /** Releases the endpoint's connections: after in-flight reads finish, or at once (failing them) when `force`. */
  async close(force = false): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (d === undefined) return;
    await (force ? d.destroy() : d.close());
  }
}

function abortReason(s: AbortSignal): string {
  const r: unknown = s.reason;
  return r instanceof Error && r.name === "TimeoutError" ? "context deadline exceeded" : "context canceled";
}

const noopQuerier: Querier = {
  select: () => emptySeriesSet,
  labelValues: () => [],
  labelNames: () => [],
  close: () => {},
};
