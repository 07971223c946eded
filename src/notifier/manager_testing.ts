/**
 * Test helpers for the manager: configs from YAML, a started manager, metric
 * values.
 */
import type { Registry } from "prom-client";
import { Registry as PromRegistry } from "prom-client";
import { loadConfig } from "../config/config.ts";
import type { Config } from "../config/types.ts";
import "../discovery/all.ts";
import type { Logger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import type { Alert } from "./alert.ts";
import { NotifierManager, type NotifierOptions } from "./manager.ts";
import { waitUntil } from "./testing.ts";

/** A config from prometheus.yml text (relative paths against `dir`). */
export function configOf(yaml: string, dir = "/tmp"): Config {
  return loadConfig(yaml, "prometheus.yml", dir).config;
}

/** A config sending to the given addresses, one `alertmanagers` entry with `extra` YAML lines (indented 4). */
export function configTo(addresses: readonly string[], extra = "", global = ""): Config {
  const targets = addresses.map((a) => `'${a}'`).join(", ");
  return configOf(
    `${global}alerting:\n  alertmanagers:\n  - static_configs:\n    - targets: [${targets}]\n${extra}`,
  );
}

/** An alert named `name` with extra labels as alternating names and values. */
export function alertNamed(name: string, ...flat: string[]): Alert {
  return {
    labels: Labels.fromStrings("alertname", name, ...flat),
    annotations: Labels.EMPTY,
    startsAt: new Date(Date.UTC(2026, 0, 1)),
    endsAt: null,
    generatorURL: "",
  };
}

/** Records log lines as `level msg` plus their attributes. */
export function recordingLogger(lines: string[]): Logger {
  const make = (): Logger => {
    const log =
      (level: string) =>
      (msg: string, attrs: Record<string, unknown> = {}) =>
        void lines.push(`${level} ${msg} ${JSON.stringify(attrs)}`);
    return { debug: () => {}, info: log("info"), warn: log("warn"), error: log("error"), with: () => make() };
  };
  return make();
}

/** A manager with a fresh registry and fast discovery, `config` applied, running once `expectAMs` are known. */
export async function startManager(
  config: Config,
  expectAMs: number,
  opts: Partial<NotifierOptions> = {},
): Promise<{ manager: NotifierManager; registry: Registry; running: Promise<void> }> {
  const registry = new PromRegistry();
  const manager = new NotifierManager({ registry, discoveryUpdateIntervalMs: 10, ...opts });
  await manager.applyConfig(config);
  const running = manager.run();
  await waitUntil(() => manager.alertmanagers().length === expectAMs, `${expectAMs} alertmanagers`);
  return { manager, registry, running };
}

/** The value of a counter or gauge series (0 when absent). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = values.find((v) =>
    Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want),
  );
  return found?.value ?? 0;
}
