/**
 * The differential test's dataset: a few hundred deterministic series of the
 * kinds PromQL meets in practice — counters with occasional resets, gauges
 * that go negative, a classic histogram, 0/1 health series, info series,
 * series present only part of the time, and a few NaN/±Inf values — sampled
 * every 15–60 s with jitter, written as OpenMetrics for promtool to backfill.
 * (Stale markers cannot be written in OpenMetrics, so there are none.)
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { mulberry32 } from "../../testing/prng.ts";

export interface DatasetSeries {
  name: string;
  /** Label pairs besides the name, in exposition order. */
  labels: [string, string][];
  t: number[];
  v: number[];
}

export interface Dataset {
  start: number;
  end: number;
  series: DatasetSeries[];
}

const MIN = 60_000;
const H = 60 * MIN;
/** A day boundary, so promtool's 2h blocks line up with the data. */
export const DATASET_START = 1_700_006_400_000;

type Gen = (r: () => number, i: number, prev: number) => number;

/**
 * Builds the dataset for `seed`: `hours` long from {@link DATASET_START}.
 * Every series draws from its own PRNG stream, so adding a family does not change the others.
 */
export function generateDataset(seed: number, hours = 3): Dataset {
  const start = DATASET_START;
  const end = start + hours * H;
  const series: DatasetSeries[] = [];
  let stream = seed * 7919;

  /** Adds one series sampled every `intervalMs` (±`jitterMs`) over `[from, to)`, skipping gaps. */
  const add = (
    name: string,
    labels: [string, string][],
    intervalMs: number,
    init: (r: () => number) => number,
    gen: Gen,
    opts: { from?: number; to?: number; gap?: [number, number]; jitterMs?: number } = {},
  ): void => {
    const r = mulberry32(++stream);
    const t: number[] = [];
    const v: number[] = [];
    const jitter = opts.jitterMs ?? Math.min(2000, intervalMs / 10);
    // A per-series phase so series are not all scraped at the same instant.
    const phase = Math.floor(r() * intervalMs);
    let prev = init(r);
    let i = 0;
    for (let base = start + phase; base < end; base += intervalMs, i++) {
      const ts = Math.round(base + (r() - 0.5) * jitter);
      prev = gen(r, i, prev);
      if (opts.from !== undefined && ts < opts.from) continue;
      if (opts.to !== undefined && ts >= opts.to) continue;
      if (opts.gap !== undefined && ts >= opts.gap[0] && ts < opts.gap[1]) continue;
      t.push(ts);
      v.push(prev);
    }
    if (t.length > 0) series.push({ name, labels, t, v });
  };

  const counter =
    (rate: number, resetP: number): Gen =>
    (r, _i, prev) =>
      r() < resetP ? Math.floor(r() * 5) : prev + Math.floor(r() * rate);

  // HTTP request counters, with occasional resets.
  for (const job of ["api", "web"]) {
    for (let inst = 0; inst < 3; inst++) {
      for (const method of ["GET", "POST", "PUT"]) {
        for (const code of ["200", "404", "500"]) {
          const rate = code === "200" ? 100 : code === "404" ? 10 : 3;
          add(
            "dt_http_requests_total",
            [
              ["job", job],
              ["instance", `${job}-${inst}:8080`],
              ["method", method],
              ["code", code],
            ],
            15_000,
            (r) => Math.floor(r() * 1e5),
            counter(rate, 0.004),
          );
        }
      }
    }
  }
  // CPU seconds with fractional increments.
  for (let inst = 0; inst < 4; inst++) {
    for (let cpu = 0; cpu < 2; cpu++) {
      for (const mode of ["idle", "user", "system"]) {
        const share = mode === "idle" ? 0.8 : mode === "user" ? 0.15 : 0.05;
        add(
          "dt_cpu_seconds_total",
          [
            ["instance", `node-${inst}:9100`],
            ["cpu", String(cpu)],
            ["mode", mode],
          ],
          30_000,
          (r) => Math.round(r() * 1e7) / 100,
          (r, _i, prev) => Math.round((prev + 30 * share * (0.5 + r())) * 100) / 100,
        );
      }
    }
  }
  // Temperatures wandering around zero: negative values.
  for (let inst = 0; inst < 4; inst++) {
    for (const zone of ["inlet", "outlet", "ambient"]) {
      add(
        "dt_temperature_celsius",
        [
          ["instance", `node-${inst}:9100`],
          ["zone", zone],
        ],
        60_000,
        (r) => (r() - 0.5) * 30,
        (r, _i, prev) => Math.round((prev + (r() - 0.5) * 3) * 1000) / 1000,
      );
    }
  }
  // Memory gauges in bytes.
  for (let inst = 0; inst < 4; inst++) {
    for (const kind of ["used", "free", "cached"]) {
      add(
        "dt_memory_bytes",
        [
          ["instance", `node-${inst}:9100`],
          ["kind", kind],
        ],
        15_000,
        (r) => Math.floor(1e9 + r() * 4e9),
        (r, _i, prev) => (r() < 0.4 ? prev + Math.floor((r() - 0.5) * 1e7) : prev),
      );
    }
  }
  // Integer queue lengths, often zero.
  for (let inst = 0; inst < 4; inst++) {
    for (let q = 0; q < 4; q++) {
      add(
        "dt_queue_length",
        [
          ["instance", `node-${inst}:9100`],
          ["queue", `q${q}`],
        ],
        15_000,
        () => 0,
        (r, _i, prev) => Math.max(0, prev + Math.floor((r() - 0.55) * 6)),
      );
    }
  }
  // A classic histogram: cumulative buckets, _sum and _count from the same observations.
  const LE = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"];
  for (const job of ["api", "web"]) {
    for (let inst = 0; inst < 3; inst++) {
      const instance = `${job}-${inst}:8080`;
      const hr = mulberry32(++stream);
      const nSteps = Math.ceil((end - start) / 30_000);
      const counts = LE.map(() => [] as number[]);
      const sums: number[] = [];
      const acc = new Float64Array(LE.length);
      let sum = 0;
      for (let s = 0; s < nSteps; s++) {
        const n = Math.floor(hr() * 30);
        for (let k = 0; k < n; k++) {
          const d = 0.01 * Math.exp(hr() * 6.5);
          sum += d;
          for (let b = 0; b < LE.length; b++) if (LE[b] === "+Inf" || d <= Number(LE[b])) acc[b]!++;
        }
        for (let b = 0; b < LE.length; b++) counts[b]!.push(acc[b]!);
        sums.push(Math.round(sum * 1e6) / 1e6);
      }
      const base: [string, string][] = [
        ["job", job],
        ["instance", instance],
      ];
      LE.forEach((le, b) => {
        add(
          "dt_request_duration_seconds_bucket",
          [...base, ["le", le]],
          30_000,
          () => 0,
          (_r, i) => counts[b]![i]!,
          {
            jitterMs: 0,
          },
        );
      });
      add(
        "dt_request_duration_seconds_sum",
        base,
        30_000,
        () => 0,
        (_r, i) => sums[i]!,
        { jitterMs: 0 },
      );
      add(
        "dt_request_duration_seconds_count",
        base,
        30_000,
        () => 0,
        (_r, i) => counts[LE.length - 1]![i]!,
        {
          jitterMs: 0,
        },
      );
    }
  }
  // 0/1 health.
  for (const job of ["api", "web"]) {
    for (let inst = 0; inst < 3; inst++) {
      add(
        "dt_up",
        [
          ["job", job],
          ["instance", `${job}-${inst}:8080`],
        ],
        15_000,
        () => 1,
        (r) => (r() < 0.05 ? 0 : 1),
      );
    }
  }
  // Info series (constant 1) for joins.
  for (let inst = 0; inst < 4; inst++) {
    add(
      "dt_build_info",
      [
        ["instance", `node-${inst}:9100`],
        ["version", `1.${inst % 2}.0`],
        ["region", inst < 2 ? "eu-west" : "us-east"],
      ],
      60_000,
      () => 1,
      () => 1,
    );
  }
  // Ratios in [0, 1], sometimes exactly 0 or 1.
  for (let inst = 0; inst < 4; inst++) {
    for (const kind of ["hit", "miss"]) {
      add(
        "dt_ratio",
        [
          ["instance", `node-${inst}:9100`],
          ["kind", kind],
        ],
        15_000,
        () => 0.5,
        (r) => {
          const x = r();
          return x < 0.05 ? 0 : x > 0.95 ? 1 : Math.round(x * 1e4) / 1e4;
        },
      );
    }
  }
  // Sessions present only part of the time: late starts, early stops, gaps.
  for (let inst = 0; inst < 4; inst++) {
    for (let u = 0; u < 10; u++) {
      const pr = mulberry32(++stream);
      const a = start + Math.floor(pr() * (end - start) * 0.6);
      const b = a + Math.floor((0.1 + pr() * 0.5) * (end - start));
      const shape = u % 3;
      const window =
        shape === 0
          ? { from: a }
          : shape === 1
            ? { to: b }
            : { gap: [a, Math.min(b, a + 30 * MIN)] as [number, number] };
      add(
        "dt_sessions",
        [
          ["instance", `node-${inst}:9100`],
          ["user", `u${u}`],
        ],
        15_000,
        (r) => Math.floor(r() * 20),
        (r, _i, prev) => Math.max(0, prev + Math.floor((r() - 0.5) * 4)),
        window,
      );
    }
  }
  // A rarely moving counter.
  for (let inst = 0; inst < 4; inst++) {
    for (const kind of ["timeout", "refused"]) {
      add(
        "dt_errors_total",
        [
          ["instance", `node-${inst}:9100`],
          ["kind", kind],
        ],
        60_000,
        () => 0,
        (r, _i, prev) => (r() < 0.05 ? prev + 1 : prev),
      );
    }
  }
  // Special values: occasional NaN and ±Inf.
  for (let k = 0; k < 4; k++) {
    add(
      "dt_weird",
      [
        ["instance", `node-${k}:9100`],
        ["k", String(k)],
      ],
      30_000,
      () => 1,
      (r) => {
        const x = r();
        if (x < 0.03) return Number.NaN;
        if (x < 0.04) return k % 2 === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        return Math.round((x - 0.3) * 100) / 10;
      },
    );
  }
  return { start, end, series };
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

/** Writes the dataset as OpenMetrics (untyped families, each series' samples together) to `path`. */
export function writeOpenMetrics(ds: Dataset, path: string): void {
  // Families must be contiguous: group by name, keeping first-seen order.
  const byName = new Map<string, DatasetSeries[]>();
  for (const s of ds.series) {
    let list = byName.get(s.name);
    if (list === undefined) byName.set(s.name, (list = []));
    list.push(s);
  }
  const fd = openSync(path, "w");
  try {
    let buf = "";
    for (const list of byName.values()) {
      for (const s of list) {
        const prefix = `${s.name}{${s.labels.map(([k, v]) => `${k}="${v}"`).join(",")}} `;
        for (let i = 0; i < s.t.length; i++) {
          buf += `${prefix}${formatValue(s.v[i]!)} ${s.t[i]! / 1000}\n`;
        }
        if (buf.length > 1 << 20) {
          writeSync(fd, buf);
          buf = "";
        }
      }
    }
    buf += "# EOF\n";
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}
