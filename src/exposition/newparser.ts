import { OpenMetricsParser } from "./openmetricsparse.ts";
import type { Parser, ParserLimits } from "./parser.ts";
import { PromParser } from "./promparse.ts";
import type { Format } from "./types.ts";

/** Options for `newParser`. */
export interface NewParserOptions extends ParserLimits {
  /**
   * For the classic text format: also apply the syntax rules of the reference
   * Go parser (`expfmt`) that the Prometheus scraper relaxes.
   */
  readonly expfmt?: boolean;
  /** For OpenMetrics: follow the specification's grammar where Prometheus is lenient. */
  readonly strict?: boolean;
  /**
   * Rewrite the `le` label of histograms and the `quantile` label of summaries
   * in OpenMetrics float form (`1` → `1.0`), as Prometheus 3 stores them.
   * Default true; strict validation turns it off to see the spelling as written.
   */
  readonly normalizeFloatLabels?: boolean;
}

/** A parser for `body` in the given format. */
export function newParser(body: Uint8Array, format: Format, opts: NewParserOptions = {}): Parser {
  return format === "openmetrics" ? new OpenMetricsParser(body, opts) : new PromParser(body, opts);
}
