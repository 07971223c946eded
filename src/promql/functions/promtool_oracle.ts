/**
 * Test support: evaluates PromQL expressions with the reference `promtool test
 * rules` (Prometheus v3.5.3) so the numeric cores can be checked against
 * upstream bit for bit. Every expression is given an empty expectation; promtool
 * then prints what it got for each one that returned something, and prints
 * nothing for an empty result.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const candidate = resolve(import.meta.dirname, "../../../.reference/bin/promtool");

/** Path of the reference promtool, or undefined when it is not installed. */
export const PROMTOOL: string | undefined = existsSync(candidate) ? candidate : undefined;

export interface OracleGroup {
  /** Input series: selector (`m{a="1"}`) and promtool's value notation (`1 2 _ 4+1x3`). */
  series: { selector: string; values: string }[];
  /** Sample spacing of the input, seconds. */
  intervalSeconds: number;
  exprs: { expr: string; evalSeconds: number }[];
}

export interface OracleSample {
  labels: string;
  value: number;
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
export function runOracle(groups: OracleGroup[]): Map<string, OracleSample[] | string> {
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
  const dir = mkdtempSync(join(tmpdir(), "vigil-promtool-oracle-"));
  try {
    const file = join(dir, "oracle.yml");
    writeFileSync(file, yaml);
    const res = spawnSync(
      PROMTOOL,
      ["test", "rules", "--enable-feature=promql-experimental-functions", file],
      {
        encoding: "utf8",
        maxBuffer: 256 << 20,
      },
    );
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
