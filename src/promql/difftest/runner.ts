/** Running one query, instant or range, on Vigil's engine or the reference server, as an `Outcome`. */
import type { Queryable } from "../../storage/interface.ts";
import type { Engine } from "../engine.ts";
import type { Outcome } from "./compare.ts";
import { type PrometheusServer, PromQueryError } from "./prometheus.ts";

export type EvalMode =
  | { kind: "instant"; t: number }
  | { kind: "range"; start: number; end: number; step: number };

export function describeMode(m: EvalMode, origin = 0): string {
  const rel = (t: number): string => {
    const d = (t - origin) / 1000;
    return origin === 0 ? String(t) : `start${d < 0 ? "" : "+"}${d}s`;
  };
  return m.kind === "instant"
    ? `instant @${rel(m.t)}`
    : `range [${rel(m.start)}, ${rel(m.end)}] step ${m.step / 1000}s`;
}

/** Vigil's outcome; errors of any kind become failed outcomes (a non-QueryError one names its class). */
export async function runVigil(engine: Engine, db: Queryable, query: string, m: EvalMode): Promise<Outcome> {
  try {
    const r =
      m.kind === "instant"
        ? await engine.instantQuery(db, query, m.t)
        : await engine.rangeQuery(db, query, m.start, m.end, m.step);
    return {
      ok: true,
      value: r.value,
      warnings: r.annotations.strings("warning", query),
      infos: r.annotations.strings("info", query),
    };
  } catch (e) {
    const err = e as Error & { type?: unknown };
    // Parse errors (ParseError, ParseErrors) are the API's bad_data.
    const type =
      typeof err.type === "string"
        ? err.type
        : String(err.name).startsWith("ParseError")
          ? "bad_data"
          : err.name;
    return { ok: false, errorType: type, message: String(err.message) };
  }
}

/** The reference server's outcome; only API errors become failed outcomes (transport errors throw). */
export async function runPrometheus(srv: PrometheusServer, query: string, m: EvalMode): Promise<Outcome> {
  try {
    const r =
      m.kind === "instant" ? await srv.instant(query, m.t) : await srv.range(query, m.start, m.end, m.step);
    return { ok: true, value: r.value, warnings: r.warnings, infos: r.infos };
  } catch (e) {
    if (e instanceof PromQueryError) return { ok: false, errorType: e.errorType, message: e.message };
    throw e;
  }
}
