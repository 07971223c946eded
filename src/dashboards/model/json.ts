/**
 * JSON helpers for the dashboard model: Grafana's dashboard JSON is loosely
 * typed and carries many optional, version-dependent fields, so the model
 * code works on plain JSON objects and narrows with these guards.
 * Browser-safe: no Node imports.
 */

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** A JSON object whose fields are read with the guards below. */
export interface JsonObject {
  [key: string]: Json | undefined;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The array at `v`, or an empty array when `v` is not one. */
export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

/** The objects of the array at `v`, skipping other values. */
export function objects(v: unknown): JsonObject[] {
  return arr(v).filter(isObject);
}

/** The object at `v`, or a fresh empty object. */
export function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** `v` when it is a string, else `fallback`. */
export function str(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}

/** `v` as a finite number (numeric strings accepted, as Grafana's loose JSON has them), else undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A deep copy of a JSON value (structuredClone minus the non-JSON cases). */
export function clone<T extends Json | JsonObject>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Object `o` with its keys sorted recursively: stable output for golden files and diffs. */
export function sortKeys(v: Json | undefined): Json | undefined {
  if (Array.isArray(v)) return v.map((x) => sortKeys(x) ?? null);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const key of Object.keys(v).sort()) {
    const value = sortKeys(v[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
