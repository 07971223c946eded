/**
 * Loading `alertmanager.yml` (upstream's `config.Load` / `LoadFile`):
 * strict decoding with upstream's defaults and checks, receivers completed
 * from `global`, the routing tree and time interval names checked, template
 * globs joined with the file's directory; and {@link alertmanagerConfigToYAML},
 * the config as upstream marshals it (`/api/v2/status` `config.original`),
 * secrets printed as `<secret>`. Every error is a `ConfigError` naming file,
 * line, column and field, with upstream's reason.
 */
import { dirname } from "node:path";
import {
  ConfigError,
  type Fields,
  joinDir,
  list,
  object,
  parseYAML,
  type Schema,
  type Site,
  siteOf,
  str,
} from "../../config/decode.ts";
import { readConfigFile } from "../../config/file.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { defaultGlobalConfig, globalConfigSchema } from "./global.ts";
import { inheritGlobals } from "./inherit.ts";
import { inhibitRuleSchema } from "./inhibit.ts";
import { receiverSchema } from "./receivers/receiver.ts";
import { routeConfigSchema } from "./route.ts";
import { eventRecorderSchema, tracingSchema } from "./sections.ts";
import { muteTimeIntervalsSchema, timeIntervalsSchema } from "./timeintervals.ts";
import type { AlertmanagerConfig, RouteConfig } from "./types.ts";
import { emitYAMLWithFlow } from "./yaml_flow.ts";

/** A loaded config with the text it came from and non-fatal notes. */
export interface LoadedAlertmanagerConfig {
  readonly config: AlertmanagerConfig;
  /** The file's text as read (upstream keeps it as `original`). */
  readonly original: string;
  /** Non-fatal notes (matchers parsed by the classic parser as a fallback, …), to log as warnings. */
  readonly warnings: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const fields = {
  global: { schema: globalConfigSchema, omit: "nil", default: () => defaultGlobalConfig() },
  route: { schema: routeConfigSchema, omit: "nil", default: undefined },
  inhibit_rules: { schema: list(inhibitRuleSchema) },
  receivers: { schema: list(receiverSchema) },
  templates: { schema: list(str), omit: "never" },
  mute_time_intervals: { schema: list(muteTimeIntervalsSchema) },
  time_intervals: { schema: list(timeIntervalsSchema) },
  tracing: { schema: tracingSchema, omit: "nil", default: undefined },
  event_recorder: { schema: eventRecorderSchema, omit: "nil", default: undefined },
} as const;

function errorAt(value: object, reason: string, key?: string): Error {
  return siteOf(value)?.error(reason, key) ?? new Error(reason);
}

/** Upstream's `checkReceiver`: children first, depth-first. */
function checkReceivers(r: RouteConfig, names: ReadonlySet<string>): void {
  for (const child of r.routes) checkReceivers(child, names);
  if (r.receiver !== "" && !names.has(r.receiver)) {
    throw errorAt(r, `undefined receiver ${goQuote(r.receiver)} used in route`, "receiver");
  }
}

/** Upstream's `checkTimeInterval`: children first, then active, then mute intervals. */
function checkTimeIntervals(r: RouteConfig, names: ReadonlySet<string>): void {
  for (const child of r.routes) checkTimeIntervals(child, names);
  for (const key of ["active_time_intervals", "mute_time_intervals"] as const) {
    for (const ti of r[key]) {
      if (!names.has(ti)) throw errorAt(r, `undefined time interval ${goQuote(ti)} used in route`, key);
    }
  }
}

function checkRoot(route: RouteConfig | undefined, site: Site): RouteConfig {
  if (route === undefined) throw site.error("no routes provided", "route");
  const at = (reason: string, key?: string): Error => errorAt(route, reason, key);
  if (route.receiver === "") throw at("root route must specify a default receiver", "receiver");
  if (
    Object.keys(route.match).length > 0 ||
    Object.keys(route.match_re).length > 0 ||
    route.matchers.length > 0
  ) {
    throw at("root route must not have any matchers");
  }
  if (route.mute_time_intervals.length > 0) throw at("root route must not have any mute time intervals");
  if (route.active_time_intervals.length > 0) throw at("root route must not have any active time intervals");
  return route;
}

function intervalNames(c: AlertmanagerConfig): Set<string> {
  const names = new Set<string>();
  for (const [list, what] of [
    [c.mute_time_intervals, "mute time interval"],
    [c.time_intervals, "time interval"],
  ] as const) {
    for (const ti of list) {
      if (names.has(ti.name)) throw errorAt(ti, `${what} ${goQuote(ti.name)} is not unique`, "name");
      names.add(ti.name);
    }
  }
  return names;
}

/** Upstream's `Config.UnmarshalYAML` after decoding, plus `Load`'s root `continue` check. */
function finish(draft: Record<string, unknown>, site: Site): AlertmanagerConfig {
  const c = draft as unknown as Mutable<AlertmanagerConfig>;
  c.global ??= defaultGlobalConfig();
  inheritGlobals(c.receivers, c.global);
  const route = checkRoot(c.route, site);
  checkReceivers(route, new Set(c.receivers.map((r) => r.name)));
  checkTimeIntervals(route, intervalNames(c));
  if (route.continue) throw errorAt(route, "cannot have continue in root route", "continue");
  c.templates = c.templates.map((t) => joinDir(site.ctx.dir, t));
  return c;
}

/** The whole `alertmanager.yml` (unknown keys fail with `field foo not found in type config.plain`). */
export const alertmanagerConfigSchema: Schema<AlertmanagerConfig> = object<AlertmanagerConfig>(
  "config.plain",
  fields as Fields<AlertmanagerConfig>,
  { finish },
);

/**
 * Parses `text` (from `file`, whose directory relative template paths and
 * `*_file` paths join with). Throws `ConfigError`; an empty document fails
 * with upstream's `no route provided in config`.
 */
export function parseAlertmanagerConfig(text: string, file: string): LoadedAlertmanagerConfig {
  const { root, ctx } = parseYAML(text, file, dirname(file));
  if (root === null) throw new ConfigError(file, 0, 0, "", "no route provided in config");
  const config = alertmanagerConfigSchema.decode(root, ctx, "");
  return { config, original: text, warnings: ctx.warnings };
}

/** Reads and parses `path`; a missing file fails with Go's `open <path>: no such file or directory`. */
export async function loadAlertmanagerConfigFile(path: string): Promise<LoadedAlertmanagerConfig> {
  const text = await readConfigFile(path);
  return parseAlertmanagerConfig(text, path);
}

/**
 * The config as upstream's `Config.String()` prints it — what
 * `/api/v2/status` returns as `config.original`: defaults filled in,
 * secrets as `<secret>`, keys in upstream's order.
 */
export function alertmanagerConfigToYAML(config: AlertmanagerConfig): string {
  return emitYAMLWithFlow(alertmanagerConfigSchema.encode(config));
}
