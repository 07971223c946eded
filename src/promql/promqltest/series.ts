/**
 * Series descriptions of the test scripts: `name{label="value"} values…`, as
 * used by `load` bodies and expected results. The value sequence follows the
 * upstream grammar: items separated by blanks, each one of
 *   `_`, `_xN` (N empty slots), a number or `stale`, `axN` (N+1 copies),
 *   `a+bxN` / `a-bxN` (N+1 values, accumulated by repeated addition),
 *   a histogram literal `{{…}}`, `{{…}}xN`, `{{A}}+{{B}}xN` / `{{A}}-{{B}}xN`.
 * Numbers never use hex here (`0x5` means "0, five more times").
 * Values live in typed arrays so the stale marker keeps its NaN payload.
 */
import { Labels } from "../../model/labels/labels.ts";
import { Lexer, parseNumber, T, unquoteString } from "../parser/index.ts";
import { parseGoNumber } from "../strconv.ts";

/** Kind of one value slot. */
export const OMITTED = 0;
export const FLOAT = 1;
export const HISTOGRAM = 2;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
U32[0] = 2;
U32[1] = 0x7ff00000;
/**
 * The staleness marker's bit pattern (0x7ff0000000000002), kept in a typed
 * array: read it from here (`STALE_NAN_BITS[0]`) straight into typed storage.
 */
export const STALE_NAN_BITS: Float64Array = new Float64Array(F64);

/** True when `v` carries exactly the staleness marker's bits. */
export function isStaleNaN(v: number): boolean {
  F64[0] = v;
  return U32[0] === 2 && U32[1] === 0x7ff00000;
}

export type CounterResetHint = "unknown" | "reset" | "not_reset" | "gauge";

/** A native histogram literal `{{…}}`, as written (bucket counts absolute). */
export interface HistogramLiteral {
  schema: number;
  sum: number;
  count: number;
  zeroCount: number;
  zeroThreshold: number;
  buckets: number[];
  offset: number;
  nBuckets: number[];
  nOffset: number;
  customValues: number[];
  counterResetHint: CounterResetHint;
  /** Whether `counter_reset_hint` was written. */
  hintSet: boolean;
}

/**
 * One histogram of a sequence: `base + k·inc` (or `base − k·inc` when
 * `sign` is -1). Kept symbolic; histogram arithmetic is not needed yet.
 */
export interface HistogramValue {
  base: HistogramLiteral;
  inc: HistogramLiteral | null;
  k: number;
  sign: 1 | -1;
}

/** An expanded value sequence: slot `i` is OMITTED, FLOAT or HISTOGRAM. */
export class SequenceValues {
  length = 0;
  kinds: Uint8Array;
  floats: Float64Array;
  readonly histograms = new Map<number, HistogramValue>();

  constructor(capacity = 8) {
    this.kinds = new Uint8Array(capacity);
    this.floats = new Float64Array(capacity);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.kinds.length) return;
    let cap = this.kinds.length * 2;
    while (cap < this.length + n) cap *= 2;
    const kinds = new Uint8Array(cap);
    const floats = new Float64Array(cap);
    kinds.set(this.kinds);
    floats.set(this.floats);
    this.kinds = kinds;
    this.floats = floats;
  }

  pushOmitted(): void {
    this.reserve(1);
    this.kinds[this.length++] = OMITTED;
  }

  pushFloat(v: number): void {
    this.reserve(1);
    this.kinds[this.length] = FLOAT;
    this.floats[this.length++] = v;
  }

  /** Appends the value at `from[i]` keeping its bits (for the stale marker). */
  pushFloatFrom(from: Float64Array, i: number): void {
    this.reserve(1);
    this.kinds[this.length] = FLOAT;
    this.floats[this.length++] = from[i]!;
  }

  pushHistogram(h: HistogramValue): void {
    this.reserve(1);
    this.histograms.set(this.length, h);
    this.kinds[this.length++] = HISTOGRAM;
  }

  hasHistograms(): boolean {
    return this.histograms.size > 0;
  }
}

/** A parsed `<series> <values…>` line. */
export interface SeriesDesc {
  labels: Labels;
  values: SequenceValues;
}

/** Longest expansion accepted (a guard against typos like `0+1x100000000`). */
const MAX_EXPANSION = 10_000_000;

function isAlpha(c: string | undefined): boolean {
  return c !== undefined && (c === "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isAlnum(c: string | undefined): boolean {
  return isAlpha(c) || isDigit(c);
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** Parses a whole series description line; throws an Error describing the problem. */
export function parseSeriesDesc(line: string): SeriesDesc {
  const s = line.trim();
  const pairs: [string, string][] = [];
  let i = 0;
  if (isAlpha(s[0]) || s[0] === ":") {
    let j = 1;
    while (j < s.length && (isAlnum(s[j]) || s[j] === ":")) j++;
    pairs.push(["__name__", s.slice(0, j)]);
    i = j;
  } else if (s[0] !== "{") {
    throw new Error(`unexpected ${JSON.stringify(s.slice(0, 10))}, expected a metric name or label set`);
  }
  if (s[i] === "{") i = parseLabelSet(s, i, pairs);
  const values = parseValues(s, i);
  return { labels: Labels.fromPairs(pairs), values };
}

function skipSpaces(s: string, i: number): number {
  while (isSpace(s[i])) i++;
  return i;
}

/** The string literal at `s[start]`, read by the PromQL lexer: its value, and the index after it. */
function stringAt(s: string, start: number): { value: string; end: number } {
  const it = new Lexer(s.slice(start)).next();
  if (it.type === T.ERROR) throw new Error(it.val);
  if (it.type !== T.STRING) throw new Error(`expected a string literal at column ${start + 1}`);
  return { value: unquoteString(it.val), end: start + it.val.length };
}

/** `{a="b", "c"="d", "name"}` starting at the brace; returns the index after `}`. */
function parseLabelSet(s: string, i: number, pairs: [string, string][]): number {
  i = skipSpaces(s, i + 1);
  for (;;) {
    if (s[i] === "}") return i + 1;
    let name: string;
    let quoted = false;
    if (isAlpha(s[i])) {
      let j = i + 1;
      while (isAlnum(s[j])) j++;
      name = s.slice(i, j);
      i = j;
    } else if (s[i] === '"' || s[i] === "'" || s[i] === "`") {
      const u = stringAt(s, i);
      name = u.value;
      i = u.end;
      quoted = true;
    } else if (i >= s.length) {
      throw new Error("unexpected end of input inside braces");
    } else {
      throw new Error(`unexpected character inside braces: ${JSON.stringify(s[i])}`);
    }
    i = skipSpaces(s, i);
    if (quoted && (s[i] === "," || s[i] === "}")) {
      // A lone quoted string is the metric name.
      pairs.push(["__name__", name]);
    } else {
      if (s[i] !== "=" || s[i + 1] === "~") {
        throw new Error(`unexpected ${JSON.stringify(s.slice(i, i + 2))} in label set, expected "="`);
      }
      i = skipSpaces(s, i + 1);
      const u = stringAt(s, i);
      pairs.push([name, u.value]);
      i = skipSpaces(s, u.end);
    }
    if (s[i] === ",") i = skipSpaces(s, i + 1);
    else if (s[i] !== "}")
      throw new Error(`unexpected ${JSON.stringify(s[i] ?? "end of input")} in label set`);
  }
}

type TokKind = "space" | "add" | "sub" | "times" | "blank" | "number" | "ident" | "hist" | "eof";

interface Tok {
  kind: TokKind;
  text: string;
  hist: HistogramLiteral | null;
}

/** Tokenizer of the value sequence, after upstream's series-description lexer. */
class ValueLexer {
  private readonly s: string;
  private i: number;

  constructor(s: string, i: number) {
    this.s = s;
    this.i = i;
  }

  next(): Tok {
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === undefined) return { kind: "eof", text: "", hist: null };
    if (isSpace(c)) {
      this.i = skipSpaces(s, start);
      return { kind: "space", text: " ", hist: null };
    }
    if (c === "{" && s[start + 1] === "{") {
      const close = s.indexOf("}}", start + 2);
      if (close < 0) throw new Error("unterminated histogram literal");
      this.i = close + 2;
      return {
        kind: "hist",
        text: s.slice(start, close + 2),
        hist: parseHistogramLiteral(s.slice(start + 2, close)),
      };
    }
    this.i = start + 1;
    if (c === "+") return { kind: "add", text: c, hist: null };
    if (c === "-") return { kind: "sub", text: c, hist: null };
    if (c === "x") return { kind: "times", text: c, hist: null };
    if (c === "_") return { kind: "blank", text: c, hist: null };
    if (isDigit(c) || (c === "." && isDigit(s[start + 1]))) {
      this.i = scanNumber(s, start);
      return { kind: "number", text: s.slice(start, this.i), hist: null };
    }
    if (isAlpha(c)) {
      let j = start + 1;
      while (isAlnum(s[j]) || s[j] === ":") j++;
      this.i = j;
      const word = s.slice(start, j);
      const lower = word.toLowerCase();
      return { kind: lower === "inf" || lower === "nan" ? "number" : "ident", text: word, hist: null };
    }
    throw new Error(`unexpected character in series sequence: ${JSON.stringify(c)}`);
  }
}

/** Upstream's number scanner in series mode (no hex); returns the end index. */
function scanNumber(s: string, start: number): number {
  let i = start;
  const bad = (): never => {
    throw new Error(`bad number syntax: ${JSON.stringify(s.slice(start, i + 1))}`);
  };
  if (s[i] === ".") i++;
  if (isDigit(s[i])) i++;
  let dot = false;
  let exp = false;
  for (;;) {
    const c = s[i];
    if (c === ".") {
      if (dot) bad();
      dot = true;
      i++;
      if (s[i] === "_" || s[i] === ".") bad();
      continue;
    }
    if (c === "e" || c === "E") {
      if (exp) bad();
      exp = true;
      i++;
      if (s[i] === "+" || s[i] === "-") i++;
      if (s[i] === undefined || "._eE".includes(s[i]!)) bad();
      continue;
    }
    if (c === "_") {
      i++;
      if (s[i] === undefined || "._eE".includes(s[i]!)) bad();
      continue;
    }
    if (isDigit(c)) {
      i++;
      continue;
    }
    break;
  }
  if (s[i] !== "x" && isAlnum(s[i])) bad();
  return i;
}

function numberValue(t: Tok): number {
  const v = parseNumber(t.text);
  if (typeof v === "string") throw new Error(`error parsing number: ${v}`);
  return v;
}

function uintValue(t: Tok): number {
  if (t.kind !== "number" || !/^[0-9]+$/.test(t.text)) {
    throw new Error(`invalid repetition in series values: ${JSON.stringify(t.text)}`);
  }
  const n = Number(t.text);
  if (n > MAX_EXPANSION) throw new Error(`repetition too large in series values: ${t.text}`);
  return n;
}

function unexpected(t: Tok, expected: string): never {
  const what = t.kind === "eof" ? "end of input" : JSON.stringify(t.text);
  throw new Error(`unexpected ${what} in series values, expected ${expected}`);
}

/** The value sequence starting at `i` (just after the series identifier). */
function parseValues(s: string, i: number): SequenceValues {
  const out = new SequenceValues();
  const lex = new ValueLexer(s, i);
  let t = lex.next();
  if (t.kind !== "eof" && t.kind !== "space") unexpected(t, "a blank before the values");
  while (t.kind === "space") {
    t = lex.next();
    if (t.kind === "eof") break;
    t = parseItem(t, lex, out);
    if (t.kind !== "space" && t.kind !== "eof") unexpected(t, "a blank between values");
  }
  return out;
}

/** One item starting with token `t`; returns the token after it. */
function parseItem(t: Tok, lex: ValueLexer, out: SequenceValues): Tok {
  if (t.kind === "blank") {
    t = lex.next();
    if (t.kind !== "times") {
      out.pushOmitted();
      return t;
    }
    const n = uintValue(lex.next());
    for (let k = 0; k < n; k++) out.pushOmitted();
    return lex.next();
  }
  if (t.kind === "hist") {
    const base = t.hist!;
    t = lex.next();
    if (t.kind === "times") {
      const n = uintValue(lex.next());
      for (let k = 0; k <= n; k++) out.pushHistogram({ base, inc: null, k: 0, sign: 1 });
      return lex.next();
    }
    if (t.kind === "add" || t.kind === "sub") {
      const sign = t.kind === "add" ? 1 : -1;
      const incTok = lex.next();
      if (incTok.kind !== "hist") unexpected(incTok, "a histogram");
      if (lex.next().kind !== "times") throw new Error("expected 'x' after histogram increment");
      const n = uintValue(lex.next());
      for (let k = 0; k <= n; k++) out.pushHistogram({ base, inc: incTok.hist, k, sign });
      return lex.next();
    }
    out.pushHistogram({ base, inc: null, k: 0, sign: 1 });
    return t;
  }
  // series_value: `stale`, a number, or a signed number.
  const stale = t.kind === "ident";
  let value = 0;
  if (stale) {
    if (t.text !== "stale") unexpected(t, 'number or "stale"');
  } else if (t.kind === "add" || t.kind === "sub") {
    const n = lex.next();
    if (n.kind !== "number") unexpected(n, "number");
    value = t.kind === "sub" ? -numberValue(n) : numberValue(n);
  } else if (t.kind === "number") {
    value = numberValue(t);
  } else {
    unexpected(t, "a value");
  }
  const push = (v: number): void => {
    if (stale) out.pushFloatFrom(STALE_NAN_BITS, 0);
    else out.pushFloat(v);
  };
  t = lex.next();
  if (t.kind === "times") {
    const n = uintValue(lex.next());
    for (let k = 0; k <= n; k++) push(value);
    return lex.next();
  }
  if (t.kind === "add" || t.kind === "sub") {
    const n = lex.next();
    if (n.kind !== "number") unexpected(n, "number");
    const delta = t.kind === "sub" ? -numberValue(n) : numberValue(n);
    if (lex.next().kind !== "times") throw new Error("expected 'x' after the increment in series values");
    const times = uintValue(lex.next());
    // Repeated addition, as upstream does: `0.1+0.1x2` is 0.1, 0.2, 0.30000000000000004.
    for (let k = 0; k <= times; k++) {
      push(value);
      value += delta;
    }
    return lex.next();
  }
  push(value);
  return t;
}

const HINTS: readonly CounterResetHint[] = ["unknown", "reset", "not_reset", "gauge"];

/** The inside of `{{…}}`: blank-separated `key:value` items. */
export function parseHistogramLiteral(body: string): HistogramLiteral {
  const h: HistogramLiteral = {
    schema: 0,
    sum: 0,
    count: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    buckets: [],
    offset: 0,
    nBuckets: [],
    nOffset: 0,
    customValues: [],
    counterResetHint: "unknown",
    hintSet: false,
  };
  const s = body.trim();
  let i = 0;
  while (i < s.length) {
    const colon = s.indexOf(":", i);
    if (colon < 0) throw new Error(`bad histogram descriptor: ${JSON.stringify(s.slice(i))}`);
    const key = s.slice(i, colon).toLowerCase();
    i = colon + 1;
    let raw: string;
    if (s[i] === "[") {
      const close = s.indexOf("]", i);
      if (close < 0) throw new Error("unterminated bucket list in histogram literal");
      raw = s.slice(i + 1, close);
      i = close + 1;
    } else {
      let j = i;
      while (j < s.length && !isSpace(s[j])) j++;
      raw = s.slice(i, j);
      i = j;
    }
    i = skipSpaces(s, i);
    const num = (): number => {
      const v = parseGoNumber(raw);
      if (v === null) throw new Error(`bad number ${JSON.stringify(raw)} for histogram field ${key}`);
      return v;
    };
    const int = (): number => {
      const v = num();
      if (!Number.isInteger(v)) throw new Error(`histogram field ${key} needs an integer, got ${raw}`);
      return v;
    };
    const list = (): number[] =>
      raw
        .trim()
        .split(/\s+/)
        .filter((x) => x !== "")
        .map((x) => {
          const v = parseGoNumber(x);
          if (v === null) throw new Error(`bad bucket value ${JSON.stringify(x)} in histogram literal`);
          return v;
        });
    switch (key) {
      case "schema":
        h.schema = int();
        break;
      case "sum":
        h.sum = num();
        break;
      case "count":
        h.count = num();
        break;
      case "z_bucket":
        h.zeroCount = num();
        break;
      case "z_bucket_w":
        h.zeroThreshold = num();
        break;
      case "buckets":
        h.buckets = list();
        break;
      case "offset":
        h.offset = int();
        break;
      case "n_buckets":
        h.nBuckets = list();
        break;
      case "n_offset":
        h.nOffset = int();
        break;
      case "custom_values":
        h.customValues = list();
        break;
      case "counter_reset_hint": {
        const hint = HINTS.find((x) => x === raw.toLowerCase());
        if (hint === undefined) throw new Error(`bad counter reset hint ${JSON.stringify(raw)}`);
        h.counterResetHint = hint;
        h.hintSet = true;
        break;
      }
      default:
        throw new Error(`bad histogram descriptor found: ${JSON.stringify(key)}`);
    }
  }
  return h;
}
