/**
 * A dispatcher wired for tests from an `alertmanager.yml` text: fake clock,
 * the real pipeline, every `webhook_configs` entry replaced by a recording
 * notifier, an in-memory notification log and injectable muters.
 */
import { Registry } from "prom-client";
import { nopLogger } from "../../log/log.ts";
import { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import { parseAlertmanagerConfig } from "../config/config.ts";
import { FakeClock } from "../notify/clock.ts";
import { newNotifyMetrics } from "../notify/metrics.ts";
import type { Muter } from "../notify/mute.ts";
import type { Integration, NotifyResult } from "../notify/notifier.ts";
import { buildPipeline } from "../notify/pipeline.ts";
import { MemoryGroupMarker, MemoryNflog, NO_MUTER, RecordingNotifier } from "../notify/testing.ts";
import { Route } from "../route/route.ts";
import { Intervener } from "../timeinterval/intervener.ts";
import type { TimeInterval } from "../timeinterval/timeinterval.ts";
import type { Alert } from "../types/types.ts";
import { type AlertSource, Dispatcher } from "./dispatcher.ts";
import { newDispatcherMetrics } from "./metrics.ts";

/** An alert source tests push into. */
export class PushSource implements AlertSource {
  readonly #listeners = new Set<(a: Alert) => void>();
  subscribe(listener: (a: Alert) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  push(a: Alert): void {
    for (const l of this.#listeners) l(a);
  }
}

/** What {@link newHarness} returns. */
export interface Harness {
  readonly clock: FakeClock;
  readonly source: PushSource;
  readonly dispatcher: Dispatcher;
  /** Recording notifier of each receiver's first webhook. */
  readonly notifiers: ReadonlyMap<string, RecordingNotifier>;
  readonly marker: MemoryGroupMarker;
  readonly registry: Registry;
}

/** Options of {@link newHarness}. */
export interface HarnessOptions {
  readonly start?: number;
  readonly silencer?: Muter;
  readonly inhibitor?: Muter;
  /** Results the notifiers answer with, in turn, per receiver. */
  readonly results?: Readonly<Record<string, NotifyResult[]>>;
}

/** Builds and runs a dispatcher for `yaml`. */
export async function newHarness(yaml: string, opts: HarnessOptions = {}): Promise<Harness> {
  const { config } = parseAlertmanagerConfig(yaml, "test.yml");
  const clock = new FakeClock(opts.start ?? Date.UTC(2026, 0, 5, 12));
  const registry = new Registry();
  const notifiers = new Map<string, RecordingNotifier>();
  const integrations = new Map<string, Integration[]>();
  for (const r of config.receivers) {
    const list = r.webhook_configs.map((wc, index) => {
      const n = new RecordingNotifier(clock, opts.results?.[r.name]);
      if (index === 0) notifiers.set(r.name, n);
      return { name: "webhook", index, notifier: n, sendResolved: wc.send_resolved };
    });
    integrations.set(r.name, list);
  }
  const intervals = new Map<string, readonly TimeInterval[]>();
  for (const ti of [...config.mute_time_intervals, ...config.time_intervals])
    intervals.set(ti.name, ti.time_intervals);
  const marker = new MemoryGroupMarker();
  const stage = buildPipeline(integrations, {
    inhibitor: opts.inhibitor ?? NO_MUTER,
    silencer: opts.silencer ?? NO_MUTER,
    intervener: new Intervener(intervals),
    marker,
    nflog: new MemoryNflog(clock),
    metrics: newNotifyMetrics(registry),
    clock,
    backoff: { initialMs: 500, multiplier: 1.5, randomization: 0, maxMs: 60_000, random: () => 0.5 },
  });
  const source = new PushSource();
  const dispatcher = new Dispatcher({
    route: Route.fromConfig(config.route),
    alerts: source,
    stage,
    marker,
    templates: await AlertmanagerTemplates.fromGlobs([]),
    metrics: newDispatcherMetrics(registry),
    logger: nopLogger,
    clock,
  });
  dispatcher.run();
  return { clock, source, dispatcher, notifiers, marker, registry };
}
