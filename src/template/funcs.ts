/**
 * Template functions: the {@link GoFunc} signature model (parameter types drive Go's
 * argument conversion and error messages) and the builtins of Go's `funcs.go`
 * (`and`, `or`, `not`, `len`, `index`, `slice`, `print*`, `html`, `js`, `urlquery`,
 * comparisons). `call`, `and` and `or` are evaluated specially by the executor.
 */

import { goQuote } from "../model/labels/strings.ts";
import { intValue, sprint, sprintf, sprintln } from "./fmt.ts";
import {
  elemTypeName,
  type GoComplex,
  isTrue,
  kindOf,
  mapGet,
  mapSize,
  strOf,
  typeName,
  zeroOf,
} from "./values.ts";

/**
 * A function callable from templates. `params` are the Go type names of the fixed
 * parameters (`string`, `float64`, `int`, `bool`, `interface {}`, `reflect.Value`,
 * `[]string`, `time.Time`, …), `variadic` the element type of a trailing `...`
 * parameter. `fn` gets the converted arguments and returns a value or a Promise;
 * throwing an Error is Go's non-nil error result.
 */
export interface GoFunc {
  readonly params: readonly string[];
  readonly variadic?: string;
  readonly fn: (...args: never[]) => unknown;
}

/** What `Template.funcs` accepts: a {@link GoFunc}, or a plain function (variadic `...interface {}`). */
export type FuncValue = GoFunc | ((...args: never[]) => unknown);

/** A name → function map. */
export type FuncMap = Readonly<Record<string, FuncValue>>;

/** Builds a {@link GoFunc}. */
export function goFunc(
  params: readonly string[],
  fn: (...args: never[]) => unknown,
  variadic?: string,
): GoFunc {
  return variadic === undefined ? { params, fn } : { params, variadic, fn };
}

/** Normalises a {@link FuncValue}. */
export function toGoFunc(v: FuncValue): GoFunc {
  return typeof v === "function" ? { params: [], variadic: "interface {}", fn: v } : v;
}

const V = "reflect.Value";
const ANY = "interface {}";

/** Go's `HTMLEscapeString`. */
export function htmlEscapeString(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) => HTML_ESC[c]);
}

const HTML_ESC: Readonly<Record<string, string>> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "'": "&#39;",
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

const JS_ESC: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "<": "\\u003C",
  ">": "\\u003E",
  "&": "\\u0026",
  "=": "\\u003D",
};

const PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's `JSEscapeString`. */
export function jsEscapeString(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const simple = JS_ESC[ch];
    if (simple !== undefined) out += simple;
    else if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (cp < 0x80 || PRINT.test(ch)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** Go's `url.QueryEscape`. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Go's `evalArgs`: a lone string as is, else `fmt.Sprint` of the arguments. */
export function evalArgs(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args);
}

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  if (k === "invalid") throw new Error("cannot index slice/array with nil");
  const x = intValue(index);
  if (x === undefined) throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new Error(`index out of range: ${x}`);
  return Number(x);
}

function indexOne(item: unknown, index: unknown): unknown {
  switch (kindOf(item)) {
    case "slice": {
      const arr = item as unknown[];
      const x = indexArg(index, arr.length);
      if (x === arr.length) throw new Error("reflect: slice index out of range");
      return arr[x];
    }
    case "string": {
      const bytes = Buffer.from(strOf(item), "utf8");
      const x = indexArg(index, bytes.length);
      if (x === bytes.length) throw new Error("reflect: string index out of range");
      return BigInt(bytes[x]);
    }
    case "map": {
      if (index === undefined || index === null) throw new Error("value is nil; should be of type string");
      if (kindOf(index) !== "string") throw new Error(`value has type ${typeName(index)}; should be string`);
      const { found, value } = mapGet(item, strOf(index));
      return found ? value : zeroElem(item);
    }
    default:
      throw new Error(`can't index item of type ${typeName(item)}`);
  }
}

function zeroElem(m: unknown): unknown {
  return zeroOf(elemTypeName(m));
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error("index of untyped nil");
  for (const i of indexes) item = indexOne(item, i);
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error("slice of untyped nil");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  let len: number;
  let bytes: Buffer | undefined;
  if (k === "string") {
    if (indexes.length === 3) throw new Error("cannot 3-index slice a string");
    bytes = Buffer.from(strOf(item), "utf8");
    len = bytes.length;
  } else if (k === "slice") len = (item as unknown[]).length;
  else throw new Error(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, 0];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, len);
  });
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes !== undefined) return bytes.subarray(idx[0], idx[1]).toString("utf8");
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function length(item: unknown): bigint {
  switch (kindOf(item)) {
    case "invalid":
      throw new Error("reflect: call of reflect.Value.Type on zero Value");
    case "string":
      return BigInt(Buffer.byteLength(strOf(item), "utf8"));
    case "slice":
      return BigInt((item as unknown[]).length);
    case "map":
      return BigInt(mapSize(item));
    default:
      throw new Error(`len of type ${typeName(item)}`);
  }
}

type BasicKind = "bool" | "int" | "float" | "complex" | "string" | "invalid";

function basicKind(v: unknown): BasicKind {
  if (intValue(v) !== undefined) return "int";
  const k = kindOf(v);
  if (k === "bool" || k === "float" || k === "complex" || k === "string") return k;
  return "invalid";
}

function basicEqual(k: BasicKind, a: unknown, b: unknown): boolean {
  switch (k) {
    case "int":
      return intValue(a) === intValue(b);
    case "string":
      return strOf(a) === strOf(b);
    case "complex":
      return (a as GoComplex).re === (b as GoComplex).re && (a as GoComplex).im === (b as GoComplex).im;
    default:
      return a === b;
  }
}

function isNilValue(v: unknown): boolean {
  return v === undefined || v === null;
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) throw new Error("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (!isNilValue(arg1) && !isNilValue(arg)) {
        throw new Error(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`);
      }
    } else if (k1 !== "invalid") {
      truth = basicEqual(k1, arg1, arg);
    } else {
      if (kindOf(arg1) !== kindOf(arg) && !isNilValue(arg1) && !isNilValue(arg)) {
        throw new Error(
          `non-comparable types ${sprintf("%s", [arg1])}: ${typeName(arg1)}, ${typeName(arg)}: ${sprintf("%s", [arg])}`,
        );
      }
      if (isNilValue(arg1) || isNilValue(arg)) truth = isNilValue(arg1) === isNilValue(arg);
      else {
        const k = kindOf(arg);
        if (k === "slice" || k === "map" || k === "func") {
          throw new Error(`non-comparable type ${sprintf("%s", [arg])}: ${typeName(arg)}`);
        }
        truth = arg1 === arg;
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  const k1 = basicKind(arg1);
  if (k1 === "invalid") throw new Error("invalid type for comparison");
  const k2 = basicKind(arg2);
  if (k2 === "invalid") throw new Error("invalid type for comparison");
  if (k1 !== k2)
    throw new Error(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg2)}`);
  switch (k1) {
    case "bool":
    case "complex":
      throw new Error("invalid type for comparison");
    case "int":
      return intValue(arg1)! < intValue(arg2)!;
    case "string":
      return Buffer.compare(Buffer.from(strOf(arg1)), Buffer.from(strOf(arg2))) < 0;
    default:
      return (arg1 as number) < (arg2 as number);
  }
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

/** Go's truth of a value for `and`, `or`, `not`. */
export function truth(v: unknown): boolean {
  return isTrue(v).truth;
}

/** Go's builtin functions (`call`, `and` and `or` are handled by the executor). */
export const BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ["and", goFunc([V], () => undefined, V)],
  ["or", goFunc([V], () => undefined, V)],
  ["call", goFunc([V], () => undefined, V)],
  ["html", goFunc([], (...a: unknown[]) => htmlEscapeString(evalArgs(a)), ANY)],
  ["js", goFunc([], (...a: unknown[]) => jsEscapeString(evalArgs(a)), ANY)],
  ["urlquery", goFunc([], (...a: unknown[]) => queryEscape(evalArgs(a)), ANY)],
  ["index", goFunc([V], index as (...a: never[]) => unknown, V)],
  ["slice", goFunc([V], slice as (...a: never[]) => unknown, V)],
  ["len", goFunc([V], length as (...a: never[]) => unknown)],
  ["not", goFunc([V], (a: unknown) => !truth(a))],
  ["print", goFunc([], (...a: unknown[]) => sprint(a), ANY)],
  ["printf", goFunc(["string"], (f: string, ...a: unknown[]) => sprintf(f, a), ANY)],
  ["println", goFunc([], (...a: unknown[]) => sprintln(a), ANY)],
  ["eq", goFunc([V], eq as (...a: never[]) => unknown, V)],
  ["ne", goFunc([V, V], (a: unknown, b: unknown) => !eq(a, b))],
  ["lt", goFunc([V, V], lt as (...a: never[]) => unknown)],
  ["le", goFunc([V, V], le as (...a: never[]) => unknown)],
  ["gt", goFunc([V, V], (a: unknown, b: unknown) => !le(a, b))],
  ["ge", goFunc([V, V], (a: unknown, b: unknown) => !lt(a, b))],
]);

/** Go's `goodName`: a valid identifier for a function name. */
export function goodName(name: string): boolean {
  return /^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(name);
}

/** Quoted name helper shared by error messages. */
export function q(s: string): string {
  return goQuote(s);
}
