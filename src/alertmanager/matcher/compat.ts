/**
 * Upstream's `matcher/compat`: which matchers parser Alertmanager and amtool
 * use, chosen by `--enable-feature`. The default is the fallback mode: parse
 * with both parsers, keep the classic result when the classic parser accepts
 * the input (warning when the UTF-8 parser refuses it or reads it
 * differently), else the UTF-8 result, else the classic parser's error.
 * `utf8-strict-mode` uses only the UTF-8 parser, `classic-mode` only the
 * classic one. Like upstream, the mode is process-wide ({@link initMatcherParsing}).
 */
import { type LogAttrs, type Logger, nopLogger } from "../../log/log.ts";
import { isValidLegacyLabelName } from "../../model/labels/validate.ts";
import { parseMatcherClassic, parseMatchersClassic } from "./classic.ts";
import { type Matcher, matchersEqual } from "./matcher.ts";
import { MatcherParseError, parseMatchersUTF8, parseMatcherUTF8 } from "./parse.ts";

/** The parser modes upstream's feature flags select. */
export type MatcherParserMode = "fallback" | "utf8-strict" | "classic";

/** Options of one parse call; unset fields use the process-wide setting. */
export interface CompatOptions {
  readonly mode?: MatcherParserMode;
  readonly logger?: Logger;
}

let current: { mode: MatcherParserMode; logger: Logger } = { mode: "fallback", logger: nopLogger };

const INCOMPATIBLE =
  "Alertmanager is moving to a new parser for labels and matchers, and this input is incompatible. Alertmanager has instead parsed the input using the classic matchers parser as a fallback. To make this input compatible with the UTF-8 matchers parser please make sure all regular expressions and values are double-quoted. If you are still seeing this message please open an issue.";
const DISAGREEMENT = "Matchers input has disagreement";

/** The mode `--enable-feature` values select (`classic-mode`, `utf8-strict-mode`, else fallback). */
export function modeFromFeatures(features: readonly string[]): MatcherParserMode {
  if (features.includes("classic-mode")) return "classic";
  if (features.includes("utf8-strict-mode")) return "utf8-strict";
  return "fallback";
}

/** Upstream's `compat.InitFromFlags`: sets the process-wide mode and the logger for fallback warnings. */
export function initMatcherParsing(mode: MatcherParserMode, logger: Logger = nopLogger): void {
  current = { mode, logger };
}

/** The process-wide mode. */
export function matcherParserMode(): MatcherParserMode {
  return current.mode;
}

function settings(o: CompatOptions): { mode: MatcherParserMode; logger: Logger } {
  return { mode: o.mode ?? current.mode, logger: o.logger ?? current.logger };
}

function attempt<T>(f: () => T): { value?: T; err?: Error } {
  try {
    return { value: f() };
  } catch (err) {
    return { err: err as Error };
  }
}

function fallback<T>(
  input: string,
  origin: string,
  logger: Logger,
  utf8: () => T,
  classic: () => T,
  same: (a: T, b: T) => boolean,
  suggest: (v: T) => string,
): T {
  const n = attempt(utf8);
  const c = attempt(classic);
  if (n.err !== undefined) {
    if (c.err !== undefined) throw c.err;
    const attrs: LogAttrs = { input, origin, err: n.err.message, suggestion: suggest(c.value as T) };
    logger.warn(INCOMPATIBLE, attrs);
    return c.value as T;
  }
  if (c.err === undefined && !same(n.value as T, c.value as T)) {
    logger.warn(DISAGREEMENT, { input, origin });
    return c.value as T;
  }
  return n.value as T;
}

/**
 * Parses zero or more matchers (`compat.Matchers`); `origin` names the caller
 * in warnings (`config`, `api`, `cli`). Throws the chosen parser's error.
 */
export function parseMatchers(input: string, origin: string, options: CompatOptions = {}): Matcher[] {
  const { mode, logger } = settings(options);
  if (mode === "classic") return parseMatchersClassic(input);
  if (mode === "utf8-strict") return parseMatchersUTF8(input);
  const suggest = (ms: Matcher[]): string => ms.map((m) => m.toString()).join(",");
  return fallback(
    input,
    origin,
    logger,
    () => parseMatchersUTF8(input),
    () => parseMatchersClassic(input),
    matchersEqual,
    suggest,
  );
}

/** Parses exactly one matcher (`compat.Matcher`); braces are refused outside classic mode. */
export function parseMatcher(input: string, origin: string, options: CompatOptions = {}): Matcher {
  const { mode, logger } = settings(options);
  if (mode === "classic") return parseMatcherClassic(input);
  if (input.startsWith("{") || input.endsWith("}"))
    throw new MatcherParseError(`unexpected open or close brace: ${input}`);
  if (mode === "utf8-strict") return parseMatcherUTF8(input);
  return fallback(
    input,
    origin,
    logger,
    () => parseMatcherUTF8(input),
    () => parseMatcherClassic(input),
    (a, b) => a.equals(b),
    (m) => m.toString(),
  );
}

/**
 * Upstream's `compat.IsValidLabelName` (used for `group_by` and `equal`):
 * classic mode wants a legacy name, the other modes any non-empty UTF-8.
 */
export function isValidLabelName(name: string, options: CompatOptions = {}): boolean {
  const { mode } = settings(options);
  if (mode === "classic") return isValidLegacyLabelName(name);
  return name.length > 0 && name.isWellFormed();
}
