/**
 * Scrape targets, upstream's `scrape/target.go`: a {@link Target} is one
 * endpoint of a scrape pool with its labels (after relabeling, `__` labels
 * included), its health and last-scrape report, and a view of the metadata it
 * exposes. `populateLabels` turns discovered labels into a target's labels as
 * upstream does, with upstream's error texts.
 */
import type { ScrapeConfig } from "../config/types.ts";
import type { LabelSet, TargetGroup } from "../discovery/discovery.ts";
import { Labels, LabelsBuilder } from "../model/labels/labels.ts";
import { goQuote } from "../model/labels/strings.ts";
import { isValidLabelValue } from "../model/labels/validate.ts";
import { formatDuration, parseDuration } from "../promql/parser/duration.ts";
import { processBuilder } from "../relabel/process.ts";
import type { MetricMetadata } from "./metadata.ts";

export const ADDRESS_LABEL = "__address__";
export const SCHEME_LABEL = "__scheme__";
export const METRICS_PATH_LABEL = "__metrics_path__";
export const SCRAPE_INTERVAL_LABEL = "__scrape_interval__";
export const SCRAPE_TIMEOUT_LABEL = "__scrape_timeout__";
export const PARAM_LABEL_PREFIX = "__param_";
export const META_LABEL_PREFIX = "__meta_";
export const RESERVED_LABEL_PREFIX = "__";
export const JOB_LABEL = "job";
export const INSTANCE_LABEL = "instance";

/** Upstream's `TargetHealth`. */
export type TargetHealth = "up" | "down" | "unknown";

/** Where a target's metadata comes from (its scrape loop's cache). */
export interface MetadataStore {
  getMetadata(metric: string): MetricMetadata | undefined;
  listMetadata(): MetricMetadata[];
  metadataLength(): number;
  metadataBytes(): number;
}

/**
 * One scrape endpoint. Read-only for everyone but its pool and loop, which
 * call `report` after each scrape and `setMetadataStore` when a loop starts.
 */
export class Target {
  readonly scrapePool: string;
  /** Scrape interval and timeout from the target's labels (the config's when unparsable). */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** An error from parsing the interval/timeout labels; the loop fails every scrape with it. */
  readonly labelError: Error | null;
  readonly #labels: Labels;
  #config: ScrapeConfig;
  #tLabels: LabelSet;
  #tgLabels: LabelSet;
  #health: TargetHealth = "unknown";
  #lastError: Error | null = null;
  #lastScrape: Date | null = null;
  #lastScrapeDuration = 0;
  #metadata: MetadataStore | null = null;
  #url: string | undefined;

  constructor(labels: Labels, config: ScrapeConfig, tLabels: LabelSet, tgLabels: LabelSet) {
    this.#labels = labels;
    this.#config = config;
    this.#tLabels = tLabels;
    this.#tgLabels = tgLabels;
    this.scrapePool = config.job_name;
    const it = intervalAndTimeout(labels, config.scrape_interval, config.scrape_timeout);
    this.intervalMs = it.intervalMs;
    this.timeoutMs = it.timeoutMs;
    this.labelError = it.error;
  }

  /** The public labels (no `__` prefix), as attached to the target's series. */
  labels(): Labels {
    const flat: string[] = [];
    this.#labels.forEach((name, value) => {
      if (!name.startsWith(RESERVED_LABEL_PREFIX)) flat.push(name, value);
    });
    return Labels.fromFlatSorted(flat);
  }

  /** Every label after relabeling, `__address__` and the other `__` labels included. */
  allLabels(): Labels {
    return this.#labels;
  }

  /** The labels before relabeling: discovered labels plus the scrape config's defaults. */
  discoveredLabels(): Labels {
    const lb = new LabelsBuilder();
    populateDiscoveredLabels(lb, this.#config, this.#tLabels, this.#tgLabels);
    return lb.labels();
  }

  /** The target's own labels as discovered. */
  get targetLabelSet(): LabelSet {
    return this.#tLabels;
  }

  /** The labels of the target's group as discovered. */
  get groupLabelSet(): LabelSet {
    return this.#tgLabels;
  }

  /** Keeps the newest discovered labels of a target that is already running (same identity). */
  setScrapeConfig(config: ScrapeConfig, tLabels: LabelSet, tgLabels: LabelSet): void {
    this.#config = config;
    this.#tLabels = tLabels;
    this.#tgLabels = tgLabels;
    this.#url = undefined;
  }

  /** The scrape URL as upstream prints it (`http://host:port/path?k=v`, query keys sorted). */
  scrapeUrl(): string {
    this.#url ??= formatScrapeUrl(this.#labels, this.#config.params);
    return this.#url;
  }

  /** The scrape URL, parsed. Throws when the address does not form a valid URL. */
  url(): URL {
    return new URL(this.scrapeUrl());
  }

  /** Identity within a pool: labels and URL, as upstream's `Target.hash`. */
  key(): string {
    return `${this.#labels.toString()}\xff${this.scrapeUrl()}`;
  }

  /**
   * Milliseconds from `nowMs` until this target's next scrape slot: targets
   * are spread over the interval by a hash of their identity XOR `seed`, and
   * the slot is pinned to absolute time, so it survives restarts.
   */
  offset(intervalMs: number, seed: number, nowMs: number): number {
    const base = intervalMs - (nowMs % intervalMs);
    const off = xor53(hash53(this.key()), seed) % intervalMs;
    const next = base + off;
    return next > intervalMs ? next - intervalMs : next;
  }

  health(): TargetHealth {
    return this.#health;
  }

  /** The last scrape's error message, "" when it succeeded. */
  lastError(): string {
    return this.#lastError === null ? "" : this.#lastError.message;
  }

  lastScrape(): Date | null {
    return this.#lastScrape;
  }

  /** Duration of the last scrape in seconds. */
  lastScrapeDuration(): number {
    return this.#lastScrapeDuration;
  }

  /** Records a scrape's outcome (upstream's `Target.Report`). */
  report(start: Date, durationSeconds: number, err: Error | null): void {
    this.#health = err === null ? "up" : "down";
    this.#lastError = err;
    this.#lastScrape = start;
    this.#lastScrapeDuration = durationSeconds;
  }

  setMetadataStore(store: MetadataStore): void {
    this.#metadata = store;
  }

  /** Metadata of every metric family the target exposed recently. */
  metadata(): Iterable<MetricMetadata> {
    return this.#metadata === null ? [] : this.#metadata.listMetadata();
  }

  getMetadata(metric: string): MetricMetadata | undefined {
    return this.#metadata?.getMetadata(metric);
  }

  metadataLength(): number {
    return this.#metadata?.metadataLength() ?? 0;
  }

  metadataBytes(): number {
    return this.#metadata?.metadataBytes() ?? 0;
  }
}

function intervalAndTimeout(
  labels: Labels,
  defInterval: number,
  defTimeout: number,
): { intervalMs: number; timeoutMs: number; error: Error | null } {
  const il = labels.get(SCRAPE_INTERVAL_LABEL);
  const tl = labels.get(SCRAPE_TIMEOUT_LABEL);
  try {
    const intervalMs = parseDuration(il);
    try {
      return { intervalMs, timeoutMs: parseDuration(tl), error: null };
    } catch (e) {
      const error = new Error(`error parsing timeout label ${goQuote(tl)}: ${(e as Error).message}`);
      return { intervalMs: defInterval, timeoutMs: defTimeout, error };
    }
  } catch (e) {
    const error = new Error(`error parsing interval label ${goQuote(il)}: ${(e as Error).message}`);
    return { intervalMs: defInterval, timeoutMs: defTimeout, error };
  }
}

/**
 * Upstream's `PopulateDiscoveredLabels`: resets `lb` to the target's labels,
 * then the group's labels it lacks, then the config's defaults for `job`,
 * `__scrape_interval__`, `__scrape_timeout__`, `__metrics_path__`,
 * `__scheme__` and each `__param_<name>` (first value) not already set.
 */
export function populateDiscoveredLabels(
  lb: LabelsBuilder,
  cfg: ScrapeConfig,
  tLabels: LabelSet,
  tgLabels: LabelSet,
): void {
  lb.reset();
  for (const name in tLabels) lb.set(name, tLabels[name]);
  for (const name in tgLabels) if (!Object.hasOwn(tLabels, name)) lb.set(name, tgLabels[name]);
  const defaults: [string, string][] = [
    [JOB_LABEL, cfg.job_name],
    [SCRAPE_INTERVAL_LABEL, formatDuration(cfg.scrape_interval)],
    [SCRAPE_TIMEOUT_LABEL, formatDuration(cfg.scrape_timeout)],
    [METRICS_PATH_LABEL, cfg.metrics_path],
    [SCHEME_LABEL, cfg.scheme],
  ];
  for (const [name, value] of defaults) if (lb.get(name) === "") lb.set(name, value);
  for (const key in cfg.params) {
    const values = cfg.params[key];
    const name = PARAM_LABEL_PREFIX + key;
    if (values.length > 0 && lb.get(name) === "") lb.set(name, values[0]);
  }
}

/**
 * Upstream's `PopulateLabels`: discovered labels, relabeled with the config's
 * `relabel_configs`, checked (address, interval, timeout, label values), with
 * `__meta_*` labels removed and `instance` defaulted to `__address__`.
 * Returns `Labels.EMPTY` when relabeling dropped the target; throws an Error
 * with upstream's message when the target is invalid.
 */
export function populateLabels(
  lb: LabelsBuilder,
  cfg: ScrapeConfig,
  tLabels: LabelSet,
  tgLabels: LabelSet,
): Labels {
  populateDiscoveredLabels(lb, cfg, tLabels, tgLabels);
  if (!processBuilder(lb, cfg.relabel_configs)) return Labels.EMPTY;
  const addr = lb.get(ADDRESS_LABEL);
  if (addr === "") throw new Error("no address");
  if (addr.includes("/")) throw new Error(`${goQuote(addr)} is not a valid hostname`);
  const interval = checkDuration(lb.get(SCRAPE_INTERVAL_LABEL), "interval");
  const timeout = checkDuration(lb.get(SCRAPE_TIMEOUT_LABEL), "timeout");
  if (timeout.ms > interval.ms) {
    throw new Error(
      `scrape timeout cannot be greater than scrape interval (${goQuote(timeout.text)} > ${goQuote(interval.text)})`,
    );
  }
  lb.forEach((name) => {
    if (name.startsWith(META_LABEL_PREFIX)) lb.del(name);
  });
  if (lb.get(INSTANCE_LABEL) === "") lb.set(INSTANCE_LABEL, addr);
  const res = lb.labels();
  res.forEach((name, value) => {
    if (!isValidLabelValue(value)) {
      throw new Error(`invalid label value for ${goQuote(name)}: ${goQuote(value)}`);
    }
  });
  return res;
}

function checkDuration(text: string, what: "interval" | "timeout"): { ms: number; text: string } {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (e) {
    throw new Error(`error parsing scrape ${what}: ${(e as Error).message}`);
  }
  if (ms === 0) throw new Error(`scrape ${what} cannot be 0`);
  return { ms, text };
}

/** The outcome of {@link targetsFromGroup}. */
export interface GroupTargets {
  /** Active targets, and dropped ones (whose `labels()` is empty). */
  readonly targets: Target[];
  /** One error per invalid target, prefixed `instance <i> in group <source>: `. */
  readonly failures: Error[];
}

/** Upstream's `TargetsFromGroup`. */
export function targetsFromGroup(tg: TargetGroup, cfg: ScrapeConfig, lb: LabelsBuilder): GroupTargets {
  const targets: Target[] = [];
  const failures: Error[] = [];
  tg.targets.forEach((tLabels, i) => {
    try {
      const lset = populateLabels(lb, cfg, tLabels, tg.labels);
      targets.push(new Target(lset, cfg, tLabels, tg.labels));
    } catch (e) {
      failures.push(new Error(`instance ${i} in group ${tg.source}: ${(e as Error).message}`, { cause: e }));
    }
  });
  return { targets, failures };
}

/** Go's `url.URL{Scheme, Host, Path, RawQuery}.String()` for a target. */
function formatScrapeUrl(labels: Labels, params: Readonly<Record<string, readonly string[]>>): string {
  const query = new Map<string, string[]>();
  for (const key in params) query.set(key, [...params[key]]);
  labels.forEach((name, value) => {
    if (!name.startsWith(PARAM_LABEL_PREFIX)) return;
    const key = name.slice(PARAM_LABEL_PREFIX.length);
    const values = query.get(key);
    if (values !== undefined && values.length > 0) values[0] = value;
    else query.set(key, [value]);
  });
  let path = escapePath(labels.get(METRICS_PATH_LABEL));
  const host = labels.get(ADDRESS_LABEL);
  if (path !== "" && !path.startsWith("/") && host !== "") path = `/${path}`;
  let out = `${labels.get(SCHEME_LABEL)}://${host}${path}`;
  const keys = [...query.keys()].sort();
  const parts: string[] = [];
  for (const k of keys) for (const v of query.get(k)!) parts.push(`${queryEscape(k)}=${queryEscape(v)}`);
  if (parts.length > 0) out += `?${parts.join("&")}`;
  return out;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
const PATH_ALLOWED = /[A-Za-z0-9\-_.~$&+,/:;=@!'()*]/;

/** Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest `%XX`. */
export function queryEscape(s: string): string {
  return escapeWith(s, UNRESERVED, true);
}

function escapePath(s: string): string {
  return escapeWith(s, PATH_ALLOWED, false);
}

function escapeWith(s: string, allowed: RegExp, plusForSpace: boolean): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    if (byte < 0x80 && allowed.test(c)) out += c;
    else if (byte === 0x20 && plusForSpace) out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** A 53-bit FNV-1a-style hash of a string's UTF-16 code units (two 32-bit lanes). */
function hash53(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h2 & 0x1fffff) * 0x100000000 + (h1 >>> 0);
}

/** XOR of two non-negative integers below 2^53. */
function xor53(a: number, b: number): number {
  const hi = (Math.floor(a / 0x100000000) ^ Math.floor(b / 0x100000000)) & 0x1fffff;
  const lo = ((a >>> 0) ^ (b >>> 0)) >>> 0;
  return hi * 0x100000000 + lo;
}
