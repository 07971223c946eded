/**
 * kube-state-metrics' metric model (`pkg/metric`, `pkg/metric_generator`):
 * a family generator turns one Kubernetes object into the samples of one
 * metric family, and the store renders them to text once per object change.
 */
import { escapeHelp, escapeLabelValue, formatFloat } from "../../exposition/escape.ts";

/** One sample of a family for one object: label keys and values pair up by index. */
export interface Metric {
  readonly keys: readonly string[];
  readonly values: readonly string[];
  readonly value: number;
}

/** The two types kube-state-metrics writes. */
export type KsmType = "gauge" | "counter";

/**
 * A metric family and how to compute its samples from an object of type `T`.
 * `stable` families get upstream's `[STABLE] ` HELP prefix.
 */
export interface FamilyGenerator<T> {
  readonly name: string;
  readonly help: string;
  readonly type: KsmType;
  readonly stable: boolean;
  /** Samples for one object; the object's identifying labels are added by the caller. */
  readonly generate: (obj: T) => readonly Metric[];
}

/** A metric with the given labels (keys and values in order) and value. */
export function m(value: number, labels: Readonly<Record<string, string>> = {}): Metric {
  return { keys: Object.keys(labels), values: Object.values(labels), value };
}

/** Go's `boolFloat64`. */
export function b(v: boolean): number {
  return v ? 1 : 0;
}

/** Builds a family generator; `stable` as upstream's stability level for the family. */
export function family<T>(
  name: string,
  help: string,
  generate: (obj: T) => readonly Metric[],
  opts: { readonly type?: KsmType; readonly stable?: boolean } = {},
): FamilyGenerator<T> {
  return { name, help, type: opts.type ?? "gauge", stable: opts.stable ?? false, generate };
}

/** Same family with identifying labels prepended to every sample (upstream's `wrapXFunc`). */
export function wrap<T>(
  gen: FamilyGenerator<T>,
  identity: (obj: T) => Readonly<Record<string, string>>,
): FamilyGenerator<T> {
  return {
    ...gen,
    generate: (obj) => {
      const id = identity(obj);
      const keys = Object.keys(id);
      const values = Object.values(id);
      return gen.generate(obj).map((x) => ({
        keys: [...keys, ...x.keys],
        values: [...values, ...x.values],
        value: x.value,
      }));
    },
  };
}

/** `# HELP` and `# TYPE` lines of a family, as upstream's `generateHeader`. */
export function renderHeader(
  gen: Pick<FamilyGenerator<unknown>, "name" | "help" | "type" | "stable">,
): string {
  const help = gen.stable ? `[STABLE] ${gen.help}` : gen.help;
  return `# HELP ${gen.name} ${escapeHelp(help, "prometheus-text")}\n# TYPE ${gen.name} ${gen.type}\n`;
}

/**
 * The sample lines of one family for one object, as upstream's
 * `Metric.Write`: labels in the generator's order, empty values kept,
 * values as Go's `strconv.FormatFloat(v, 'g', -1, 64)`.
 */
export function renderMetrics(name: string, metrics: readonly Metric[]): string {
  let out = "";
  for (const x of metrics) {
    out += name;
    if (x.keys.length > 0) {
      out += "{";
      for (let i = 0; i < x.keys.length; i++) {
        if (i > 0) out += ",";
        out += `${x.keys[i]}="${escapeLabelValue(x.values[i] ?? "")}"`;
      }
      out += "}";
    }
    out += ` ${formatFloat(x.value)}\n`;
  }
  return out;
}
