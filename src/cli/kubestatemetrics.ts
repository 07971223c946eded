import { commaList, KUBE_STATE_METRICS_FLAGS } from "../exporters/kube-state/flags.ts";
import { AllowListError, parseAllowList } from "../exporters/kube-state/labels.ts";
import { selectResources, UnknownResourceError } from "../exporters/kube-state/registry.ts";
import { clientFromFlags, startKubeStateMetrics } from "../exporters/kube-state/run.ts";
import { type LogFormat, type LogLevel, newLogger } from "../log/log.ts";
import { buildInfo, versionInfo } from "../version/info.ts";
import { joinHostPort } from "../web/listen.ts";
import type { Command } from "./command.ts";
import { parseFlags, UsageError } from "./flags.ts";

/**
 * `vigil kube-state-metrics`: upstream's kube-state-metrics v2 — the
 * `kube_*` metrics of Kubernetes objects on `:8080/metrics`, its own metrics
 * on `:8081/metrics`, kept current by list + watch (library:
 * `src/exporters/kube-state`). Runs until `ctx.signal` aborts.
 */
export const kubeStateMetricsCommand: Command = {
  summary: "Run kube-state-metrics: Kubernetes object metrics on :8080 (upstream: kube-state-metrics).",
  description:
    "Expose the state of Kubernetes objects (pods, deployments, nodes, …) as kube-state-metrics v2 does:\n" +
    "same metric names and labels, flags (--resources, --namespaces, --metric-labels-allowlist, …) and ports.",
  flags: KUBE_STATE_METRICS_FLAGS,
  async run(args, ctx) {
    const f = parseFlags(KUBE_STATE_METRICS_FLAGS, args) as Readonly<
      Record<string, string | boolean | undefined>
    >;
    const str = (name: string): string => (f[name] as string | undefined) ?? "";
    const logger = newLogger({
      level: f["log.level"] as LogLevel,
      format: f["log.format"] as LogFormat,
      write: (line) => ctx.stderr.write(line),
    });
    let selected: ReturnType<typeof selectResources>;
    let labels: Map<string, string[]>;
    let annotations: Map<string, string[]>;
    try {
      selected = selectResources(str("resources"));
      labels = parseAllowList(str("metric-labels-allowlist"));
      annotations = parseAllowList(str("metric-annotations-allowlist"));
    } catch (err) {
      if (err instanceof UnknownResourceError || err instanceof AllowListError)
        throw new UsageError(err.message);
      throw err;
    }
    for (const port of ["port", "telemetry-port"]) {
      if (!/^\d+$/.test(str(port)))
        throw new UsageError(`invalid argument ${JSON.stringify(str(port))} for "--${port}" flag`);
    }
    logger.info("Starting kube-state-metrics", { version: versionInfo(buildInfo()) });
    if (selected.skipped.length > 0)
      logger.warn("Resources not implemented in Vigil, skipped", { resources: selected.skipped.join(",") });
    logger.info("Used resources", { resources: selected.enabled.map((d) => d.name).join(",") });
    const namespaces = commaList(str("namespaces"));
    logger.info("Used namespaces", { namespaces: namespaces.length === 0 ? "all" : namespaces.join(",") });
    let running: Awaited<ReturnType<typeof startKubeStateMetrics>>;
    try {
      running = await startKubeStateMetrics({
        resources: selected.enabled,
        namespaces,
        namespacesDenylist: commaList(str("namespaces-denylist")),
        labelsAllowList: labels,
        annotationsAllowList: annotations,
        client: await clientFromFlags(str("apiserver"), str("kubeconfig")),
        listen: joinHostPort(str("host"), Number(str("port"))),
        telemetryListen: joinHostPort(str("telemetry-host"), Number(str("telemetry-port"))),
        gzip: f["enable-gzip-encoding"] === true,
        logger,
      });
    } catch (err) {
      logger.error("Failed to run kube-state-metrics", { err: (err as Error).message });
      return 1;
    }
    logger.info("Started metrics server", { address: running.metricsServer.address });
    logger.info("Started kube-state-metrics self metrics server", {
      address: running.telemetryServer.address,
    });
    if (!ctx.signal.aborted) {
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
    }
    await running.close();
    return 0;
  },
};
