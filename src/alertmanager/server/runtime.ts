/**
 * What one loaded `alertmanager.yml` runs as (upstream's config-coordinator
 * subscriber in `cmd/alertmanager/main.go`): templates, integrations of the
 * receivers a route uses, time intervals, inhibitor, silencer, notification
 * pipeline and dispatcher. Built in full before anything old is stopped, so
 * a config whose templates or integrations fail changes nothing.
 */
import type { Logger } from "../../log/log.ts";
import type { AlertmanagerTemplates } from "../../template/alertmanager.ts";
import type { APIv2Config } from "../api/deps.ts";
import { formatGoDuration } from "../config/common.ts";
import { alertmanagerConfigToYAML, type LoadedAlertmanagerConfig } from "../config/config.ts";
import { Dispatcher } from "../dispatch/dispatcher.ts";
import type { DispatcherMetrics } from "../dispatch/metrics.ts";
import { Inhibitor } from "../inhibit/inhibit.ts";
import type { MemMarker } from "../marker/marker.ts";
import type { NotificationLog } from "../nflog/nflog.ts";
import type { NotifyMetrics } from "../notify/metrics.ts";
import type { Integration } from "../notify/notifier.ts";
import { buildPipeline } from "../notify/pipeline.ts";
import { buildIntegrations } from "../notify/receivers/build.ts";
import type { AlertStore } from "../provider/alerts.ts";
import { Route } from "../route/route.ts";
import { Silencer } from "../silence/silencer.ts";
import type { Silences } from "../silence/silences.ts";
import { loadTemplates } from "../template/load.ts";
import { Intervener } from "../timeinterval/intervener.ts";
import type { TimeInterval } from "../timeinterval/timeinterval.ts";

/** The long-lived state a runtime is built over; shared by every config. */
export interface RuntimeDeps {
  readonly alerts: AlertStore;
  readonly marker: MemMarker;
  readonly silences: Silences;
  readonly nflog: NotificationLog;
  readonly notifyMetrics: NotifyMetrics;
  readonly dispatcherMetrics: DispatcherMetrics;
  readonly logger: Logger;
  /** The external URL templates link back to. */
  readonly externalURL: string;
  /** `--data.retention`, ms: a longer repeat_interval is warned about. */
  readonly retentionMs: number;
  /** `--dispatch.maintenance-interval`, ms. */
  readonly dispatchMaintenanceIntervalMs: number;
}

/** A config put to work; `start()` once, `stop()` once. */
export interface Runtime {
  readonly route: Route;
  readonly dispatcher: Dispatcher;
  readonly inhibitor: Inhibitor;
  readonly api: APIv2Config;
  readonly receivers: number;
  readonly integrations: number;
  readonly inhibitionRules: number;
  start(): void;
  stop(): Promise<void>;
}

/** The integrations of every receiver some route uses (upstream skips the others). */
function integrationsOf(
  loaded: LoadedAlertmanagerConfig,
  active: ReadonlySet<string>,
  logger: Logger,
): Map<string, readonly Integration[]> {
  const out = new Map<string, readonly Integration[]>();
  for (const rcv of loaded.config.receivers) {
    if (!active.has(rcv.name)) {
      logger.info("skipping creation of receiver not referenced by any route", { receiver: rcv.name });
      continue;
    }
    const built = buildIntegrations(rcv);
    for (const kind of built.unsupported)
      logger.warn("Vigil does not implement this integration yet; it sends nothing", {
        receiver: rcv.name,
        integration: kind.replace(/_configs$/, ""),
      });
    out.set(rcv.name, built.integrations);
  }
  return out;
}

function intervalsOf(loaded: LoadedAlertmanagerConfig): Map<string, readonly TimeInterval[]> {
  const out = new Map<string, readonly TimeInterval[]>();
  for (const ti of [...loaded.config.mute_time_intervals, ...loaded.config.time_intervals])
    out.set(ti.name, ti.time_intervals);
  return out;
}

function warnRoutes(route: Route, deps: RuntimeDeps, logger: Logger): void {
  route.walk((r) => {
    const o = r.opts;
    if (o.repeatInterval > deps.retentionMs)
      logger.warn(
        "repeat_interval is greater than the data retention period. It can lead to notifications being repeated more often than expected.",
        {
          repeat_interval: formatGoDuration(o.repeatInterval),
          retention: formatGoDuration(deps.retentionMs),
          route: r.key(),
        },
      );
    if (o.repeatInterval < o.groupInterval)
      logger.warn(
        "repeat_interval is less than group_interval. Notifications will not repeat until the next group_interval.",
        {
          repeat_interval: formatGoDuration(o.repeatInterval),
          group_interval: formatGoDuration(o.groupInterval),
          route: r.key(),
        },
      );
  });
}

/**
 * Builds the runtime of `loaded`. Throws `failed to parse templates: …` for
 * a template error and the integration's error for one that cannot be built.
 * The inhibitor subscribes to the store at once; the dispatcher waits for
 * `start()`.
 */
export async function buildRuntime(loaded: LoadedAlertmanagerConfig, deps: RuntimeDeps): Promise<Runtime> {
  const configLogger = deps.logger.with({ component: "configuration" });
  let templates: AlertmanagerTemplates;
  try {
    templates = await loadTemplates(loaded.config.templates, { externalURL: deps.externalURL });
  } catch (err) {
    throw new Error(`failed to parse templates: ${(err as Error).message}`, { cause: err });
  }
  const route = Route.fromConfig(loaded.config.route);
  const active = new Set<string>();
  route.walk((r) => active.add(r.opts.receiver));
  const receivers = integrationsOf(loaded, active, configLogger);
  const inhibitor = new Inhibitor(deps.alerts, loaded.config.inhibit_rules, deps.marker, {
    logger: deps.logger.with({ component: "inhibitor" }),
  });
  const silencer = new Silencer(deps.silences, deps.marker, deps.logger.with({ component: "silencer" }));
  const stage = buildPipeline(receivers, {
    inhibitor,
    silencer,
    intervener: new Intervener(intervalsOf(loaded)),
    marker: deps.marker,
    nflog: deps.nflog,
    metrics: deps.notifyMetrics,
  });
  const dispatcher = new Dispatcher({
    route,
    alerts: deps.alerts,
    stage,
    marker: deps.marker,
    templates,
    metrics: deps.dispatcherMetrics,
    logger: deps.logger.with({ component: "dispatcher" }),
    maintenanceIntervalMs: deps.dispatchMaintenanceIntervalMs,
  });
  warnRoutes(route, deps, configLogger);
  const api: APIv2Config = {
    config: loaded.config,
    original: alertmanagerConfigToYAML(loaded.config),
    route,
    setAlertStatus: (labels) => {
      inhibitor.mutes(labels);
      silencer.mutes(labels);
    },
  };
  let integrations = 0;
  for (const list of receivers.values()) integrations += list.length;
  return {
    route,
    dispatcher,
    inhibitor,
    api,
    receivers: active.size,
    integrations,
    inhibitionRules: loaded.config.inhibit_rules.length,
    start: () => dispatcher.run(),
    stop: async () => {
      inhibitor.stop();
      await dispatcher.stop();
    },
  };
}
