/**
 * Label pairs that may carry empty values: what upstream builds with
 * `labels.FromMap` for rule labels and annotations. Vigil's {@link Labels}
 * drops empty values (an empty value means "absent"), but a rule label set
 * to "" must survive until evaluation, where it deletes that label from the
 * result, and an annotation that expands to "" is still shown. Sorted by name
 * in UTF-8 order, names unique.
 */
import { Labels } from "../model/labels/labels.ts";
import { compareUTF8, goQuote } from "../model/labels/strings.ts";
import { isValidLegacyLabelName } from "../model/labels/validate.ts";

/** Sorted, name-unique pairs; values may be empty. */
export type LabelPairs = readonly (readonly [string, string])[];

/** Pairs from maps; a later map's value wins (upstream's `rules.FromMaps`). */
export function pairsFromMaps(...maps: readonly Readonly<Record<string, string>>[]): LabelPairs {
  const merged = new Map<string, string>();
  for (const m of maps) for (const [k, v] of Object.entries(m)) merged.set(k, v);
  return [...merged].sort((a, b) => compareUTF8(a[0], b[0]));
}

/** Pairs of a label set. */
export function pairsOf(ls: Labels): LabelPairs {
  const out: [string, string][] = [];
  ls.forEach((n, v) => {
    out.push([n, v]);
  });
  return out;
}

/** The label set of the pairs with a non-empty value. */
export function pairsToLabels(p: LabelPairs): Labels {
  return Labels.fromPairs(p);
}

/** Upstream's `labels.Compare` on pairs. */
export function comparePairs(a: LabelPairs, b: LabelPairs): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a[i]!;
    const [bn, bv] = b[i]!;
    if (an !== bn) return compareUTF8(an, bn);
    if (av !== bv) return compareUTF8(av, bv);
  }
  return a.length - b.length;
}

/** True when both hold the same pairs. */
export function pairsEqual(a: LabelPairs, b: LabelPairs): boolean {
  return comparePairs(a, b) === 0;
}

/** Upstream's `Labels.String()`: `{a="b", c=""}`. */
export function pairsString(p: LabelPairs): string {
  const parts = p.map(([n, v]) => `${isValidLegacyLabelName(n) ? n : goQuote(n)}=${goQuote(v)}`);
  return `{${parts.join(", ")}}`;
}
