/**
 * What the HTTP API needs from the rest of the server, as small interfaces
 * (upstream's `TargetRetriever`, `RulesRetriever`, `AlertmanagerRetriever`,
 * `TSDBAdminStats`, …). Data interfaces carry the API's own shapes so the
 * handlers only encode them; `vigil server` adapts its components to them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Labels } from "../../../model/labels/labels.ts";
import type { Matcher } from "../../../model/labels/matcher.ts";
import type { Engine } from "../../../promql/engine.ts";
import type { Queryable } from "../../../storage/interface.ts";
import type { WALReplayStatus } from "../../../tsdb/db.ts";
import type { TSDBStatus } from "../../../tsdb/stats.ts";
import type { BuildInfo } from "../../../version/info.ts";

/** The engine calls the API makes; `Engine` satisfies it. */
export type QueryEngine = Pick<Engine, "instantQuery" | "rangeQuery" | "parse"> & {
  /** `timeoutMs` caps the `timeout` parameter. */
  readonly opts: { readonly timeoutMs: number };
};

/** Metadata of one metric family as a target exposed it (`type` is upstream's: counter, gauge, …, unknown). */
export interface MetricMetadata {
  readonly metric: string;
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** Target health as upstream names it. */
export type TargetHealth = "up" | "down" | "unknown";

/** One active target, in `/api/v1/targets` terms. */
export interface ActiveTarget {
  /** Labels before relabelling. */
  readonly discoveredLabels: Labels;
  /** Labels after relabelling (without `__`-prefixed ones). */
  readonly labels: Labels;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  /** The scrape URL as reachable from outside (see `globalURL` in targets.ts). */
  readonly globalUrl: string;
  /** "" when the last scrape succeeded. */
  readonly lastError: string;
  /** Start of the last scrape; null before the first. */
  readonly lastScrape: Date | null;
  /** Seconds. */
  readonly lastScrapeDuration: number;
  readonly health: TargetHealth;
  /** As configured, e.g. `15s`. */
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
  /** Metadata of the target's metric families, in any order. */
  metadata(): Iterable<MetricMetadata>;
  /** Metadata of one metric family, undefined when the target did not expose it. */
  getMetadata(metric: string): MetricMetadata | undefined;
}

/** A target relabelling dropped. */
export interface DroppedTarget {
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
}

/** upstream's `TargetRetriever`: the scrape manager's view, by scrape pool name. */
export interface TargetsSource {
  active(): ReadonlyMap<string, readonly ActiveTarget[]>;
  dropped(): ReadonlyMap<string, readonly DroppedTarget[]>;
  /** Dropped targets per pool, counted even when `keep_dropped_targets` keeps none. */
  droppedCounts(): ReadonlyMap<string, number>;
  /** Every scrape pool (job) name. */
  scrapePools(): readonly string[];
}

/** An alert of an alerting rule (pending or firing). */
export interface AlertInfo {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: "pending" | "firing" | "inactive";
  readonly activeAt: Date | null;
  readonly keepFiringSince?: Date | null;
  readonly value: number;
}

/** Rule health as upstream names it. */
export type RuleHealth = "ok" | "err" | "unknown";

interface RuleCommon {
  readonly name: string;
  /** The expression as upstream prints it. */
  readonly query: string;
  readonly labels: Labels;
  readonly health: RuleHealth;
  /** "" when the last evaluation succeeded. */
  readonly lastError: string;
  /** Seconds. */
  readonly evaluationTime: number;
  readonly lastEvaluation: Date | null;
}

/** An alerting rule, as `/api/v1/rules` shows it. */
export interface AlertingRuleInfo extends RuleCommon {
  readonly type: "alerting";
  readonly state: "pending" | "firing" | "inactive";
  /** `for`, seconds. */
  readonly duration: number;
  /** `keep_firing_for`, seconds. */
  readonly keepFiringFor: number;
  readonly annotations: Labels;
  readonly alerts: readonly AlertInfo[];
}

/** A recording rule, as `/api/v1/rules` shows it. */
export interface RecordingRuleInfo extends RuleCommon {
  readonly type: "recording";
}

/** A rule of either kind, discriminated on `type`. */
export type RuleInfo = AlertingRuleInfo | RecordingRuleInfo;

/** A rule group with its rules in evaluation order. */
export interface RuleGroupInfo {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly RuleInfo[];
  /** Seconds. */
  readonly interval: number;
  readonly limit: number;
  /** Seconds. */
  readonly evaluationTime: number;
  readonly lastEvaluation: Date | null;
}

/** upstream's `RulesRetriever`; empty until the rules manager exists. */
export interface RulesSource {
  ruleGroups(): readonly RuleGroupInfo[];
}

/** Alertmanager URLs in use (`…/api/v2/alerts`) and dropped by relabelling. */
export interface AlertmanagersSource {
  active(): readonly string[];
  dropped(): readonly string[];
}

/** `/api/v1/status/runtimeinfo` without `hostname`/`serverTime` (the API adds them). */
export interface RuntimeInfo {
  readonly startTime: Date;
  readonly CWD: string;
  readonly reloadConfigSuccess: boolean;
  readonly lastConfigTime: Date;
  readonly corruptionCount: number;
  /** Upstream counts goroutines; Vigil reports its best analogue (e.g. active handles). */
  readonly goroutineCount: number;
  readonly GOMAXPROCS: number;
  readonly GOMEMLIMIT: number;
  readonly GOGC: string;
  readonly GODEBUG: string;
  readonly storageRetention: string;
}

/** upstream's `TSDBAdminStats`; `DB` satisfies it. */
export interface TSDBAdminStats {
  /** The data directory; snapshots go to `<dir>/snapshots/<name>`. */
  readonly dir: string;
  stats(limit: number): TSDBStatus;
  walReplayStatus(): WALReplayStatus;
  delete(mint: number, maxt: number, ...matchers: Matcher[]): void | Promise<void>;
  cleanTombstones(): void | Promise<void>;
  snapshot(dir: string, withHead: boolean): void | Promise<void>;
}

/** A plain node:http handler, for endpoints served by other components (remote write). */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Everything `/api/v1` serves from. */
export interface ApiDeps {
  readonly queryable: Queryable;
  readonly engine: QueryEngine;
  readonly targets: TargetsSource;
  readonly rules: RulesSource;
  readonly alertmanagers: AlertmanagersSource;
  readonly tsdb: TSDBAdminStats;
  /** The loaded configuration as YAML, defaults filled in. */
  config(): string;
  /** Every command-line flag and its value, as strings. */
  flags(): Readonly<Record<string, string>>;
  runtimeInfo(): RuntimeInfo;
  readonly buildInfo: BuildInfo;
  /** True once storage is open and the first config applied (else 503). */
  ready(): boolean;
  /** `--web.enable-admin-api`. */
  readonly enableAdminApi: boolean;
  /** The remote write receiver; absent: `/api/v1/write` answers upstream's 404. */
  readonly remoteWriteHandler?: RawHandler;
  /** The remote read server; absent: `/api/v1/read` answers 404. */
  readonly remoteReadHandler?: RawHandler;
  /** Clock, ms since the epoch (tests pin it). Default `Date.now`. */
  now?(): number;
}
