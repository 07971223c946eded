/**
 * Metric and label name validation, as in Prometheus 3 (`model.NameValidationScheme`).
 *
 * Two schemes exist: `legacy` (the classic `[a-zA-Z_:][a-zA-Z0-9_:]*` charset) and
 * `utf8` (any non-empty, valid UTF-8 string; Prometheus 3's default). The legacy checks
 * are char-code loops: they run for every series a scrape ingests.
 */

import type { Labels } from "./labels.ts";

/** The name validation scheme; `utf8` is Prometheus 3's default. */
export type NameValidationScheme = "legacy" | "utf8";

/** Name of the label holding the metric name. */
export const METRIC_NAME_LABEL = "__name__";

function isAsciiLetterOrUnderscore(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** True when `name` matches `^[a-zA-Z_:][a-zA-Z0-9_:]*$`. */
export function isValidLegacyMetricName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isAsciiLetterOrUnderscore(c) || c === 0x3a || (i > 0 && isAsciiDigit(c))) continue;
    return false;
  }
  return true;
}

/** True when `name` matches `^[a-zA-Z_][a-zA-Z0-9_]*$`. */
export function isValidLegacyLabelName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isAsciiLetterOrUnderscore(c) || (i > 0 && isAsciiDigit(c))) continue;
    return false;
  }
  return true;
}

/**
 * True when `name` is non-empty and valid UTF-8 once encoded, which for a JavaScript
 * string means it holds no lone surrogate.
 */
export function isValidUTF8Name(name: string): boolean {
  return name.length > 0 && name.isWellFormed();
}

/** True when a label value is valid UTF-8 (no lone surrogate); the empty value is valid. */
export function isValidLabelValue(value: string): boolean {
  return value.isWellFormed();
}

/** Validates a metric name under `scheme`. */
export function isValidMetricName(name: string, scheme: NameValidationScheme): boolean {
  return scheme === "legacy" ? isValidLegacyMetricName(name) : isValidUTF8Name(name);
}

/** Validates a label name under `scheme`. */
export function isValidLabelName(name: string, scheme: NameValidationScheme): boolean {
  return scheme === "legacy" ? isValidLegacyLabelName(name) : isValidUTF8Name(name);
}

/**
 * Upstream's `Labels.IsValid`: the metric name (if present) is a valid metric name, every
 * label name is valid and every value is valid UTF-8. Under `utf8`, `__name__` must
 * still be non-empty when present (empty values are never stored, so it always is).
 */
export function isValidLabels(ls: Labels, scheme: NameValidationScheme): boolean {
  for (let i = 0; i < ls.size; i++) {
    const name = ls.nameAt(i);
    const value = ls.valueAt(i);
    if (name === METRIC_NAME_LABEL && !isValidMetricName(value, scheme)) return false;
    if (!isValidLabelName(name, scheme) || !isValidLabelValue(value)) return false;
  }
  return true;
}
