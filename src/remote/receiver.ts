/**
 * The remote-write receiver, upstream's `writeHandler` behind
 * `--web.enable-remote-write-receiver` at `/api/v1/write`. Content negotiation
 * as upstream: `Content-Type: application/x-protobuf` with an optional
 * `proto=` parameter picks 1.0 (`prometheus.WriteRequest`, the default) or 2.0
 * (`io.prometheus.write.v2.Request`); anything else is 415, as is a
 * `Content-Encoding` other than snappy (absent means snappy). Bad snappy or
 * protobuf is 400. 1.0 is all or nothing: one out-of-order, out-of-bounds,
 * duplicate or too-old sample rolls the request back with 400. 2.0 writes
 * partially: rejected samples are reported in a 400 while the rest is
 * committed, and the `X-Prometheus-Remote-Write-*-Written` headers count what
 * was stored. Storage failures are 500 (the sender retries). Success is 204.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { uncompressSync } from "snappy";
import type { Logger } from "../log/log.ts";
import type { Labels } from "../model/labels/labels.ts";
import { isValidLabels } from "../model/labels/validate.ts";
import { isSampleError } from "../storage/errors.ts";
import type { Appendable, Appender } from "../storage/interface.ts";
import { snappyDecodedLen } from "../tsdb/wlog/snappy.ts";
import { httpError } from "../web/http.ts";
import { decodeWriteV1, decodeWriteV2, type WireSeries, wireLabels } from "./prompb.ts";

export const PROTO_V1 = "prometheus.WriteRequest";
export const PROTO_V2 = "io.prometheus.write.v2.Request";
const APP_PROTO = "application/x-protobuf";

/** Options of {@link remoteWriteHandler}. */
export interface ReceiverOptions {
  readonly appendable: Appendable;
  readonly logger: Logger;
  /** Accepted messages; default both. */
  readonly acceptedMessages?: readonly string[];
  /** Largest compressed body, bytes (default 64 MiB): larger is 413. Upstream has no limit. */
  readonly maxBodyBytes?: number;
  /** Largest decoded message, bytes (default 256 MiB): larger is 400. */
  readonly maxDecodedBytes?: number;
}

/** Parses the Content-Type into a protobuf message name, or throws the 415 reason. */
export function parseProtoMsg(contentType: string | undefined): string {
  const ct = (contentType ?? "").trim() || APP_PROTO;
  const parts = ct.split(";");
  if (parts[0]!.trim() !== APP_PROTO) {
    throw new Error(`expected ${APP_PROTO} as the first (media) part, got ${ct} content-type`);
  }
  for (const p of parts.slice(1)) {
    const pair = p.trim().split("=");
    if (pair.length !== 2) {
      throw new Error(
        `as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be key-values, got ${p} in ${ct} content-type`,
      );
    }
    if (pair[0] === "proto") {
      if (pair[1] !== PROTO_V1 && pair[1] !== PROTO_V2) {
        throw new Error(
          `got ${ct} content type; unknown remote write protobuf message ${pair[1]}, supported: ${PROTO_V1}, ${PROTO_V2}`,
        );
      }
      return pair[1]!;
    }
  }
  return PROTO_V1;
}

/** The `/api/v1/write` handler. */
export function remoteWriteHandler(
  opts: ReceiverOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const accepted = opts.acceptedMessages ?? [PROTO_V1, PROTO_V2];
  const maxBody = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  const maxDecoded = opts.maxDecodedBytes ?? 256 * 1024 * 1024;
  return (req, res) => {
    let msg: string;
    try {
      msg = parseProtoMsg(req.headers["content-type"]);
    } catch (err) {
      opts.logger.error("Error decoding remote write request", { err });
      req.resume();
      httpError(res, 415, (err as Error).message);
      return;
    }
    if (!accepted.includes(msg)) {
      req.resume();
      httpError(
        res,
        415,
        `${msg} protobuf message is not accepted by this server; accepted [${accepted.join(" ")}]`,
      );
      return;
    }
    const enc = req.headers["content-encoding"];
    if (enc !== undefined && enc !== "" && enc.toLowerCase() !== "snappy") {
      req.resume();
      httpError(
        res,
        415,
        `${enc} encoding (compression) is not accepted by this server; only snappy is acceptable`,
      );
      return;
    }
    const chunks: Buffer[] = [];
    let n = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      n += c.length;
      if (n > maxBody) tooLarge = true;
      else chunks.push(c);
    });
    req.on("error", () => {});
    req.on("end", () => {
      if (tooLarge) {
        httpError(res, 413, `request body too large: more than ${maxBody} bytes`);
        return;
      }
      const body = Buffer.concat(chunks, n);
      let raw: Buffer;
      try {
        const { len } = snappyDecodedLen(body);
        if (len > maxDecoded) throw new Error(`snappy: decoded block is too large (${len} bytes)`);
        raw = uncompressSync(body) as Buffer;
      } catch (err) {
        httpError(res, 400, snappyMessage(err));
        return;
      }
      try {
        if (msg === PROTO_V1) writeV1(opts, raw, res);
        else writeV2(opts, raw, res);
      } catch (err) {
        opts.logger.error("Error while remote writing the request", { err });
        if (!res.headersSent) httpError(res, 500, (err as Error).message);
      }
    });
  };
}

function snappyMessage(err: unknown): string {
  const m = (err as Error)?.message ?? String(err);
  return m.startsWith("snappy") ? m : `snappy: corrupt input (${m})`;
}

/** Valid labels with a metric name; undefined (and a log line) otherwise. */
function seriesLabels(opts: ReceiverOptions, s: WireSeries): Labels | string {
  const { labels, duplicate } = wireLabels(s.flat);
  if (duplicate !== undefined) return `invalid labels for series, duplicated label ${duplicate}`;
  if (!labels.has("__name__") || !isValidLabels(labels, "utf8")) {
    opts.logger.warn("Invalid metric names or labels", { got: labels.toString() });
    return `invalid metric name or labels, got ${labels.toString()}`;
  }
  return labels;
}

function writeV1(opts: ReceiverOptions, raw: Uint8Array, res: ServerResponse): void {
  let decoded: ReturnType<typeof decodeWriteV1>;
  try {
    decoded = decodeWriteV1(raw);
  } catch (err) {
    httpError(res, 400, (err as Error).message);
    return;
  }
  const app = opts.appendable.appender();
  for (const s of decoded.series) {
    const ls = seriesLabels(opts, s);
    if (typeof ls === "string") continue; // upstream skips these series in 1.0
    let ref = 0;
    for (let i = 0; i < s.ts.length; i++) {
      try {
        ref = app.append(ref, ls, s.ts[i]!, s.vs[i]!);
      } catch (err) {
        app.rollback();
        if (isSampleError(err)) {
          opts.logger.error("Out of order sample from remote write", {
            err: err.message,
            series: ls.toString(),
            timestamp: s.ts[i],
          });
          httpError(res, 400, err.message);
          return;
        }
        httpError(res, 500, (err as Error).message);
        return;
      }
    }
  }
  try {
    app.commit();
  } catch (err) {
    httpError(res, 500, (err as Error).message);
    return;
  }
  res.writeHead(204).end();
}

function writeV2(opts: ReceiverOptions, raw: Uint8Array, res: ServerResponse): void {
  const stats = { samples: 0, histograms: 0, exemplars: 0 };
  const setHeaders = (): void => {
    res.setHeader("X-Prometheus-Remote-Write-Samples-Written", String(stats.samples));
    res.setHeader("X-Prometheus-Remote-Write-Histograms-Written", String(stats.histograms));
    res.setHeader("X-Prometheus-Remote-Write-Exemplars-Written", String(stats.exemplars));
  };
  let series: WireSeries[];
  try {
    series = decodeWriteV2(raw);
  } catch (err) {
    setHeaders();
    httpError(res, 400, (err as Error).message);
    return;
  }
  const app: Appender = opts.appendable.appender();
  const bad: string[] = [];
  for (const s of series) {
    const ls = seriesLabels(opts, s);
    if (typeof ls === "string") {
      bad.push(ls);
      continue;
    }
    let ref = 0;
    for (let i = 0; i < s.ts.length; i++) {
      try {
        ref = app.append(ref, ls, s.ts[i]!, s.vs[i]!);
        stats.samples++;
      } catch (err) {
        if (!isSampleError(err)) {
          app.rollback();
          stats.samples = 0;
          setHeaders();
          httpError(res, 500, (err as Error).message);
          return;
        }
        opts.logger.error("Out of order sample from remote write", {
          err: err.message,
          series: ls.toString(),
          timestamp: s.ts[i],
        });
        bad.push(`${err.message} for series ${ls.toString()}`);
      }
    }
  }
  try {
    app.commit();
  } catch (err) {
    stats.samples = 0;
    setHeaders();
    httpError(res, 500, (err as Error).message);
    return;
  }
  setHeaders();
  if (bad.length > 0) {
    httpError(res, 400, bad.join("\n"));
    return;
  }
  res.writeHead(204).end();
}
