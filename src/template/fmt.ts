/**
 * Go's `fmt.Sprintf`, `fmt.Sprint` and `fmt.Sprintln` over template values
 * (`print.go`): verbs, flags, width/precision (`*` and `[n]` indexes), Stringer and
 * error methods, `%!v(MISSING)`/`%!(EXTRA …)`/`%!d(string=x)` diagnostics, and Go's
 * default rendering of maps (`map[a:1]`), slices (`[a b]`), structs (`{a b}`) and nil.
 */

import { Fmt } from "./fmtcore.ts";
import { GoDuration } from "./time.ts";
import {
  findMethod,
  type GoComplex,
  goTypeInfo,
  isPlainObject,
  kindOf,
  sortedEntries,
  strOf,
  structFields,
  typeName,
} from "./values.ts";

const TOO_LARGE = 1_000_000;

/** An integer-kinded value's int64 (plain ints and `time.Duration`). */
export function intValue(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (v instanceof GoDuration) return v.nanoseconds;
  return undefined;
}

class Printer {
  readonly f = new Fmt();
  /** Print a top-level pointer-to-struct without `&` (text/template's `printableValue`). */
  derefTop = false;
  erroring = false;
  arg: unknown = undefined;
  goodArgNum = true;
  reordered = false;

  printArg(arg: unknown, verb: string): void {
    this.arg = arg;
    if (arg === undefined || arg === null) {
      if (verb === "T" || verb === "v") this.f.pad("<nil>");
      else this.badVerb(verb);
      return;
    }
    if (verb === "T") {
      this.f.fmtS(typeName(arg));
      return;
    }
    if (verb === "p") {
      this.badVerb(verb);
      return;
    }
    switch (typeof arg) {
      case "boolean":
        this.fmtBool(arg, verb);
        return;
      case "number":
        this.fmtFloat(arg, verb);
        return;
      case "bigint":
        this.fmtInteger(arg, verb);
        return;
      case "string":
        this.fmtString(arg, verb);
        return;
    }
    if (this.handleMethods(verb)) return;
    this.printValue(arg, verb, 0);
  }

  handleMethods(verb: string): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (!"vsxXq".includes(verb)) return false;
    const arg = this.arg;
    if (arg instanceof Error) {
      this.fmtString(arg.message, verb);
      return true;
    }
    for (const name of ["Error", "String"]) {
      const m = findMethod(arg, name);
      if (m !== undefined && m.length === 0) {
        const s = m.call(arg);
        if (typeof s === "string") {
          this.fmtString(s, verb);
          return true;
        }
      }
    }
    return false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === "t" || verb === "v") this.f.fmtBoolean(v);
    else this.badVerb(verb);
  }

  fmtInteger(v: bigint, verb: string): void {
    switch (verb) {
      case "v":
      case "d":
        this.f.fmtInteger(v, 10, true, verb, false);
        return;
      case "b":
        this.f.fmtInteger(v, 2, true, verb, false);
        return;
      case "o":
      case "O":
        this.f.fmtInteger(v, 8, true, verb, false);
        return;
      case "x":
        this.f.fmtInteger(v, 16, true, verb, false);
        return;
      case "X":
        this.f.fmtInteger(v, 16, true, verb, true);
        return;
      case "c":
        this.f.fmtC(v);
        return;
      case "q":
        this.f.fmtQc(v);
        return;
      case "U":
        this.f.fmtUnicode(v);
        return;
      default:
        this.badVerb(verb);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case "v":
        this.f.fmtFloat(v, "g", -1);
        return;
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        this.f.fmtFloat(v, verb, -1);
        return;
      case "f":
      case "e":
      case "E":
      case "F":
        this.f.fmtFloat(v, verb, 6);
        return;
      default:
        this.badVerb(verb);
    }
  }

  fmtComplex(v: GoComplex, verb: string): void {
    if (!"vbgGxXfFeE".includes(verb)) {
      this.badVerb(verb);
      return;
    }
    const oldPlus = this.f.plus;
    this.f.buf += "(";
    this.fmtFloat(v.re, verb);
    this.f.plus = true;
    this.fmtFloat(v.im, verb);
    this.f.buf += "i)";
    this.f.plus = oldPlus;
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case "v":
        if (this.f.sharpV) this.f.fmtQ(v);
        else this.f.fmtS(v);
        return;
      case "s":
        this.f.fmtS(v);
        return;
      case "x":
        this.f.fmtSx(v, false);
        return;
      case "X":
        this.f.fmtSx(v, true);
        return;
      case "q":
        this.f.fmtQ(v);
        return;
      default:
        this.badVerb(verb);
    }
  }

  badVerb(verb: string): void {
    this.erroring = true;
    this.f.buf += `%!${verb}(`;
    if (this.arg !== undefined && this.arg !== null) {
      this.f.buf += `${typeName(this.arg)}=`;
      this.printArg(this.arg, "v");
    } else {
      this.f.buf += "<nil>";
    }
    this.f.buf += ")";
    this.erroring = false;
  }

  printValue(v: unknown, verb: string, depth: number): void {
    if (depth > 0 && v !== undefined && v !== null) {
      this.arg = v;
      if (this.handleMethods(verb)) return;
    }
    this.arg = v;
    const iv = intValue(v);
    if (iv !== undefined) {
      this.fmtInteger(iv, verb);
      return;
    }
    switch (kindOf(v)) {
      case "invalid":
        if (depth === 0) this.f.buf += "<invalid reflect.Value>";
        else if (verb === "v") this.f.pad("<nil>");
        else this.badVerb(verb);
        return;
      case "bool":
        this.fmtBool(v as boolean, verb);
        return;
      case "float":
        this.fmtFloat(v as number, verb);
        return;
      case "string":
        this.fmtString(strOf(v), verb);
        return;
      case "complex":
        this.fmtComplex(v as GoComplex, verb);
        return;
      case "map":
        this.printMap(v, verb, depth);
        return;
      case "slice":
        this.printSlice(v as unknown[], verb, depth);
        return;
      case "func":
        this.f.buf += "0x0";
        return;
      default:
        this.printStruct(v as object, verb, depth);
        return;
    }
  }

  printMap(v: unknown, verb: string, depth: number): void {
    const sharpV = this.f.sharpV;
    this.f.buf += sharpV ? `${typeName(v)}{` : "map[";
    sortedEntries(v).forEach(([k, val], i) => {
      if (i > 0) this.f.buf += sharpV ? ", " : " ";
      this.printValue(k, verb, depth + 1);
      this.f.buf += ":";
      this.printValue(val, verb, depth + 1);
    });
    this.f.buf += sharpV ? "}" : "]";
  }

  printSlice(v: unknown[], verb: string, depth: number): void {
    const sharpV = this.f.sharpV;
    this.f.buf += sharpV ? `${typeName(v)}{` : "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) this.f.buf += sharpV ? ", " : " ";
      this.printValue(v[i], verb, depth + 1);
    }
    this.f.buf += sharpV ? "}" : "]";
  }

  printStruct(v: object, verb: string, depth: number): void {
    const sharpV = this.f.sharpV;
    if (goTypeInfo(v)?.pointer === true && depth === 0 && !this.derefTop) this.f.buf += "&";
    this.f.buf += sharpV ? `${isPlainObject(v) ? "struct" : typeName(v).replace(/^\*/, "")}{` : "{";
    structFields(v).forEach(([name, val], i) => {
      if (i > 0) this.f.buf += sharpV ? ", " : " ";
      if (this.f.plusV || sharpV) this.f.buf += `${name}:`;
      this.printValue(val, verb, depth + 1);
    });
    this.f.buf += "}";
  }

  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== "[") return [argNum, i, false];
    this.reordered = true;
    const close = format.indexOf("]", i + 1);
    if (format.length - i < 3 || close < 0) {
      this.goodArgNum = false;
      return [argNum, i + 1, false];
    }
    const [num, ok, next] = parseNum(format, i + 1, close);
    if (!ok || next !== close) {
      this.goodArgNum = false;
      return [argNum, close + 1, false];
    }
    const index = num - 1;
    if (index >= 0 && index < numArgs) return [index, close + 1, true];
    this.goodArgNum = false;
    return [argNum, close + 1, true];
  }

  doPrintf(format: string, a: readonly unknown[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== "%") i++;
      if (i > lasti) this.f.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.f.clearFlags();
      simple: for (; i < end; i++) {
        const c = format[i];
        switch (c) {
          case "#":
            this.f.sharp = true;
            break;
          case "0":
            this.f.zero = true;
            break;
          case "+":
            this.f.plus = true;
            break;
          case "-":
            this.f.minus = true;
            break;
          case " ":
            this.f.space = true;
            break;
          default:
            if (c >= "a" && c <= "z" && argNum < a.length) {
              if (c === "v") this.setV();
              this.printArg(a[argNum], c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === "*") {
        i++;
        [this.f.wid, this.f.widPresent, argNum] = intFromArg(a, argNum);
        if (!this.f.widPresent) this.f.buf += "%!(BADWIDTH)";
        if (this.f.wid < 0) {
          this.f.wid = -this.f.wid;
          this.f.minus = true;
          this.f.zero = false;
        }
        afterIndex = false;
      } else {
        [this.f.wid, this.f.widPresent, i] = parseNum(format, i, end);
        if (afterIndex && this.f.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === ".") {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === "*") {
          i++;
          [this.f.prec, this.f.precPresent, argNum] = intFromArg(a, argNum);
          if (this.f.prec < 0) {
            this.f.prec = 0;
            this.f.precPresent = false;
          }
          if (!this.f.precPresent) this.f.buf += "%!(BADPREC)";
          afterIndex = false;
        } else {
          [this.f.prec, this.f.precPresent, i] = parseNum(format, i, end);
          if (!this.f.precPresent) {
            this.f.prec = 0;
            this.f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        this.f.buf += "%!(NOVERB)";
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i)!);
      i += verb.length;
      if (verb === "%") this.f.buf += "%";
      else if (!this.goodArgNum) this.f.buf += `%!${verb}(BADINDEX)`;
      else if (argNum >= a.length) this.f.buf += `%!${verb}(MISSING)`;
      else {
        if (verb === "v") this.setV();
        this.printArg(a[argNum], verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < a.length) {
      this.f.clearFlags();
      this.f.buf += "%!(EXTRA ";
      a.slice(argNum).forEach((arg, k) => {
        if (k > 0) this.f.buf += ", ";
        if (arg === undefined || arg === null) this.f.buf += "<nil>";
        else {
          this.f.buf += `${typeName(arg)}=`;
          this.printArg(arg, "v");
        }
      });
      this.f.buf += ")";
    }
  }

  setV(): void {
    this.f.sharpV = this.f.sharp;
    this.f.sharp = false;
    this.f.plusV = this.f.plus;
    this.f.plus = false;
  }
}

function parseNum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i] >= "0" && s[i] <= "9"; i++) {
    if (num > TOO_LARGE) return [0, false, end];
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return [num, isnum, i];
}

function intFromArg(a: readonly unknown[], argNum: number): [number, boolean, number] {
  if (argNum >= a.length) return [0, false, argNum];
  const v = intValue(a[argNum]);
  let num = 0;
  let isInt = false;
  if (v !== undefined && v >= -(2n ** 63n) && v < 2n ** 63n) {
    num = Number(v);
    isInt = true;
  }
  if (num > TOO_LARGE || num < -TOO_LARGE) {
    num = 0;
    isInt = false;
  }
  return [num, isInt, argNum + 1];
}

/**
 * A value as a template action prints it (`fmt.Fprint` after text/template's
 * `printableValue`: a pointer to a struct prints as the struct).
 */
export function printValueString(v: unknown): string {
  if (typeof v === "string") return v;
  const p = new Printer();
  p.derefTop = true;
  p.printArg(v, "v");
  return p.f.buf;
}

/** Go's `fmt.Sprintf`. */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.f.buf;
}

/** Go's `fmt.Sprint`: spaces between operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = kindOf(arg) === "string";
    if (i > 0 && !isString && !prevString) p.f.buf += " ";
    p.f.clearFlags();
    p.printArg(arg, "v");
    prevString = isString;
  });
  return p.f.buf;
}

/** Go's `fmt.Sprintln`: operands separated by spaces, newline appended. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.f.buf += " ";
    p.f.clearFlags();
    p.printArg(arg, "v");
  });
  return `${p.f.buf}\n`;
}
