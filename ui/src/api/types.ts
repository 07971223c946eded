/**
 * The Prometheus HTTP API v1 wire types the UI reads, as discriminated
 * unions on `status` and `resultType`.
 */

/** A label set. */
export type Labels = Readonly<Record<string, string>>;

/** `[unix seconds, "value"]`. */
export type SamplePair = readonly [number, string];

/** The API envelope. */
export type ApiResponse<T> =
  | { readonly status: "success"; readonly data: T; readonly warnings?: readonly string[] }
  | { readonly status: "error"; readonly errorType: string; readonly error: string };

/** One series of an instant vector. */
export interface VectorSample {
  readonly metric: Labels;
  readonly value: SamplePair;
}

/** One series of a range vector. */
export interface MatrixSeries {
  readonly metric: Labels;
  readonly values: readonly SamplePair[];
}

/** `query` and `query_range` results. */
export type QueryResult =
  | { readonly resultType: "vector"; readonly result: readonly VectorSample[] }
  | { readonly resultType: "matrix"; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: "scalar"; readonly result: SamplePair }
  | { readonly resultType: "string"; readonly result: SamplePair };

/** `stats=all`: the engine's timings (seconds) and sample counts. */
export interface QueryStats {
  readonly timings?: { readonly evalTotalTime?: number; readonly execTotalTime?: number };
  readonly samples?: { readonly totalQueryableSamples?: number; readonly peakSamples?: number };
}

/** The data of `query` and `query_range`. */
export type QueryData = QueryResult & { readonly stats?: QueryStats };

/** A single alert of an alerting rule. */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: "pending" | "firing" | "inactive";
  readonly activeAt?: string;
  readonly value: string;
}

interface RuleCommon {
  readonly name: string;
  readonly query: string;
  readonly labels?: Labels;
  readonly health: "ok" | "err" | "unknown";
  readonly lastError?: string;
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

/** An alerting rule with its alerts. */
export interface AlertingRule extends RuleCommon {
  readonly type: "alerting";
  readonly state: "inactive" | "pending" | "firing";
  readonly duration: number;
  readonly keepFiringFor?: number;
  readonly annotations: Labels;
  readonly alerts: readonly Alert[];
}

/** A recording rule. */
export interface RecordingRule extends RuleCommon {
  readonly type: "recording";
}

/** A rule of either type. */
export type Rule = AlertingRule | RecordingRule;

/** A rule group (`/api/v1/rules`). */
export interface RuleGroup {
  readonly name: string;
  readonly file: string;
  readonly interval: number;
  readonly rules: readonly Rule[];
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

/** An active target (`/api/v1/targets`). */
export interface ActiveTarget {
  readonly discoveredLabels: Labels;
  readonly labels: Labels;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly globalUrl: string;
  readonly lastError: string;
  readonly lastScrape: string;
  readonly lastScrapeDuration: number;
  readonly health: "up" | "down" | "unknown";
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
}

/** A target relabeling dropped. */
export interface DroppedTarget {
  readonly discoveredLabels: Labels;
  readonly scrapePool?: string;
}

/** The data of `/api/v1/targets`. */
export interface TargetsData {
  readonly activeTargets: readonly ActiveTarget[];
  readonly droppedTargets: readonly DroppedTarget[];
  readonly droppedTargetCounts?: Readonly<Record<string, number>>;
}

/** `{name, value}` rows of the TSDB status. */
export interface TsdbStat {
  readonly name: string;
  readonly value: number;
}

/** The data of `/api/v1/status/tsdb`. */
export interface TsdbStatus {
  readonly headStats: {
    readonly numSeries: number;
    readonly numLabelPairs: number;
    readonly chunkCount: number;
    readonly minTime: number;
    readonly maxTime: number;
  };
  readonly seriesCountByMetricName: readonly TsdbStat[] | null;
  readonly labelValueCountByLabelName: readonly TsdbStat[] | null;
  readonly memoryInBytesByLabelName: readonly TsdbStat[] | null;
  readonly seriesCountByLabelValuePair: readonly TsdbStat[] | null;
}
