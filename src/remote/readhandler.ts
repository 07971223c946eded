/**
 * The remote-read server at `/api/v1/read`, upstream's `readHandler`: a
 * snappy-compressed `ReadRequest` in; the response type is the first of the
 * request's accepted types that Vigil supports (none listed: `SAMPLES`).
 * `SAMPLES` answers one snappy-compressed `ReadResponse` (400 past the sample
 * limit); `STREAMED_XOR_CHUNKS` streams `ChunkedReadResponse` frames, one
 * series per frame, each at most `maxBytesInFrame` of chunk data, with XOR
 * chunks of up to 120 samples. External labels: a `=` matcher equal to an
 * external label becomes `name=""` (local series do not carry it) and every
 * returned series gets the external labels its own labels do not override.
 * At most `concurrentLimit` requests are handled at once (reading the body
 * included); the others wait their turn, as upstream's gate.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Gauge, type Registry } from "prom-client";
import { compressSync, uncompressSync } from "snappy";
import type { Logger } from "../log/log.ts";
import { type Labels, LabelsBuilder } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import type { Queryable, SeriesSet } from "../storage/interface.ts";
import { ValueType } from "../storage/interface.ts";
import { encodeXOR } from "../tsdb/chunkenc/xor.ts";
import { httpError } from "../web/http.ts";
import {
  chunkedFrame,
  decodeReadRequest,
  encodeChunkedSeries,
  encodeReadResponse,
  type ReadQuery,
  type ReadRequest,
  type ReadSeries,
  ResponseType,
  type WireChunk,
} from "./readproto.ts";

/** Options of {@link remoteReadHandler}. */
export interface ReadHandlerOptions {
  readonly queryable: Queryable;
  readonly logger: Logger;
  externalLabels(): Labels;
  /** `--storage.remote.read-sample-limit` (default 5e7; 0 is no limit). */
  readonly sampleLimit?: number;
  /** `--storage.remote.read-max-bytes-in-frame` (default 1 MiB). */
  readonly maxBytesInFrame?: number;
  /** `--storage.remote.read-concurrent-limit` (default 10; 0 is no limit). */
  readonly concurrentLimit?: number;
  /** Where `prometheus_remote_read_handler_queries` is registered (none: not exported). */
  readonly registry?: Registry;
}

const SAMPLES_PER_CHUNK = 120;

/** The `/api/v1/read` handler. */
export function remoteReadHandler(
  opts: ReadHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const gate = new Gate(opts.concurrentLimit ?? 10);
  const queries =
    opts.registry === undefined
      ? undefined
      : new Gauge({
          name: "prometheus_remote_read_handler_queries",
          help: "The current number of remote read queries that are either in execution or queued on the handler.",
          registers: [opts.registry],
        });
  return (req, res) => {
    queries?.inc();
    let state: "waiting" | "serving" | "done" = "waiting";
    const finish = (): void => {
      if (state === "done") return;
      if (state === "waiting") gate.leave(turn);
      else gate.done();
      state = "done";
      queries?.dec();
    };
    const turn = (): void => {
      state = "serving";
      serve(opts, req, res, finish);
    };
    // Done when the response is sent, or the client went away (also while waiting its turn).
    res.once("close", finish);
    gate.start(turn);
  };
}

/** Reads the request, answers it, then calls `finish` (also on every early answer). */
function serve(
  opts: ReadHandlerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  finish: () => void,
): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("error", finish);
  req.on("end", () => {
    try {
      answer(opts, Buffer.concat(chunks), res);
    } finally {
      finish();
    }
  });
}

function answer(opts: ReadHandlerOptions, body: Buffer, res: ServerResponse): void {
  let rr: ReadRequest;
  try {
    rr = decodeReadRequest(uncompressSync(body) as Buffer);
  } catch (err) {
    httpError(res, 400, (err as Error).message);
    return;
  }
  const type = negotiate(rr.acceptedResponseTypes);
  if (type === undefined) {
    httpError(
      res,
      400,
      `server does not support any of the requested response types: [${rr.acceptedResponseTypes.join(" ")}]; supported: [SAMPLES STREAMED_XOR_CHUNKS]`,
    );
    return;
  }
  try {
    if (type === ResponseType.SAMPLES) serveSamples(opts, rr, res);
    else serveStreamed(opts, rr, res);
  } catch (err) {
    opts.logger.error("remote read failed", { err });
    if (!res.headersSent) httpError(res, 500, (err as Error).message);
    else res.destroy();
  }
}

/** Upstream's `gate`: at most `limit` holders at once (0: no limit), the rest in FIFO order. */
class Gate {
  private readonly limit: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Calls `fn` now or once a holder is done. */
  start(fn: () => void): void {
    if (this.limit <= 0 || this.running < this.limit) {
      this.running++;
      fn();
    } else this.waiting.push(fn);
  }

  /** Drops `fn` from the line (its request went away before its turn). */
  leave(fn: () => void): void {
    const i = this.waiting.indexOf(fn);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  done(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.running--;
  }
}

function negotiate(accepted: readonly number[]): number | undefined {
  if (accepted.length === 0) return ResponseType.SAMPLES;
  return accepted.find((t) => t === ResponseType.SAMPLES || t === ResponseType.STREAMED_XOR_CHUNKS);
}

/** Upstream's filterExtLabelsFromMatchers. */
function filterMatchers(ms: readonly Matcher[], ext: Labels): Matcher[] {
  return ms.map((m) =>
    m.type === "=" && ext.has(m.name) && ext.get(m.name) === m.value ? Matcher.create("=", m.name, "") : m,
  );
}

function withExternal(ls: Labels, ext: Labels): Labels {
  if (ext.size === 0) return ls;
  const b = new LabelsBuilder(ls);
  ext.forEach((n, v) => {
    if (!ls.has(n)) b.set(n, v);
  });
  return b.labels();
}

function select(opts: ReadHandlerOptions, q: ReadQuery, sorted: boolean): { set: SeriesSet; close(): void } {
  const querier = opts.queryable.querier(q.start, q.end);
  const ext = opts.externalLabels();
  const hints = { start: q.start, end: q.end, step: q.hints?.stepMs, func: q.hints?.func };
  return {
    set: querier.select(sorted, hints, ...filterMatchers(q.matchers, ext)),
    close: () => querier.close(),
  };
}

function readSamples(
  set: SeriesSet,
  q: ReadQuery,
  each: (ls: Labels, ts: number[], vs: number[]) => void,
): void {
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const ts: number[] = [];
    const vs: number[] = [];
    let vt = it.seek(q.start);
    while (vt === ValueType.Float && it.atT() <= q.end) {
      ts.push(it.atT());
      vs.push(it.atV());
      vt = it.next();
    }
    if (it.err() !== null) throw it.err();
    each(s.labels, ts, vs);
  }
  if (set.err() !== null) throw set.err();
}

function serveSamples(opts: ReadHandlerOptions, rr: ReadRequest, res: ServerResponse): void {
  const limit = opts.sampleLimit ?? 5e7;
  const ext = opts.externalLabels();
  const results: ReadSeries[][] = [];
  let total = 0;
  for (const q of rr.queries) {
    const { set, close } = select(opts, q, false);
    const out: ReadSeries[] = [];
    try {
      readSamples(set, q, (ls, ts, vs) => {
        total += ts.length;
        if (limit > 0 && total > limit) throw new SampleLimitError(limit);
        out.push({ labels: withExternal(ls, ext), ts, vs });
      });
    } catch (err) {
      if (err instanceof SampleLimitError) {
        httpError(res, 400, err.message);
        return;
      }
      throw err;
    } finally {
      close();
    }
    results.push(out);
  }
  const body = compressSync(encodeReadResponse(results));
  res.writeHead(200, { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy" });
  res.end(body);
}

class SampleLimitError extends Error {
  constructor(limit: number) {
    super(`exceeded sample limit (${limit})`);
  }
}

function serveStreamed(opts: ReadHandlerOptions, rr: ReadRequest, res: ServerResponse): void {
  const maxBytes = opts.maxBytesInFrame ?? 1024 * 1024;
  const ext = opts.externalLabels();
  res.writeHead(200, {
    "Content-Type": "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse",
  });
  rr.queries.forEach((q, qi) => {
    const { set, close } = select(opts, q, true);
    try {
      readSamples(set, q, (ls, ts, vs) => {
        const labels = withExternal(ls, ext);
        let frame: WireChunk[] = [];
        let bytes = 0;
        for (let i = 0; i < ts.length; i += SAMPLES_PER_CHUNK) {
          const end = Math.min(ts.length, i + SAMPLES_PER_CHUNK);
          const data = encodeXOR(ts.slice(i, end), vs.slice(i, end));
          frame.push({ minTime: ts[i]!, maxTime: ts[end - 1]!, data });
          bytes += data.length;
          if (bytes >= maxBytes) {
            res.write(chunkedFrame([encodeChunkedSeries(labels, frame)], qi));
            frame = [];
            bytes = 0;
          }
        }
        if (frame.length > 0) res.write(chunkedFrame([encodeChunkedSeries(labels, frame)], qi));
      });
    } finally {
      close();
    }
  });
  res.end();
}
