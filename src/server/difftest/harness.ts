/**
 * The scrape differential run: the real exporters behind an {@link EpochProxy},
 * the reference Prometheus and `vigil server` scraping them with the same
 * prometheus.yml (scrape interval = epoch) for a while. `window` is the
 * epoch-aligned time range in which both were scraping every target; tests
 * then ask both servers the same questions about it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RawSeries, seriesKey } from "./compare.ts";
import { EpochProxy } from "./epochproxy.ts";
import { Exporters } from "./exporters.ts";
import { EXPORTER_OF, JOBS, PUSHES, scrapeConfigYAML } from "./scrapeconfig.ts";
import { missingReferenceBinaries, ServerProcess } from "./serverprocess.ts";

/** Every reference binary the run starts. */
export const REQUIRED_BINARIES = [
  "prometheus",
  "node_exporter",
  "pushgateway",
  "alertmanager",
  "victoria-metrics",
];

/** Why the differential tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  const missing = missingReferenceBinaries(REQUIRED_BINARIES);
  if (missing.length === 0) return undefined;
  return `reference binaries missing from .reference/bin: ${missing.join(", ")} (run ../shared/tools/install-reference.sh)`;
}

/** `VIGIL_DIFF_SECONDS` if set (how long to scrape), else `fallback`. */
export function diffSeconds(fallback: number): number {
  const v = Number(process.env.VIGIL_DIFF_SECONDS);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** A time range in ms: `start` inclusive, `end` exclusive, both epoch boundaries. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** Options of {@link DiffRun.start}. */
export interface DiffRunOptions {
  /** Epoch and scrape interval, ms (whole seconds). */
  readonly epochMs: number;
  /** How long the compared window lasts, s (rounded up to epochs). */
  readonly seconds: number;
  /** Called with progress lines (default: nothing). */
  readonly log?: (line: string) => void;
}

/** A finished run; both servers keep running until `stop`. */
export class DiffRun {
  readonly epochMs: number;
  readonly window: Window;
  readonly prometheus: ServerProcess;
  readonly vigil: ServerProcess;
  private readonly cleanup: () => Promise<void>;
  private readonly proxy: EpochProxy;

  private constructor(
    epochMs: number,
    window: Window,
    p: ServerProcess,
    v: ServerProcess,
    proxy: EpochProxy,
    cleanup: () => Promise<void>,
  ) {
    this.proxy = proxy;
    this.epochMs = epochMs;
    this.window = window;
    this.prometheus = p;
    this.vigil = v;
    this.cleanup = cleanup;
  }

  /** Starts everything, waits for all targets up on both, then scrapes for `seconds`. */
  static async start(o: DiffRunOptions): Promise<DiffRun> {
    const log = o.log ?? (() => {});
    const dir = mkdtempSync(join(tmpdir(), "vigil-scrapediff-"));
    const stops: (() => Promise<void>)[] = [];
    const cleanup = async (): Promise<void> => {
      for (const s of stops.reverse()) await s().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      const exporters = await Exporters.start();
      stops.push(() => exporters.stop());
      await pushGroups(exporters.list.find((e) => e.job === "pushgateway")!.metricsUrl);
      const upstreams = exporters.list.map((e) => e.metricsUrl);
      const proxy = await EpochProxy.start(upstreams, o.epochMs);
      stops.push(() => proxy.close());
      const targetOf = (job: (typeof JOBS)[number]) =>
        proxy.targets[exporters.list.findIndex((e) => e.job === EXPORTER_OF[job])]!;
      const config = join(dir, "prometheus.yml");
      writeFileSync(config, scrapeConfigYAML(`${o.epochMs / 1000}s`, targetOf));
      const [p, v] = await Promise.all([
        ServerProcess.start("prometheus", config, join(dir, "prometheus")),
        ServerProcess.start("vigil", config, join(dir, "vigil")),
      ]);
      stops.push(
        () => p.stop(),
        () => v.stop(),
      );
      log(`prometheus ${p.url}, vigil ${v.url}, epoch ${o.epochMs} ms`);
      await Promise.all([allUp(p, 20_000), allUp(v, 20_000)]);
      const first = (Math.floor(Date.now() / o.epochMs) + 2) * o.epochMs;
      const window = { start: first, end: first + Math.ceil((o.seconds * 1000) / o.epochMs) * o.epochMs };
      log(
        `scraping until ${new Date(window.end).toISOString()} (${(window.end - window.start) / 1000} s window)`,
      );
      // One more epoch so the last window epoch's scrapes are committed on both.
      await sleep(window.end + o.epochMs - Date.now());
      return new DiffRun(o.epochMs, window, p, v, proxy, cleanup);
    } catch (err) {
      await cleanup();
      throw err;
    }
  }

  /**
   * Jobs with a scrape whose request reached the proxy in another epoch than
   * its `up` sample's timestamp (a loaded machine delayed it past a boundary):
   * that scrape got another epoch's body, so its values legitimately differ.
   */
  async lateScrapeJobs(): Promise<Set<string>> {
    const jobs = new Set<string>();
    const scrapers: [ServerProcess, string][] = [
      [this.prometheus, "Prometheus"],
      [this.vigil, "Vigil"],
    ];
    for (const [server, scraper] of scrapers) {
      for (const s of await this.rawSamples(server, "up")) {
        const arrived = new Set(
          (this.proxy.arrivals.get(s.metric.instance ?? "") ?? [])
            .filter((a) => a.scraper === scraper)
            .map((a) => a.epoch),
        );
        const late = s.values.some(
          ([sec]) => !arrived.has(this.proxy.epochOf(Math.round(Number(sec) * 1000))),
        );
        if (late) jobs.add(s.metric.job ?? "");
      }
    }
    return jobs;
  }

  /** Both servers, Prometheus first. */
  get servers(): readonly [ServerProcess, ServerProcess] {
    return [this.prometheus, this.vigil];
  }

  /**
   * Raw samples of `selector` in the window from `server`, fetched as range
   * selectors (`sel[Nms]` at the window's last millisecond), at most 60 epochs
   * per request.
   */
  async rawSamples(server: ServerProcess, selector: string): Promise<RawSeries[]> {
    // A series spanning several pieces comes back once per piece: merged by labels, in time order.
    const bySeries = new Map<
      string,
      { metric: RawSeries["metric"]; values: (readonly [number, string])[] }
    >();
    const chunk = 60 * this.epochMs;
    for (let from = this.window.start; from < this.window.end; from += chunk) {
      const to = Math.min(from + chunk, this.window.end);
      const data = await server.data<{ resultType: string; result: RawSeries[] }>("/api/v1/query", {
        query: `${selector}[${to - from}ms]`,
        time: ((to - 1) / 1000).toFixed(3),
      });
      for (const r of data.result) {
        const key = seriesKey(r.metric);
        const seen = bySeries.get(key);
        if (seen === undefined) bySeries.set(key, { metric: r.metric, values: [...r.values] });
        else seen.values.push(...r.values);
      }
    }
    return [...bySeries.values()];
  }

  /** Stops servers, proxy and exporters and removes their files. */
  stop(): Promise<void> {
    return this.cleanup();
  }
}

async function pushGroups(metricsUrl: string): Promise<void> {
  const base = metricsUrl.replace(/\/metrics$/, "");
  for (const [path, body] of Object.entries(PUSHES)) {
    const r = await fetch(`${base}${path}`, { method: "PUT", body, signal: AbortSignal.timeout(5000) });
    if (r.status !== 200) throw new Error(`push to ${path}: HTTP ${r.status}: ${await r.text()}`);
  }
}

interface TargetsData {
  activeTargets: { scrapePool: string; health: string; lastError: string }[];
}

/** Waits until every job has an active target whose health is `up`. */
async function allUp(server: ServerProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = "";
  while (Date.now() < deadline) {
    const data = await server.data<TargetsData>("/api/v1/targets", { state: "active" });
    const up = new Set(data.activeTargets.filter((t) => t.health === "up").map((t) => t.scrapePool));
    if (JOBS.every((j) => up.has(j))) return;
    last = JSON.stringify(data.activeTargets.map((t) => [t.scrapePool, t.health, t.lastError]));
    await sleep(200);
  }
  throw new Error(`${server.flavour}: not every target up after ${ms} ms: ${last}\n${server.log()}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
