/** A component of the stack as DESIGN.md lists it, and whether it exists yet. */
export interface Component {
  /** Its sub-command, e.g. `server`. */
  readonly command: string;
  /** The upstream program it is a drop-in for. */
  readonly twin: string;
  /** Its default port, upstream's. */
  readonly port: number;
  /** Whether `vigil start` runs it (kube-state-metrics needs a Kubernetes cluster). */
  readonly built: boolean;
}

/** Every long-running component `vigil start` will run, in DESIGN.md's order. */
export const COMPONENTS: readonly Component[] = [
  { command: "server", twin: "prometheus", port: 9090, built: true },
  { command: "alertmanager", twin: "alertmanager", port: 9093, built: true },
  { command: "pushgateway", twin: "pushgateway", port: 9091, built: true },
  { command: "node-exporter", twin: "node_exporter", port: 9100, built: true },
  { command: "kube-state-metrics", twin: "kube-state-metrics", port: 8080, built: false },
  { command: "dashboards", twin: "grafana", port: 3000, built: true },
];

/** Where the running components are. */
export interface BannerUrls {
  /** The server, e.g. `http://localhost:9090`. */
  readonly server: string;
  /** The node exporter scraped (Vigil's own or one already running). */
  readonly nodeExporter: string;
  /** The Pushgateway (Vigil's own or one already running). */
  readonly pushgateway: string;
  /** The Alertmanager (Vigil's own or one already running). */
  readonly alertmanager: string;
  /** The config file in use. */
  readonly configFile: string;
  /** The Alertmanager's config file ("" when an Alertmanager already running is used). */
  readonly alertmanagerConfigFile: string;
  /** The dashboards. */
  readonly dashboards: string;
  /** How to log in to the dashboards ("" when they were not started here). */
  readonly dashboardsLogin: string;
}

/**
 * The start-up banner: what runs and where to look, and which components are
 * not built yet, so nobody mistakes a missing component for a broken one.
 */
export function formatBanner(version: string, urls: BannerUrls, components = COMPONENTS): string {
  const row = (name: string, ...rest: readonly string[]): string => `  ${name.padEnd(26)}${rest.join(" ")}`;
  const missing = components.filter((c) => !c.built);
  const lines = [
    `Vigil ${version}: vigil start runs the stack in this process.`,
    "",
    "Running:",
    row("server", urls.server, "(web UI, Prometheus API, /metrics, /-/healthy, /-/ready)"),
    row(
      "dashboards",
      urls.dashboards,
      urls.dashboardsLogin === "" ? "" : `(log in: ${urls.dashboardsLogin})`,
    ),
    row("node exporter", `${urls.nodeExporter}/metrics`),
    row("pushgateway", `${urls.pushgateway}/metrics`, "(push to /metrics/job/<job>)"),
    row("alertmanager", urls.alertmanager, "(API v2: amtool --alertmanager.url=…, /-/ready)"),
    row("alerts", `${urls.server}/api/v1/alerts`, `and ${urls.alertmanager}/api/v2/alerts`),
    row("targets", `${urls.server}/api/v1/targets`),
    row("query", `${urls.server}/api/v1/query?query=up`),
    row("config", urls.configFile),
  ];
  if (urls.alertmanagerConfigFile !== "") lines.push(row("alertmanager config", urls.alertmanagerConfigFile));
  if (missing.length > 0) {
    lines.push("", "Not run by vigil start (command, upstream default port, upstream twin):");
    for (const c of missing)
      lines.push(row(`vigil ${c.command}`, `:${c.port}`.padEnd(7), `(upstream: ${c.twin})`));
  }
  return lines.join("\n");
}
