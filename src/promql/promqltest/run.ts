/**
 * Runs a whole test script: commands in file order on a fresh storage, every
 * eval counted as passed, failed or skipped (native histograms). As upstream,
 * a query that does not parse makes the whole file invalid (all its evals
 * fail) unless `keepGoing` is set, and a failing `load` aborts the rest of
 * the file.
 */
import { Engine } from "../engine.ts";
import { QueryError } from "../errors.ts";
import type { Expr } from "../parser/ast.ts";
import { ParseError, parseExpr } from "../parser/parse.ts";
import { execEval, type QueryEngine } from "./exec.ts";
import { type Command, type EvalCmd, parseScript, ScriptError, scriptLines } from "./script.ts";
import { histogramSkipReason } from "./skip.ts";
import { TestStorage } from "./storage.ts";

/** The engine settings upstream's runner uses for the corpus. */
export function newTestEngine(): Engine {
  return new Engine({
    lookbackDelta: 5 * 60_000,
    maxSamples: 10_000,
    timeoutMs: 100_000,
    enableDelayedNameRemoval: true,
    experimentalFunctions: true,
    noStepSubqueryIntervalMs: 60_000,
  });
}

export type EvalStatus = "pass" | "fail" | "skip";

export interface EvalReport {
  line: number;
  expr: string;
  status: EvalStatus;
  /** Which execution failed (fail only). */
  variant: string;
  /** Failure or skip reason. */
  reason: string;
}

export interface FileReport {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  evals: EvalReport[];
  /** A problem with the file as a whole (script error, unparsable query, failed load). */
  error: string | null;
}

export interface RunOptions {
  engine: QueryEngine;
  parse: (query: string) => Expr;
  isQueryError: (e: unknown) => boolean;
  /** Run the parsable evals of a file that has unparsable queries (upstream rejects the file). */
  keepGoing: boolean;
}

export function defaultRunOptions(): RunOptions {
  return {
    engine: newTestEngine(),
    parse: (q) => parseExpr(q, { experimentalFunctions: true }),
    isQueryError: (e) => e instanceof QueryError || e instanceof ParseError,
    keepGoing: false,
  };
}

function tally(r: FileReport, e: EvalReport): void {
  r.evals.push(e);
  if (e.status === "pass") r.passed++;
  else if (e.status === "fail") r.failed++;
  else r.skipped++;
}

/** Runs a script's text; `file` names it in reports. */
export async function runScript(
  text: string,
  file: string,
  opts: RunOptions = defaultRunOptions(),
): Promise<FileReport> {
  const report: FileReport = { file, passed: 0, failed: 0, skipped: 0, evals: [], error: null };
  let cmds: Command[];
  try {
    cmds = parseScript(text, file);
  } catch (e) {
    if (!(e instanceof ScriptError)) throw e;
    report.error = e.message;
    // Every eval of an unreadable file fails.
    const lines = scriptLines(text);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.toLowerCase().startsWith("eval")) {
        tally(report, { line: i + 1, expr: lines[i]!, status: "fail", variant: "", reason: e.message });
      }
    }
    return report;
  }

  // Queries are parsed up front: one that does not parse invalidates the file.
  const exprs = new Map<EvalCmd, Expr>();
  const parseErrors = new Map<EvalCmd, string>();
  for (const c of cmds) {
    if (c.kind !== "eval") continue;
    try {
      exprs.set(c, opts.parse(c.expr));
    } catch (e) {
      if (!opts.isQueryError(e)) throw e;
      parseErrors.set(c, `${file}:${c.line}: ${(e as Error).message}`);
    }
  }
  if (parseErrors.size > 0) {
    report.error = `queries that do not parse make the file invalid: ${[...parseErrors.values()].join("; ")}`;
  }

  const storage = new TestStorage();
  let abort: string | null = null;
  for (const c of cmds) {
    if (c.kind === "clear") {
      storage.clear();
      continue;
    }
    if (c.kind === "load") {
      if (abort !== null) continue;
      try {
        storage.load(c);
      } catch (e) {
        abort = `${file}:${c.line}: load failed: ${(e as Error).message}`;
        report.error = report.error === null ? abort : `${report.error}; ${abort}`;
      }
      continue;
    }
    const base = { line: c.line, expr: c.expr, variant: "" };
    const expr = exprs.get(c);
    if (expr === undefined) {
      tally(report, { ...base, status: "fail", reason: `parse error: ${parseErrors.get(c)}` });
      continue;
    }
    if (abort !== null) {
      tally(report, { ...base, status: "fail", reason: `not run: ${abort}` });
      continue;
    }
    if (parseErrors.size > 0 && !opts.keepGoing) {
      tally(report, { ...base, status: "fail", reason: "not run: the file has queries that do not parse" });
      continue;
    }
    const skip = histogramSkipReason(c, expr, storage.histogramSeries.values());
    if (skip !== null) {
      tally(report, { ...base, status: "skip", reason: skip });
      continue;
    }
    const f = await execEval(c, expr, {
      engine: opts.engine,
      queryable: storage.queryable,
      isQueryError: opts.isQueryError,
    });
    tally(report, f === null ? { ...base, status: "pass", reason: "" } : { ...base, status: "fail", ...f });
  }
  return report;
}
