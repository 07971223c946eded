/**
 * The TSDB benchmark's deterministic dataset: hosts that each expose 100
 * series shaped like node_exporter and an instrumented HTTP server — CPU
 * counters with centisecond resolution, memory and filesystem gauges moving
 * in pages, and a request-duration histogram's cumulative buckets — sampled
 * every 15 s. The same generator feeds Vigil's appender and the OpenMetrics
 * file given to promtool, so both store identical samples.
 */
import { Labels } from "../src/model/labels/labels.ts";
import { mulberry32 } from "../src/testing/prng.ts";

export const SERIES_PER_HOST = 100;
export const STEP_MS = 15_000;
/** A day boundary, so a 24h dataset is exactly one 24h block. */
export const START_MS = 1_700_006_400_000;

const MODES = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];
const LE = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
const MEM = [
  "MemAvailable_bytes",
  "MemFree_bytes",
  "Cached_bytes",
  "Buffers_bytes",
  "Active_bytes",
  "Inactive_bytes",
  "Dirty_bytes",
  "Slab_bytes",
];

export interface SeriesSpec {
  family: string;
  type: "counter" | "gauge" | "histogram";
  labels: Labels;
  /** The labels in exposition form, `name{a="b",…}`. */
  text: string;
  /** Next value of the series at each step. */
  next: () => number;
}

function text(name: string, pairs: [string, string][]): string {
  return `${name}{${pairs.map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}

function series(
  family: string,
  type: SeriesSpec["type"],
  name: string,
  pairs: [string, string][],
  next: () => number,
): SeriesSpec {
  const flat = ["__name__", name];
  for (const [k, v] of pairs) flat.push(k, v);
  return { family, type, labels: Labels.fromFlatUnsorted(flat), text: text(name, pairs), next };
}

/** The 100 series of host `h`, each with its own deterministic value stream. */
export function hostSeries(h: number): SeriesSpec[] {
  // Each series draws from its own PRNG, so its values do not depend on the
  // order series are asked in (step by step for Vigil, series by series for the file).
  let seed = h * 1000;
  const own = (): (() => number) => mulberry32(++seed);
  const instance = `host-${String(h).padStart(4, "0")}:9100`;
  const base: [string, string][] = [
    ["instance", instance],
    ["job", "node"],
  ];
  const out: SeriesSpec[] = [];
  // 32 CPU counters in centiseconds: busy modes move every scrape, rare ones seldom.
  for (let cpu = 0; cpu < 4; cpu++) {
    for (const mode of MODES) {
      const share = mode === "idle" ? 0.7 : mode === "user" ? 0.15 : mode === "system" ? 0.08 : 0.002;
      const r = own();
      let v = Math.round(r() * 1e6) / 100;
      out.push(
        series(
          "node_cpu_seconds_total",
          "counter",
          "node_cpu_seconds_total",
          [["cpu", String(cpu)], ...base, ["mode", mode]],
          () => {
            v = Math.round((v + 15 * share * (0.8 + 0.4 * r())) * 100) / 100;
            return v;
          },
        ),
      );
    }
  }
  // 8 memory gauges in pages, changing on some scrapes.
  for (const m of MEM) {
    const r = own();
    let pages = Math.floor(1e6 + r() * 3e6);
    out.push(
      series(`node_memory_${m}`, "gauge", `node_memory_${m}`, base, () => {
        if (r() < 0.3) pages += Math.floor((r() - 0.5) * 200);
        return pages * 4096;
      }),
    );
  }
  // 12 filesystem series: size and inodes constant, free space and free inodes drifting.
  for (const mount of ["/", "/var", "/home"]) {
    const fs: [string, string][] = [["device", "sda1"], ["fstype", "ext4"], ...base, ["mountpoint", mount]];
    const r = own();
    const size = Math.floor(1e8 + r() * 1e9) * 4096;
    let avail = Math.floor(1e7 + r() * 1e8);
    let filesFree = Math.floor(1e6 + r() * 1e7);
    out.push(series("node_filesystem_size_bytes", "gauge", "node_filesystem_size_bytes", fs, () => size));
    out.push(
      series("node_filesystem_avail_bytes", "gauge", "node_filesystem_avail_bytes", fs, () => {
        avail -= Math.floor(r() * 3);
        return avail * 4096;
      }),
    );
    out.push(series("node_filesystem_files", "gauge", "node_filesystem_files", fs, () => 6553600));
    out.push(
      series("node_filesystem_files_free", "gauge", "node_filesystem_files_free", fs, () => {
        if (r() < 0.1) filesFree -= 1;
        return filesFree;
      }),
    );
  }
  // 16 network counters: bytes and packets move, errors and drops stay 0.
  for (const dev of ["eth0", "eth1"]) {
    for (const dir of ["receive", "transmit"]) {
      const r = own();
      let bytes = Math.floor(r() * 1e12);
      let packets = Math.floor(r() * 1e9);
      const nb: [string, string][] = [["device", dev], ...base];
      out.push(
        series(`node_network_${dir}_bytes_total`, "counter", `node_network_${dir}_bytes_total`, nb, () => {
          bytes += Math.floor(r() * 5e5);
          return bytes;
        }),
      );
      out.push(
        series(
          `node_network_${dir}_packets_total`,
          "counter",
          `node_network_${dir}_packets_total`,
          nb,
          () => {
            packets += Math.floor(r() * 500);
            return packets;
          },
        ),
      );
      out.push(
        series(`node_network_${dir}_errs_total`, "counter", `node_network_${dir}_errs_total`, nb, () => 0),
      );
      out.push(
        series(`node_network_${dir}_drop_total`, "counter", `node_network_${dir}_drop_total`, nb, () => 0),
      );
    }
  }
  // 4 scrape series, as Prometheus adds them.
  {
    const r = own();
    out.push(series("up", "gauge", "up", base, () => 1));
    out.push(
      series(
        "scrape_duration_seconds",
        "gauge",
        "scrape_duration_seconds",
        base,
        () => Math.round((0.01 + r() * 0.02) * 1e6) / 1e6,
      ),
    );
    out.push(series("scrape_samples_scraped", "gauge", "scrape_samples_scraped", base, () => 1532));
    out.push(series("scrape_series_added", "gauge", "scrape_series_added", base, () => 0));
  }
  const app: [string, string][] = [
    ["instance", instance],
    ["job", "api"],
  ];
  const handlers = ["/api/v1/query", "/api/v1/write"];
  handlers.forEach((handler, hi) => {
    const name = "http_request_duration_seconds";
    const hseed = h * 7919 + hi * 104729;
    // Every series of the histogram replays the same per-step requests from a
    // PRNG seeded by (host, handler, step), keeping only its own aggregate.
    const stream = (pick: (durations: number[]) => number): (() => number) => {
      let step = 0;
      let acc = 0;
      return () => {
        const r = mulberry32(hseed + step++);
        const n = Math.floor(r() * 40);
        const ds: number[] = [];
        for (let i = 0; i < n; i++) ds.push(0.002 * Math.exp(r() * 7));
        acc += pick(ds);
        return acc;
      };
    };
    for (const le of LE) {
      const bound = le === "+Inf" ? Infinity : Number(le);
      out.push(
        series(
          name,
          "histogram",
          `${name}_bucket`,
          [["handler", handler], ...app, ["le", le]],
          stream((ds) => ds.filter((d) => d <= bound).length),
        ),
      );
    }
    const sumStream = stream((ds) => ds.reduce((a, d) => a + d, 0));
    out.push(
      series(
        name,
        "histogram",
        `${name}_sum`,
        [["handler", handler], ...app],
        () => Math.round(sumStream() * 1e6) / 1e6,
      ),
    );
    out.push(
      series(
        name,
        "histogram",
        `${name}_count`,
        [["handler", handler], ...app],
        stream((ds) => ds.length),
      ),
    );
  });
  if (out.length !== SERIES_PER_HOST)
    throw new Error(`host has ${out.length} series, want ${SERIES_PER_HOST}`);
  return out;
}
