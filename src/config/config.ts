/**
 * Loading `prometheus.yml`, upstream's `config.LoadFile`: strict decoding with
 * upstream's defaults, global values inherited by scrape configs, the checks
 * of `Config.UnmarshalYAML`, `scrape_config_files` merged, relative paths
 * joined with the file's directory; and {@link configToYAML}, which marshals
 * a loaded config as Prometheus does for `/api/v1/status/config`.
 */
import { dirname, resolve } from "node:path";
import { goQuote } from "../model/labels/strings.ts";
import { alertingConfigSchema } from "./alerting.ts";
import {
  emitYAML,
  type Fields,
  joinDir,
  list,
  object,
  type Schema,
  type Site,
  siteOf,
  str,
} from "./decode.ts";
import { readConfigFile } from "./file.ts";
import { DEFAULT_SCRAPE_PROTOCOLS, globalConfigSchema, PROTO_FIRST_SCRAPE_PROTOCOLS } from "./global.ts";
import { duplicateRemoteName, remoteReadSchema, remoteWriteSchema } from "./remote.ts";
import { ConfigError } from "./schema.ts";
import { applyGlobal, scrapeConfigsSchema } from "./scrape.ts";
import { loadScrapeConfigFiles } from "./scrape_files.ts";
import { listItemNode } from "./sd.ts";
import { otlpSchema, runtimeSchema, storageSchema, tracingSchema } from "./sections.ts";
import type { Config, ScrapeConfig } from "./types.ts";
import { parseYAML } from "./yaml_doc.ts";

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  /**
   * Default `scrape_protocols` to protobuf first, as upstream does with
   * `--enable-feature=native-histograms` (only where the file sets none).
   */
  readonly protoFirstScrapeProtocols?: boolean;
}

/** A loaded config with the notes to log and the text it came from. */
export interface LoadedConfig {
  readonly config: Config;
  /** Non-fatal notes (ignored sections, empty environment variables), to log as warnings. */
  readonly warnings: string[];
  readonly text: string;
}

/** Upstream's `patRulePath`: `*` only in the last path element. */
const RULE_PATH = /^[^*]*(\*[^/]*)?$/;

const TRACING_WARNING = "the tracing section is accepted but ignored: Vigil does not export traces";
const OTLP_WARNING = "the otlp section is accepted but ignored: Vigil has no OTLP receiver";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const fields = {
  global: { schema: globalConfigSchema, omit: "never" },
  runtime: { schema: runtimeSchema },
  alerting: { schema: alertingConfigSchema },
  rule_files: { schema: list(str) },
  scrape_config_files: { schema: list(str) },
  scrape_configs: { schema: scrapeConfigsSchema },
  storage: { schema: storageSchema },
  tracing: { schema: tracingSchema, omit: "nil", default: undefined },
  remote_write: { schema: remoteWriteSchema },
  remote_read: { schema: remoteReadSchema },
  otlp: { schema: otlpSchema },
} as const;

function checkPaths(paths: readonly string[], key: string, what: string, site: Site): string[] {
  return paths.map((p, i) => {
    if (!RULE_PATH.test(p)) {
      const reason = `invalid ${what} path ${goQuote(p)}`;
      throw new ConfigError(site.ctx.file, ...position(site, key, i), `${key}[${i}]`, reason);
    }
    return joinDir(site.ctx.dir, p);
  });
}

function position(site: Site, key: string, i: number): [number, number] {
  const node = listItemNode(site, key, i);
  if (node === null) return [0, 0];
  const pos = site.ctx.position(node);
  return [pos.line, pos.column];
}

/** Upstream's `Config.UnmarshalYAML` checks after decoding. */
function finish(draft: Record<string, unknown>, site: Site): Config {
  const c = draft as unknown as Mutable<Config>;
  c.rule_files = checkPaths(c.rule_files, "rule_files", "rule file", site);
  c.scrape_config_files = checkPaths(
    c.scrape_config_files,
    "scrape_config_files",
    "scrape config file",
    site,
  );
  const jobs = new Set<string>();
  for (const sc of c.scrape_configs) {
    applyGlobal(sc, c.global);
    if (jobs.has(sc.job_name))
      throw errorIn(sc, `found multiple scrape configs with job name ${goQuote(sc.job_name)}`);
    jobs.add(sc.job_name);
  }
  for (const [kind, list] of [
    ["write", c.remote_write],
    ["read", c.remote_read],
  ] as const) {
    const dup = duplicateRemoteName(list, kind);
    if (dup !== undefined) {
      const node = listItemNode(site, `remote_${kind}`, dup.index);
      const pos = node === null ? { line: 0, column: 0 } : site.ctx.position(node);
      throw new ConfigError(
        site.ctx.file,
        pos.line,
        pos.column,
        `remote_${kind}[${dup.index}].name`,
        dup.reason,
      );
    }
  }
  const strategy = c.otlp.translation_strategy as string;
  if (
    (strategy === "NoUTF8EscapingWithSuffixes" || strategy === "NoTranslation") &&
    c.global.metric_name_validation_scheme === "legacy"
  ) {
    throw site.error(
      `OTLP translation strategy ${goQuote(strategy)} is not allowed when UTF8 is disabled`,
      "otlp",
    );
  }
  if (site.has("tracing")) site.ctx.warnings.push(TRACING_WARNING);
  if (site.has("otlp")) site.ctx.warnings.push(OTLP_WARNING);
  c.dir = resolve(site.ctx.dir);
  return c;
}

function errorIn(sc: ScrapeConfig, reason: string): Error {
  return siteOf(sc)?.error(reason, "job_name") ?? new Error(reason);
}

/** The whole `prometheus.yml` (unknown keys fail with `field foo not found in type config.Config`). */
export const configSchema: Schema<Config> = object<Config>("config.Config", fields as Fields<Config>, {
  finish,
});

/** Scrape configs that came from `scrape_config_files` (upstream does not marshal them). */
const fromFiles = new WeakSet<ScrapeConfig>();

/**
 * Loads a config from `text`. `file` names it in errors; `dir` is its directory as
 * upstream uses it (joined with relative paths; may be relative to the working
 * directory). `scrape_config_files` are read synchronously. Throws {@link ConfigError}.
 */
export function loadConfig(text: string, file: string, dir: string, options: LoadOptions = {}): LoadedConfig {
  const { root, ctx } = parseYAML(text, file, dir);
  const config = configSchema.decode(root, ctx, "") as Mutable<Config>;
  if (options.protoFirstScrapeProtocols === true) useProtoFirst(config);
  const extra = loadScrapeConfigFiles(config, ctx.warnings);
  for (const sc of extra) fromFiles.add(sc);
  if (extra.length > 0) config.scrape_configs = [...config.scrape_configs, ...extra];
  return { config, warnings: ctx.warnings, text };
}

/** Replaces the default scrape protocols (the shared default array, never a written list). */
function useProtoFirst(config: Config): void {
  if (config.global.scrape_protocols !== DEFAULT_SCRAPE_PROTOCOLS) return;
  (config.global as Mutable<Config["global"]>).scrape_protocols = PROTO_FIRST_SCRAPE_PROTOCOLS;
  for (const sc of config.scrape_configs) {
    if (sc.scrape_protocols === DEFAULT_SCRAPE_PROTOCOLS)
      (sc as Mutable<ScrapeConfig>).scrape_protocols = PROTO_FIRST_SCRAPE_PROTOCOLS;
  }
}

/** Reads and loads `path` (its directory as given, like upstream's `filepath.Dir`). */
export async function loadConfigFile(path: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const text = await readConfigFile(path);
  return loadConfig(text, path, dirname(path), options);
}

/** The config as YAML, byte for byte what Prometheus 3.5 serves at `/api/v1/status/config`. */
export function configToYAML(config: Config): string {
  const own = config.scrape_configs.filter((sc) => !fromFiles.has(sc));
  return emitYAML(configSchema.encode({ ...config, scrape_configs: own }));
}
