/**
 * The configuration `vigil start` writes when given none: the server scrapes
 * itself (job `prometheus`, as upstream's example config names it, so
 * Prometheus self-monitoring dashboards find it), the node exporter, the
 * Pushgateway (with `honor_labels`, as upstream recommends) and the
 * Alertmanager; it evaluates the default rule file written beside it and
 * sends alerts to the Alertmanager.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { joinHostPort, parseListenAddress } from "../../web/listen.ts";
import { ALERTMANAGER_FILE, DEFAULT_ALERTMANAGER_CONFIG, DEFAULT_RULES, RULES_FILE } from "./alerting.ts";

/** Where the generated config goes, under the data directory. */
export function defaultConfigPath(dataDir: string): string {
  return join(dataDir, "vigil-start", "prometheus.yml");
}

/** Where the stack's components are, as scrape targets (`host:port`). */
export interface StackTargets {
  readonly server: string;
  readonly nodeExporter: string;
  readonly pushgateway: string;
  readonly alertmanager: string;
}

/** The generated prometheus.yml scraping the stack. */
export function defaultConfig(targets: StackTargets): string {
  const lines = [
    "# Written by `vigil start` on every start: edit a copy and pass it with --config.file.",
    "global:",
    "  scrape_interval: 15s",
    "  evaluation_interval: 15s",
    "rule_files:",
    `  - ${RULES_FILE}`,
    "alerting:",
    "  alertmanagers:",
    "    - static_configs:",
    `        - targets: ['${targets.alertmanager}']`,
    "scrape_configs:",
    "  - job_name: prometheus",
    "    static_configs:",
    `      - targets: ['${targets.server}']`,
    "  - job_name: node",
    "    static_configs:",
    `      - targets: ['${targets.nodeExporter}']`,
    "  - job_name: pushgateway",
    "    honor_labels: true",
    "    static_configs:",
    `      - targets: ['${targets.pushgateway}']`,
    "  - job_name: alertmanager",
    "    static_configs:",
    `      - targets: ['${targets.alertmanager}']`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Writes {@link defaultConfig} to {@link defaultConfigPath} and the default rule file beside it; returns the config's path. */
export function writeDefaultConfig(dataDir: string, targets: StackTargets): string {
  const path = defaultConfigPath(dataDir);
  mkdirSync(join(dataDir, "vigil-start"), { recursive: true });
  writeFileSync(join(dataDir, "vigil-start", RULES_FILE), DEFAULT_RULES);
  writeFileSync(path, defaultConfig(targets));
  return path;
}

/** Writes the default alertmanager.yml (a blackhole receiver) beside the generated prometheus.yml; returns its path. */
export function writeDefaultAlertmanagerConfig(dataDir: string): string {
  const path = join(dataDir, "vigil-start", ALERTMANAGER_FILE);
  mkdirSync(join(dataDir, "vigil-start"), { recursive: true });
  writeFileSync(path, DEFAULT_ALERTMANAGER_CONFIG);
  return path;
}

/** `host:port` a local client dials for a listen address (`:9100` → `localhost:9100`). */
export function dialTarget(listenAddress: string): string {
  const { host, port } = parseListenAddress(listenAddress);
  const wildcard = host === undefined || host === "0.0.0.0" || host === "::";
  return joinHostPort(wildcard ? "localhost" : host, port);
}

/** True when something accepts TCP connections at `target` (`host:port`) within `timeoutMs`. */
export function listening(target: string, timeoutMs = 500): Promise<boolean> {
  const colon = target.lastIndexOf(":");
  const host = target.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(target.slice(colon + 1));
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
