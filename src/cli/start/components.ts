/** A component of the stack as DESIGN.md lists it, and whether it exists yet. */
export interface Component {
  /** Its sub-command, e.g. `server`. */
  readonly command: string;
  /** The upstream program it is a drop-in for. */
  readonly twin: string;
  /** Its default port, upstream's. */
  readonly port: number;
  /** Whether the code exists; `vigil start` runs only the ones that do. */
  readonly built: boolean;
}

/** Every long-running component `vigil start` will run, in DESIGN.md's order. */
export const COMPONENTS: readonly Component[] = [
  { command: "server", twin: "prometheus", port: 9090, built: false },
  { command: "alertmanager", twin: "alertmanager", port: 9093, built: false },
  { command: "pushgateway", twin: "pushgateway", port: 9091, built: false },
  { command: "node-exporter", twin: "node_exporter", port: 9100, built: false },
  { command: "kube-state-metrics", twin: "kube-state-metrics", port: 8080, built: false },
  { command: "dashboards", twin: "grafana", port: 3000, built: false },
];

/**
 * The start-up banner: what runs in this process (at `url`, where it really
 * listens) and which components are not built yet, so nobody mistakes a
 * missing component for a broken one.
 */
export function formatBanner(version: string, url: string, components = COMPONENTS): string {
  const row = (name: string, ...rest: readonly string[]): string => `  ${name.padEnd(26)}${rest.join(" ")}`;
  const missing = components.filter((c) => !c.built);
  const lines = [
    `Vigil ${version}: vigil start runs every component that exists today in this process.`,
    "",
    "Running:",
    row("self-metrics", `${url}/metrics`, "(Vigil's own metrics; also /-/healthy, /-/ready)"),
  ];
  if (missing.length > 0) {
    lines.push("", "Not built yet (command, upstream default port, upstream twin):");
    for (const c of missing)
      lines.push(row(`vigil ${c.command}`, `:${c.port}`.padEnd(7), `(upstream: ${c.twin})`));
  }
  return lines.join("\n");
}
