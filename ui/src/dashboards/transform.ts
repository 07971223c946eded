/**
 * Table data as Grafana's data frames and the transformations dashboards
 * commonly use on them: `merge`, `organize`, `reduce`, `labelsToFields`
 * (others are passed through unchanged and reported). Pure.
 */
import { type JsonObject, obj, str } from "../../../src/dashboards/model/json.ts";
import { CALCS, reduce, type Series } from "./frames.ts";

/** One column. */
export interface Field {
  readonly name: string;
  readonly type: "time" | "number" | "string";
  readonly values: readonly (number | string | null)[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** A table: columns of equal length, and the query it came from. */
export interface Frame {
  readonly refId: string;
  readonly fields: readonly Field[];
}

/** A Prometheus result in `format: table` shape: Time, one column per label, `Value` (or `Value #A`). */
export function tableFrame(series: readonly Series[], refId: string, valueName: string): Frame {
  const labelNames = [...new Set(series.flatMap((s) => Object.keys(s.labels)))]
    .filter((l) => l !== "__name__")
    .sort();
  const rows = series.flatMap((s) =>
    s.times.map((t, i) => ({ t, v: s.values[i] ?? null, labels: s.labels })),
  );
  return {
    refId,
    fields: [
      { name: "Time", type: "time", values: rows.map((r) => r.t) },
      ...labelNames.map(
        (l): Field => ({ name: l, type: "string", values: rows.map((r) => r.labels[l] ?? "") }),
      ),
      { name: valueName, type: "number", values: rows.map((r) => r.v) },
    ],
  };
}

/** Time series as frames: Time and one number column named by the series, its labels attached. */
export function seriesFrames(series: readonly Series[]): Frame[] {
  return series.map((s) => ({
    refId: s.refId,
    fields: [
      { name: "Time", type: "time", values: s.times },
      { name: s.name, type: "number", values: s.values, labels: s.labels },
    ],
  }));
}

function rowCount(f: Frame): number {
  return f.fields[0]?.values.length ?? 0;
}

/** `merge`: frames sharing their non-number columns are joined row by row on those values. */
export function merge(frames: readonly Frame[]): Frame[] {
  if (frames.length < 2) return [...frames];
  const keyNames: string[] = [];
  const valueNames: string[] = [];
  for (const fr of frames)
    for (const f of fr.fields) {
      const list = f.type === "number" ? valueNames : keyNames;
      if (!list.includes(f.name)) list.push(f.name);
    }
  const rows = new Map<string, Map<string, number | string | null>>();
  for (const fr of frames) {
    for (let i = 0; i < rowCount(fr); i++) {
      const keyed = fr.fields.filter((f) => f.type !== "number");
      const key = JSON.stringify(keyed.map((f) => [f.name, f.values[i]]));
      let row = rows.get(key);
      if (row === undefined) {
        row = new Map();
        rows.set(key, row);
      }
      for (const f of fr.fields)
        if (f.type !== "number" || f.values[i] !== null) row.set(f.name, f.values[i] ?? null);
    }
  }
  const all = [...rows.values()];
  const typeOf = (n: string) => frames.flatMap((fr) => fr.fields).find((f) => f.name === n)!.type;
  return [
    {
      refId: frames[0]!.refId,
      fields: [...keyNames, ...valueNames].map((name) => ({
        name,
        type: typeOf(name),
        values: all.map((r) => r.get(name) ?? null),
      })),
    },
  ];
}

/** `organize`: hide (`excludeByName`), reorder (`indexByName`), rename (`renameByName`). */
export function organize(frames: readonly Frame[], options: JsonObject): Frame[] {
  const exclude = obj(options.excludeByName);
  const index = obj(options.indexByName);
  const rename = obj(options.renameByName);
  return frames.map((fr) => {
    const kept = fr.fields.filter((f) => exclude[f.name] !== true);
    const order = (f: Field) => (typeof index[f.name] === "number" ? (index[f.name] as number) : 1e6);
    const sorted = kept.map((f, i) => ({ f, i })).sort((a, b) => order(a.f) - order(b.f) || a.i - b.i);
    return {
      ...fr,
      fields: sorted.map(({ f }) => {
        const to = str(rename[f.name]);
        return to === "" ? f : { ...f, name: to };
      }),
    };
  });
}

/** `reduce`: each number column becomes a row (`seriesToRows`) or one value (`reduceFields`). */
export function reduceTransform(frames: readonly Frame[], options: JsonObject): Frame[] {
  const reducers = Array.isArray(options.reducers) ? (options.reducers as string[]) : ["lastNotNull"];
  const numbers = (fr: Frame) => fr.fields.filter((f) => f.type === "number");
  const calc = (f: Field, r: string) => reduce(f.values as (number | null)[], r);
  if (options.mode === "reduceFields")
    return frames.map((fr) => ({
      ...fr,
      fields: fr.fields
        .filter((f) => f.type !== "time")
        .map((f) =>
          f.type === "number"
            ? { ...f, values: [calc(f, reducers[0]!)] }
            : { ...f, values: [f.values[0] ?? null] },
        ),
    }));
  const fields = frames.flatMap(numbers);
  const labelNames =
    options.labelsToFields === true
      ? [...new Set(fields.flatMap((f) => Object.keys(f.labels ?? {})))]
          .filter((l) => l !== "__name__")
          .sort()
      : [];
  return [
    {
      refId: frames[0]?.refId ?? "A",
      fields: [
        { name: "Field", type: "string", values: fields.map((f) => f.name) },
        ...labelNames.map(
          (l): Field => ({ name: l, type: "string", values: fields.map((f) => f.labels?.[l] ?? "") }),
        ),
        ...reducers.map(
          (r): Field => ({ name: CALCS[r] ?? r, type: "number", values: fields.map((f) => calc(f, r)) }),
        ),
      ],
    },
  ];
}

/** `labelsToFields`: each label of a number column becomes a string column; the column is named `Value` (or `valueLabel`'s value). */
export function labelsToFields(frames: readonly Frame[], options: JsonObject): Frame[] {
  const valueLabel = str(options.valueLabel);
  return frames.map((fr) => {
    const out: Field[] = [];
    for (const f of fr.fields) {
      if (f.type !== "number" || f.labels === undefined) {
        out.push(f);
        continue;
      }
      const n = f.values.length;
      for (const [k, v] of Object.entries(f.labels))
        if (k !== "__name__" && k !== valueLabel && !out.some((o) => o.name === k))
          out.push({ name: k, type: "string", values: new Array(n).fill(v) });
      out.push({
        name: valueLabel !== "" ? (f.labels[valueLabel] ?? "Value") : "Value",
        type: "number",
        values: f.values,
      });
    }
    return { ...fr, fields: out };
  });
}

/** Applies the panel's enabled transformations in order; returns the frames and the ids it skipped. */
export function applyTransformations(
  frames: readonly Frame[],
  transformations: readonly JsonObject[],
): { frames: Frame[]; skipped: string[] } {
  let out = [...frames];
  const skipped: string[] = [];
  for (const t of transformations) {
    if (t.disabled === true) continue;
    const options = obj(t.options);
    switch (t.id) {
      case "merge":
        out = merge(out);
        break;
      case "organize":
        out = organize(out, options);
        break;
      case "reduce":
        out = reduceTransform(out, options);
        break;
      case "labelsToFields":
        out = labelsToFields(out, options);
        break;
      default:
        skipped.push(str(t.id));
    }
  }
  return { frames: out, skipped };
}
