/**
 * The Go value model templates execute over (see README "Value model"):
 * `number` = float64, `bigint` = int, strings, booleans, `null`/`undefined` = nil (no
 * value), arrays = slices, `Map` and plain objects = `map[string]T`, class instances =
 * structs (own non-function properties are fields, prototype functions are methods).
 * `Map`/`Array` subclasses are named map/slice types whose subclass methods can be
 * called (Alertmanager's `KV`, `Alerts`). A static {@link GO_TYPE} on a class names its
 * Go type; {@link typedSlice} tags an array with its element type.
 */

import { compareUTF8 } from "../model/labels/strings.ts";

/** Static property naming a class's Go type (`static [GO_TYPE]: GoTypeInfo`). */
export const GO_TYPE: unique symbol = Symbol.for("vigil.template.goType");

const SLICE_ELEM: unique symbol = Symbol.for("vigil.template.sliceElem");

/** How a class presents itself to templates. */
export interface GoTypeInfo {
  /** Go type name as `%T` prints it, e.g. `template.KV`, `*template.sample`. */
  readonly name: string;
  /** Element type of a map or slice type (`string`, `interface {}`, …). */
  readonly elem?: string;
  /** The value is a pointer to a struct (`%v` prints `&{…}`). */
  readonly pointer?: boolean;
}

/** Go's reflect kinds, as far as templates distinguish them. */
export type GoKind =
  | "invalid"
  | "bool"
  | "int"
  | "float"
  | "complex"
  | "string"
  | "slice"
  | "map"
  | "struct"
  | "func";

/** A complex128 (`1+2i` constants). */
export class GoComplex {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "complex128" };
  readonly re: number;
  readonly im: number;
  constructor(re: number, im: number) {
    this.re = re;
    this.im = im;
  }
}

/**
 * A value of a named string type (`template.HTML`, `template.URL`): string kind, but
 * not assignable to `string` parameters, as in Go. Subclasses set {@link GO_TYPE}.
 */
export class GoString {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "string" };
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
}

/** The string of a string-kinded value (plain or named). */
export function strOf(v: unknown): string {
  return v instanceof GoString ? v.value : (v as string);
}

/** Go's `map[string]string` (e.g. Prometheus' `$labels`): missing keys read as "" with missingkey=zero. */
export class StringMap extends Map<string, string> {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "map[string]string", elem: "string" };
  /** A map from a plain record. */
  static of(rec: Readonly<Record<string, string>>): StringMap {
    return new StringMap(Object.entries(rec));
  }
}

/** Tags `arr` as a Go slice of `elem` (e.g. `[]string`); returns `arr`. */
export function typedSlice<T extends unknown[]>(arr: T, elem: string): T {
  Object.defineProperty(arr, SLICE_ELEM, { value: elem, enumerable: false });
  return arr;
}

function typeInfoOf(v: object): GoTypeInfo | undefined {
  const ctor = (v as { constructor?: unknown }).constructor as { [GO_TYPE]?: GoTypeInfo } | undefined;
  return ctor?.[GO_TYPE];
}

/** True for objects whose prototype is `Object.prototype` or null. */
export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function hasFunctionProperty(v: object): boolean {
  for (const k of Object.keys(v)) if (typeof (v as Record<string, unknown>)[k] === "function") return true;
  return false;
}

/** The kind of a value. */
export function kindOf(v: unknown): GoKind {
  switch (typeof v) {
    case "undefined":
      return "invalid";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
    case "function":
      return "func";
    case "object":
      if (v === null) return "invalid";
      if (Array.isArray(v)) return "slice";
      if (v instanceof Map) return "map";
      if (v instanceof GoComplex) return "complex";
      if (v instanceof GoString) return "string";
      if (isPlainObject(v) && !hasFunctionProperty(v)) return "map";
      return "struct";
    default:
      return "struct";
  }
}

/** Go's `%T` for a value. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case "invalid":
      return "<nil>";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "string":
      return v instanceof GoString ? (typeInfoOf(v)?.name ?? "string") : "string";
    case "func":
      return "func(...interface {}) (interface {}, error)";
    case "complex":
      return "complex128";
    case "slice": {
      const info = typeInfoOf(v as object);
      if (info !== undefined && (v as object).constructor !== Array) return info.name;
      const elem = (v as { [SLICE_ELEM]?: string })[SLICE_ELEM];
      return `[]${elem ?? "interface {}"}`;
    }
    case "map": {
      const info = typeInfoOf(v as object);
      if (info !== undefined && (v as object).constructor !== Map && (v as object).constructor !== Object) {
        return info.name;
      }
      return "map[string]interface {}";
    }
    default: {
      const obj = v as object;
      const info = typeInfoOf(obj);
      if (info !== undefined) return info.name;
      if (isPlainObject(obj)) return "struct {…}";
      return (obj.constructor as { name?: string } | undefined)?.name || "struct";
    }
  }
}

/** The Go type info of a class instance, if it declares one. */
export function goTypeInfo(v: unknown): GoTypeInfo | undefined {
  return typeof v === "object" && v !== null ? typeInfoOf(v) : undefined;
}

/** Element type name of a map or slice value (`interface {}` when untyped). */
export function elemTypeName(v: unknown): string {
  if (Array.isArray(v)) {
    const tagged = (v as { [SLICE_ELEM]?: string })[SLICE_ELEM];
    if (tagged !== undefined) return tagged;
  }
  return goTypeInfo(v)?.elem ?? "interface {}";
}

/** The zero value of a Go type given by name (`undefined` for interfaces, pointers, …). */
export function zeroOf(type: string): unknown {
  switch (type) {
    case "string":
      return "";
    case "int":
    case "int64":
      return 0n;
    case "float64":
      return 0;
    case "bool":
      return false;
    default:
      return undefined;
  }
}

/** Go's `IsTrue`: truth is "not the zero value"; `ok` false for kinds without truth. */
export function isTrue(v: unknown): { truth: boolean; ok: boolean } {
  switch (kindOf(v)) {
    case "invalid":
      return { truth: false, ok: true };
    case "bool":
      return { truth: v as boolean, ok: true };
    case "int":
      return { truth: (v as bigint) !== 0n, ok: true };
    case "float":
      return { truth: (v as number) !== 0, ok: true };
    case "complex":
      return { truth: (v as GoComplex).re !== 0 || (v as GoComplex).im !== 0, ok: true };
    case "string":
      return { truth: strOf(v).length > 0, ok: true };
    case "slice":
      return { truth: (v as unknown[]).length > 0, ok: true };
    case "map":
      return { truth: mapSize(v) > 0, ok: true };
    case "func":
      return { truth: true, ok: true };
    default:
      return { truth: true, ok: true };
  }
}

/** Number of entries of a map value. */
export function mapSize(v: unknown): number {
  if (v instanceof Map) return v.size;
  return Object.keys(v as object).length;
}

/** Looks a key up in a map value; `found` false when absent. */
export function mapGet(m: unknown, key: string): { found: boolean; value: unknown } {
  if (m instanceof Map) return { found: m.has(key), value: m.get(key) };
  const obj = m as Record<string, unknown>;
  if (Object.hasOwn(obj, key)) return { found: true, value: obj[key] };
  return { found: false, value: undefined };
}

/** Map entries sorted by key as Go's `fmtsort` orders strings (bytewise). */
export function sortedEntries(m: unknown): [string, unknown][] {
  const entries: [string, unknown][] =
    m instanceof Map ? [...m.entries()].map(([k, v]) => [String(k), v]) : Object.entries(m as object);
  return entries.sort((a, b) => compareUTF8(a[0], b[0]));
}

const OBJECT_PROTOS: ReadonlySet<object> = new Set<object>([
  Object.prototype,
  Map.prototype,
  Array.prototype,
]);

/** A method named `name` on a struct, map or slice type (own function properties count). */
export function findMethod(v: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (typeof v !== "object" || v === null || name === "constructor") return undefined;
  const own = Object.getOwnPropertyDescriptor(v, name);
  if (own !== undefined && typeof own.value === "function" && !Array.isArray(v) && !(v instanceof Map)) {
    return own.value as (...args: unknown[]) => unknown;
  }
  for (let p = Object.getPrototypeOf(v); p !== null && !OBJECT_PROTOS.has(p); p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d !== undefined && typeof d.value === "function") return d.value as (...args: unknown[]) => unknown;
  }
  return undefined;
}

/** Fields of a struct value, in declaration order (own enumerable non-function properties). */
export function structFields(v: object): [string, unknown][] {
  return Object.entries(v).filter(([, x]) => typeof x !== "function");
}

/** A struct field by name. */
export function structField(v: object, name: string): { found: boolean; value: unknown } {
  if (!Object.hasOwn(v, name)) return { found: false, value: undefined };
  const value = (v as Record<string, unknown>)[name];
  if (typeof value === "function") return { found: false, value: undefined };
  return { found: true, value };
}

/** True when `v` is assignable to a parameter of Go type `type`. */
export function assignable(v: unknown, type: string): boolean {
  if (type === "interface {}" || type === "reflect.Value") return true;
  return typeName(v) === type;
}

/** True when a nil can be assigned to the Go type (interfaces, slices, maps, pointers…). */
export function canBeNil(type: string): boolean {
  return (
    type === "interface {}" ||
    type === "reflect.Value" ||
    type.startsWith("[]") ||
    type.startsWith("map[") ||
    type.startsWith("*") ||
    type.startsWith("func")
  );
}
