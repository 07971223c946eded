/**
 * The `remote_read` side of the server's storage (upstream's
 * `storage/remote/read.go`): a Queryable per endpoint. A select sends one
 * snappy `ReadRequest` (response type `SAMPLES`) and returns the series.
 * `required_matchers`: the endpoint is asked only when every one of them is
 * an equality matcher of the select. `filter_external_labels` (default true):
 * the external labels are added as matchers and removed from the results.
 * Without `read_recent` the endpoint is asked only for the time before the
 * local storage's oldest sample (upstream's PreferLocalStorageFilter).
 */
import { compressSync, uncompressSync } from "snappy";
import type { RemoteReadConfig } from "../config/types.ts";
import type { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import type { Querier, Queryable, SelectHints, SeriesSet } from "../storage/interface.ts";
import { emptySeriesSet } from "../storage/interface.ts";
import { decodeReadResponse, encodeReadRequest, type ReadSeries, ResponseType } from "./readproto.ts";
import { arraySeriesSet } from "./series.ts";
import { syncPost } from "./syncpost.ts";

/** A remote-read endpoint as a Queryable. */
export class RemoteReadQueryable implements Queryable {
  readonly cfg: RemoteReadConfig;
  private readonly external: Labels;
  private readonly localStart: () => number;

  constructor(cfg: RemoteReadConfig, external: Labels, localStartTime: () => number) {
    this.cfg = cfg;
    this.external = external;
    this.localStart = localStartTime;
  }

  querier(mint: number, maxt: number): Querier {
    let end = maxt;
    if (!this.cfg.read_recent) {
      const local = this.localStart();
      if (mint > local) return noopQuerier;
      if (end > local) end = local;
    }
    return {
      select: (_sorted, hints, ...ms) => this.select(mint, end, hints, ms),
      labelValues: () => [],
      labelNames: () => [],
      close: () => {},
    };
  }

  private select(mint: number, maxt: number, _hints: SelectHints | undefined, ms: Matcher[]): SeriesSet {
    const required = Object.entries(this.cfg.required_matchers ?? {});
    for (const [n, v] of required) {
      if (!ms.some((m) => m.type === "=" && m.name === n && m.value === v)) return emptySeriesSet;
    }
    const added: string[] = [];
    const matchers = [...ms];
    if (this.cfg.filter_external_labels !== false) {
      this.external.forEach((n, v) => {
        if (ms.some((m) => m.name === n)) return;
        matchers.push(Matcher.create("=", n, v));
        added.push(n);
      });
    }
    const series = this.read(mint, maxt, matchers);
    return arraySeriesSet(
      added.length === 0 ? series : series.map((s) => ({ ...s, labels: s.labels.without(...added) })),
    );
  }

  /** One remote read; throws with upstream's wording when the endpoint fails. */
  read(mint: number, maxt: number, matchers: Matcher[]): ReadSeries[] {
    const req = encodeReadRequest({
      queries: [{ start: mint, end: maxt, matchers }],
      acceptedResponseTypes: [ResponseType.SAMPLES],
    });
    const url = String(this.cfg.url);
    const res = syncPost(
      this.cfg,
      url,
      compressSync(req),
      {
        ...(this.cfg.headers ?? {}),
        "Content-Encoding": "snappy",
        "Accept-Encoding": "snappy",
        "Content-Type": "application/x-protobuf",
        "User-Agent": "Prometheus/vigil",
        "X-Prometheus-Remote-Read-Version": "0.1.0",
      },
      this.cfg.remote_timeout,
    );
    if ("error" in res) throw new Error(`error sending request: ${res.error}`);
    if (res.status < 200 || res.status >= 300) {
      const text = Buffer.from(res.body).toString("utf8").slice(0, 512).trim();
      throw new Error(`remote server ${url} returned HTTP status ${res.status}: ${text}`);
    }
    const results = decodeReadResponse(uncompressSync(Buffer.from(res.body)) as Buffer);
    return results[0] ?? [];
  }
}

const noopQuerier: Querier = {
  select: () => emptySeriesSet,
  labelValues: () => [],
  labelNames: () => [],
  close: () => {},
};
