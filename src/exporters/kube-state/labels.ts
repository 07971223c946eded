/**
 * Turning Kubernetes labels and annotations into Prometheus labels as
 * kube-state-metrics does (`kube_*_labels`, `kube_*_annotations`), and the
 * `--metric-labels-allowlist` / `--metric-annotations-allowlist` flag syntax.
 */
import type { Metric } from "./metric.ts";

const INVALID_LABEL_CHAR = /[^a-zA-Z0-9_]/g;
const LOWER_THEN_UPPER = /([a-z0-9])([A-Z])/g;

/** Upstream's `sanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`. */
export function sanitizeLabelName(s: string): string {
  return s.replace(INVALID_LABEL_CHAR, "_");
}

/** `prefix_` + the sanitized key in snake case (`app.kubernetes.io/name` → `label_app_kubernetes_io_name`). */
export function prometheusLabelName(prefix: string, key: string): string {
  return `${prefix}_${sanitizeLabelName(key).replace(LOWER_THEN_UPPER, "$1_$2").toLowerCase()}`;
}

/**
 * Keys and values for `kube_*_labels` (prefix `label`) or `kube_*_annotations`
 * (prefix `annotation`): only the allowed keys (`*` allows all), sorted by
 * Kubernetes key; names that collide after sanitizing get `_conflict1`,
 * `_conflict2`, … as upstream's `mapToPrometheusLabels`.
 */
export function kubeToPrometheusLabels(
  prefix: string,
  data: Readonly<Record<string, string>> | undefined,
  allowed: readonly string[],
): { keys: string[]; values: string[] } {
  const keys: string[] = [];
  const values: string[] = [];
  if (data === undefined || allowed.length === 0) return { keys, values };
  const picked = allowed[0] === "*" ? Object.keys(data) : allowed.filter((k) => Object.hasOwn(data, k));
  const conflicts = new Map<string, { count: number; initial: number }>();
  for (const k of [...new Set(picked)].sort()) {
    let name = prometheusLabelName(prefix, k);
    const seen = conflicts.get(name);
    if (seen === undefined) {
      conflicts.set(name, { count: 1, initial: keys.length });
    } else {
      if (seen.count === 1) keys[seen.initial] = `${keys[seen.initial]}_conflict1`;
      seen.count++;
      name = `${name}_conflict${seen.count}`;
    }
    keys.push(name);
    values.push(data[k] ?? "");
  }
  return { keys, values };
}

/** The single sample of a `kube_*_labels` / `kube_*_annotations` family. */
export function labelsMetric(
  prefix: "label" | "annotation",
  data: Readonly<Record<string, string>> | undefined,
  allowed: readonly string[],
): Metric[] {
  const { keys, values } = kubeToPrometheusLabels(prefix, data, allowed);
  return [{ keys, values, value: 1 }];
}

/** Per resource (plural name, e.g. `pods`), the Kubernetes keys allowed; `*` as resource applies to all. */
export type AllowList = ReadonlyMap<string, readonly string[]>;

/** Thrown for a malformed allowlist flag value. */
export class AllowListError extends Error {
  override readonly name = "AllowListError";
}

/**
 * Parses upstream's allowlist syntax: `pods=[app,team],namespaces=[*]`
 * (resource names are the plural ones `--resources` takes; `*` for every
 * resource). An empty string allows nothing.
 */
export function parseAllowList(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let rest = text.trim();
  while (rest !== "") {
    const match = /^([a-z0-9*.-]+)=\[([^\]]*)\]\s*(?:,\s*|$)/.exec(rest);
    if (match === null) throw new AllowListError(`invalid allowlist ${JSON.stringify(text)}`);
    const keys = match[2]!
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== "");
    out.set(match[1]!, [...(out.get(match[1]!) ?? []), ...keys]);
    rest = rest.slice(match[0].length);
  }
  return out;
}

/** The allowed keys for `resource`, from its own entry or the `*` entry. */
export function allowedFor(list: AllowList, resource: string): readonly string[] {
  const own = list.get(resource);
  const all = list.get("*");
  if (own === undefined) return all ?? [];
  if (all === undefined) return own;
  return own.includes("*") || all.includes("*") ? ["*"] : [...own, ...all];
}
