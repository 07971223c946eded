/**
 * Test support: evaluates PromQL expressions with the reference `promtool test
 * rules` (Prometheus v3.5.3) so results can be checked against upstream. Every
 * expression is given an empty expectation; promtool then prints what it got
 * for each one that returned something (or its error), and prints nothing for
 * an empty result. Tests using it skip when promtool is not installed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { QueryError } from "../errors.ts";
import type { StepSeries } from "../value.ts";
import { close, finalLabels } from "./steps.ts";

const candidate = resolve(import.meta.dirname, "../../../.reference/bin/promtool");

/** Path of the reference promtool, or undefined when it is not installed. */
export const PROMTOOL: string | undefined = existsSync(candidate) ? candidate : undefined;

export interface OracleSeries {
  /** Selector, e.g. `m{a="1"}`. */
  selector: string;
  /** promtool's value notation: `1 2 _ 4+1x3 stale`. */
  values: string;
}

export interface OracleGroup {
  series: OracleSeries[];
  /** Sample spacing of the input, seconds. */
  intervalSeconds: number;
  exprs: { expr: string; evalSeconds: number }[];
}

export interface OracleSample {
  labels: string;
  value: number;
}

export interface OracleOptions {
  /** Run with `promql-delayed-name-removal` (as the conformance scripts do); default off. */
  delayedNameRemoval?: boolean;
}

/** Go's `model.Duration` text of whole seconds: `0s`, `5m30s`, `1h`, `1d2h`. */
export function goDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  let rest = seconds;
  let out = "";
  for (const [unit, size] of [
    ["y", 365 * 86400],
    ["w", 7 * 86400],
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Key of one evaluation in {@link runOracle}'s result. */
export function oracleKey(expr: string, evalSeconds: number): string {
  return `${expr}@${goDuration(evalSeconds)}`;
}

/** A float in promtool's series value notation. */
export function promtoolValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

function yamlQuote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function parseValue(tok: string): number {
  if (tok === "+Inf") return Number.POSITIVE_INFINITY;
  if (tok === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(tok);
}

/** Parses promtool's `got:` list: `{a="1"} 1E+00, {a="2"} NaN`. */
export function parseGot(raw: string): OracleSample[] {
  const out: OracleSample[] = [];
  let i = 0;
  while (i < raw.length) {
    const start = i;
    if (raw[i] !== "{") throw new Error(`unparsed promtool sample at ${i}: ${raw}`);
    let inQuote = false;
    for (; i < raw.length; i++) {
      const ch = raw[i];
      if (inQuote) {
        if (ch === "\\") i++;
        else if (ch === '"') inQuote = false;
      } else if (ch === '"') inQuote = true;
      else if (ch === "}") break;
    }
    const labels = raw.slice(start, i + 1);
    i += 2; // "} "
    let end = raw.indexOf(", ", i);
    if (end === -1) end = raw.length;
    out.push({ labels, value: parseValue(raw.slice(i, end)) });
    i = end + 2;
  }
  return out;
}

/**
 * Runs all groups through promtool. The result maps {@link oracleKey} to the
 * samples returned (absent: empty result) or to an error string.
 */
export function runOracle(
  groups: OracleGroup[],
  opts: OracleOptions = {},
): Map<string, OracleSample[] | string> {
  if (PROMTOOL === undefined) throw new Error("promtool not installed");
  let yaml = "rule_files: []\nevaluation_interval: 1m\ntests:\n";
  for (const g of groups) {
    yaml += `  - interval: ${g.intervalSeconds}s\n    input_series:\n`;
    for (const s of g.series) {
      yaml += `      - series: ${yamlQuote(s.selector)}\n        values: ${yamlQuote(s.values)}\n`;
    }
    yaml += "    promql_expr_test:\n";
    for (const e of g.exprs) {
      yaml += `      - expr: ${yamlQuote(e.expr)}\n        eval_time: ${e.evalSeconds}s\n        exp_samples: []\n`;
    }
  }
  const features = ["promql-experimental-functions"];
  if (opts.delayedNameRemoval === true) features.push("promql-delayed-name-removal");
  const dir = mkdtempSync(join(tmpdir(), "vigil-promtool-oracle-"));
  try {
    const file = join(dir, "oracle.yml");
    writeFileSync(file, yaml);
    const res = spawnSync(PROMTOOL, ["test", "rules", `--enable-feature=${features.join(",")}`, file], {
      encoding: "utf8",
      maxBuffer: 256 << 20,
    });
    const out = new Map<string, OracleSample[] | string>();
    const lines = `${res.stdout}\n${res.stderr}`.split("\n").map((l) => l.trim());
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!;
      if (!line.startsWith("expr: ")) continue;
      const m = /^expr: (".*"), time: ([0-9a-z]+),(?: err: (.*))?$/.exec(line);
      if (m === null) throw new Error(`unparsed promtool line: ${line}`);
      const expr = JSON.parse(m[1]!) as string;
      const key = `${expr}@${m[2]}`;
      if (m[3] !== undefined) {
        out.set(key, m[3]);
        continue;
      }
      const got = lines[k + 2] ?? "";
      if (!got.startsWith("got: ")) throw new Error(`unparsed promtool output after ${line}: ${got}`);
      const raw = got.slice(5);
      out.set(key, raw === "nil" ? [] : parseGot(raw));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- step series: the columnar pieces against promtool, step by step ----

/** What an expression gives at one step: samples (final labels) or an error message. */
export type Outcome = { err: string } | { samples: OracleSample[] };

/**
 * Evaluates each expression with promtool at steps 0…n-1 (one minute apart,
 * delayed name removal on) over `input`, where a step without a sample is a
 * staleness marker. Returns the outcome per expression and step, or null
 * when promtool is not installed.
 */
export function promtoolSteps(
  input: StepSeries[],
  exprs: string[],
  n: number,
): ((expr: string, step: number) => Outcome) | null {
  if (PROMTOOL === undefined) return null;
  const series = input.map((s) => ({
    selector: s.labels.toString(),
    values: Array.from(s.values, (v, t) => (s.present[t] === 1 ? promtoolValue(v) : "stale")).join(" "),
  }));
  const evals: OracleGroup["exprs"] = [];
  for (const expr of exprs) for (let t = 0; t < n; t++) evals.push({ expr, evalSeconds: t * 60 });
  const res = runOracle([{ series, intervalSeconds: 60, exprs: evals }], { delayedNameRemoval: true });
  return (expr, step) => {
    const r = res.get(oracleKey(expr, step * 60));
    if (r === undefined) return { samples: [] };
    return typeof r === "string" ? { err: r } : { samples: r };
  };
}

/**
 * Our outcome at step t of the n-step result of `f`, after the engine's final
 * name removal; a query error applies to every step.
 */
export function outcomeAt(f: () => StepSeries[], n: number): (t: number) => Outcome {
  let out: StepSeries[] | null = null;
  let err: string | null = null;
  try {
    out = f();
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    err = e.message;
  }
  return (t) => {
    if (err !== null) return { err };
    const samples: OracleSample[] = [];
    for (const s of out!)
      if (s.present[t] === 1) samples.push({ labels: finalLabels(s).toString(), value: s.values[t] });
    const seen = new Set(samples.map((x) => x.labels));
    if (seen.size !== samples.length) return { err: "vector cannot contain metrics with the same labelset" };
    assert.ok(t < n);
    return { samples };
  };
}

/**
 * Asserts that `got` is `want`: the same error (after `normalizeErr`), or the
 * same label sets with values equal up to {@link close}, in any order.
 */
export function assertOutcome(
  key: string,
  got: Outcome,
  want: Outcome,
  normalizeErr: (msg: string) => string = (msg) => msg,
): void {
  if ("err" in want) {
    assert.ok("err" in got, `${key}: want error ${want.err}`);
    assert.equal(normalizeErr(got.err), normalizeErr(want.err), key);
    return;
  }
  assert.ok("samples" in got, `${key}: got error ${"err" in got ? got.err : ""}`);
  const g = [...got.samples].sort((x, y) => (x.labels < y.labels ? -1 : 1));
  const w = [...want.samples].sort((x, y) => (x.labels < y.labels ? -1 : 1));
  assert.deepEqual(
    g.map((x) => x.labels),
    w.map((x) => x.labels),
    key,
  );
  for (let i = 0; i < g.length; i++) {
    assert.ok(close(g[i].value, w[i].value), `${key} ${g[i].labels}: got ${g[i].value}, want ${w[i].value}`);
  }
}
