/**
 * Helpers for the `vigil tsdb` tests: running upstream promtool (the oracle)
 * and Vigil's command line side by side, temp dirs, and a deterministic
 * OpenMetrics input with awkward values.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Labels } from "../../model/labels/labels.ts";
import { mulberry32 } from "../../testing/prng.ts";
import { main } from "../main.ts";
import { capture } from "../testing.ts";
import { formatGoFloat } from "./format.ts";

/** The reference promtool, or undefined when `.reference/bin/promtool` is not installed. */
export const PROMTOOL: string | undefined = ((): string | undefined => {
  const p = resolve(import.meta.dirname, "../../../.reference/bin/promtool");
  return existsSync(p) ? p : undefined;
})();

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `promtool <args>`; throws when promtool is not installed. */
export function promtool(...args: string[]): RunResult {
  if (PROMTOOL === undefined) throw new Error("promtool is not installed");
  const r = spawnSync(PROMTOOL, args, { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `vigil <args>` in process, capturing its output. */
export async function vigil(...args: string[]): Promise<RunResult> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(args, { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A fresh directory under the OS temp dir, and its removal. */
export function tempDir(prefix = "vigil-cli-tsdb-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One sample of the generated input: its labels as promtool dumps them, value, time (ms). */
export interface ExpectedSample {
  labels: Labels;
  series: string;
  value: number;
  t: number;
}

export interface GeneratedInput {
  text: string;
  /** Every sample, in input order. */
  samples: ExpectedSample[];
  /** Distinct series. */
  series: number;
}

/** Values a float column should survive: specials, extremes, negative zero, integers beyond 2^53. */
const ODD_VALUES = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  5e-324,
  1e-10,
  0.0001,
  0.00001,
  123456,
  1234567,
  2 ** 53 + 2,
  1e21,
  -1.7976931348623157e308,
  Math.PI,
];

function omFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

/** `1700000000123` → `1700000000.123`. */
function omTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const frac = ms - s * 1000;
  return frac === 0 ? String(s) : `${s}.${String(frac).padStart(3, "0")}`;
}

/**
 * A deterministic OpenMetrics text over `hours` hours from `startMs`:
 * counters (15 s apart, some at fractional-second times), gauges with odd
 * values (30 s), a histogram's buckets, sum and count (60 s), a summary, and
 * label values needing escapes. At least 55 series.
 */
export function generateOpenMetrics(seed = 1, startMs = 1_700_000_000_000, hours = 5): GeneratedInput {
  const rand = mulberry32(seed);
  const lines: string[] = [];
  const samples: ExpectedSample[] = [];
  const seriesSeen = new Set<string>();
  const end = startMs + hours * 3600 * 1000;
  /** One sample line; `stored` overrides label values as the parser normalises them (`le="1"` → `1.0`). */
  const emit = (name: string, labels: [string, string][], v: number, t: number, stored?: string): void => {
    const text = labels.map(([k, val]) => `${k}="${escapeOM(val)}"`).join(",");
    lines.push(`${name}${text === "" ? "" : `{${text}}`} ${omFloat(v)} ${omTime(t)}`);
    const flat = ["__name__", name];
    for (const [k, val] of labels)
      flat.push(k, (k === "le" || k === "quantile") && stored !== undefined ? stored : val);
    const ls = Labels.fromStrings(...flat);
    const series = ls.toString();
    seriesSeen.add(series);
    samples.push({ labels: ls, series, value: v, t });
  };

  lines.push("# HELP http_requests Requests served.", "# TYPE http_requests counter");
  for (const code of ["200", "404", "500"]) {
    for (const method of ["GET", "POST"]) {
      for (let inst = 0; inst < 4; inst++) {
        let total = Math.floor(rand() * 1000);
        const labels: [string, string][] = [
          ["code", code],
          ["instance", `host-${inst}:9100`],
          ["method", method],
        ];
        // Some series start late or stop early: churn for `analyze`.
        const from = startMs + (inst === 3 ? 3600_000 : 0);
        const to = end - (code === "500" && method === "POST" ? 7200_000 : 0);
        for (let t = from; t < to; t += 15_000) {
          total += Math.floor(rand() * 50);
          emit("http_requests_total", labels, total, t + (inst === 1 ? 123 : 0));
        }
      }
    }
  }

  lines.push("# TYPE temperature_celsius gauge", "# UNIT temperature_celsius celsius");
  for (let room = 0; room < 4; room++) {
    for (let sensor = 0; sensor < 4; sensor++) {
      const labels: [string, string][] = [
        ["room", room === 3 ? 'quote " back\\slash\nnewline ünï' : `room-${room}`],
        ["sensor", `s${sensor}`],
      ];
      let i = 0;
      for (let t = startMs; t < end; t += 30_000, i++) {
        const odd = (i + room * 4 + sensor) % 97 === 0;
        const v = odd
          ? ODD_VALUES[(i + sensor) % ODD_VALUES.length]!
          : Math.round((rand() * 60 - 20) * 1000) / 1000;
        emit("temperature_celsius", labels, v, t);
      }
    }
  }

  lines.push("# TYPE request_duration_seconds histogram");
  const bounds: [string, string][] = [
    ["0.1", "0.1"],
    ["0.5", "0.5"],
    ["1", "1.0"],
    ["+Inf", "+Inf"],
  ];
  for (const job of ["api", "web"]) {
    const counts = [0, 0, 0, 0];
    let sum = 0;
    let count = 0;
    const perT: { t: number; counts: number[]; sum: number; count: number }[] = [];
    for (let t = startMs; t < end; t += 60_000) {
      const n = Math.floor(rand() * 20);
      for (let k = 0; k < n; k++) {
        const d = rand() * 1.5;
        sum += d;
        count++;
        for (let b = 0; b < 4; b++) if (b === 3 || d <= Number(bounds[b]![0])) counts[b]!++;
      }
      perT.push({ t, counts: [...counts], sum, count });
    }
    bounds.forEach(([le, stored], b) => {
      for (const p of perT) {
        emit(
          "request_duration_seconds_bucket",
          [
            ["job", job],
            ["le", le],
          ],
          p.counts[b]!,
          p.t,
          stored,
        );
      }
    });
    for (const p of perT) emit("request_duration_seconds_sum", [["job", job]], p.sum, p.t);
    for (const p of perT) emit("request_duration_seconds_count", [["job", job]], p.count, p.t);
  }

  lines.push("# TYPE rpc_seconds summary");
  for (const [q, stored] of [
    ["0.5", "0.5"],
    ["0.99", "0.99"],
    ["1", "1.0"],
  ] as const) {
    for (let t = startMs; t < end; t += 60_000) emit("rpc_seconds", [["quantile", q]], rand(), t, stored);
  }
  lines.push("# EOF");
  return { text: `${lines.join("\n")}\n`, samples, series: seriesSeen.size };
}

/**
 * The samples as `promtool tsdb dump` prints them: series in label order,
 * samples in time order, `{labels} value timestamp`.
 */
export function dumpLines(samples: readonly ExpectedSample[]): string {
  const sorted = [...samples].sort((a, b) => Labels.compare(a.labels, b.labels) || a.t - b.t);
  return sorted.map((s) => `${s.series} ${formatGoFloat(s.value)} ${s.t}\n`).join("");
}

function escapeOM(v: string): string {
  return v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
