/**
 * The PromQL lexer, after upstream's `promql/parser/lex.go` as of v3.5: a scanner
 * with three modes (expression, inside `{…}`, right after `[`) that hands out one
 * item at a time. It does not depend on the parser, so its quirks are upstream's:
 * a letter inside `[…]` after the range counts as the `:` of a subquery, `Inf` and
 * `NaN` are numbers outside braces but label names inside, and the first lexing
 * error ends the token stream.
 *
 * Positions are UTF-16 indices into the input (the parser converts them to bytes
 * only when printing line:col).
 */

import { goQuote } from "../../model/labels/strings.ts";

/** Item types. The operator, aggregator and keyword groups are contiguous ranges. */
export const T = {
  EOF: 0,
  ERROR: 1,
  IDENTIFIER: 2,
  METRIC_IDENTIFIER: 3,
  NUMBER: 4,
  DURATION: 5,
  STRING: 6,
  LEFT_PAREN: 7,
  RIGHT_PAREN: 8,
  LEFT_BRACE: 9,
  RIGHT_BRACE: 10,
  LEFT_BRACKET: 11,
  RIGHT_BRACKET: 12,
  COMMA: 13,
  EQL: 14,
  COLON: 15,
  // Operators.
  ADD: 20,
  DIV: 21,
  EQLC: 22,
  EQL_REGEX: 23,
  GTE: 24,
  GTR: 25,
  LAND: 26,
  LOR: 27,
  LSS: 28,
  LTE: 29,
  LUNLESS: 30,
  MOD: 31,
  MUL: 32,
  NEQ: 33,
  NEQ_REGEX: 34,
  POW: 35,
  SUB: 36,
  AT: 37,
  ATAN2: 38,
  // Aggregators.
  AVG: 40,
  BOTTOMK: 41,
  COUNT: 42,
  COUNT_VALUES: 43,
  GROUP: 44,
  MAX: 45,
  MIN: 46,
  QUANTILE: 47,
  STDDEV: 48,
  STDVAR: 49,
  SUM: 50,
  TOPK: 51,
  LIMITK: 52,
  LIMIT_RATIO: 53,
  // Keywords.
  BOOL: 60,
  BY: 61,
  GROUP_LEFT: 62,
  GROUP_RIGHT: 63,
  IGNORING: 64,
  OFFSET: 65,
  ON: 66,
  WITHOUT: 67,
  // @ modifier preprocessors.
  START: 70,
  END: 71,
} as const;

export type ItemType = (typeof T)[keyof typeof T];

export function isOperator(t: ItemType): boolean {
  return t >= T.ADD && t <= T.ATAN2;
}

export function isAggregator(t: ItemType): boolean {
  return t >= T.AVG && t <= T.LIMIT_RATIO;
}

export function isKeyword(t: ItemType): boolean {
  return t >= T.BOOL && t <= T.WITHOUT;
}

/** A lexed token. `val` is the exact source text, or the message of an ERROR item. */
export interface Item {
  type: ItemType;
  /** UTF-16 index of the first character. */
  pos: number;
  val: string;
}

/** Words that lex as keywords (matched case-insensitively outside braces). */
const KEYWORDS: ReadonlyMap<string, ItemType> = new Map<string, ItemType>([
  ["and", T.LAND],
  ["or", T.LOR],
  ["unless", T.LUNLESS],
  ["atan2", T.ATAN2],
  ["sum", T.SUM],
  ["avg", T.AVG],
  ["count", T.COUNT],
  ["min", T.MIN],
  ["max", T.MAX],
  ["group", T.GROUP],
  ["stddev", T.STDDEV],
  ["stdvar", T.STDVAR],
  ["topk", T.TOPK],
  ["bottomk", T.BOTTOMK],
  ["count_values", T.COUNT_VALUES],
  ["quantile", T.QUANTILE],
  ["limitk", T.LIMITK],
  ["limit_ratio", T.LIMIT_RATIO],
  ["offset", T.OFFSET],
  ["by", T.BY],
  ["without", T.WITHOUT],
  ["on", T.ON],
  ["ignoring", T.IGNORING],
  ["group_left", T.GROUP_LEFT],
  ["group_right", T.GROUP_RIGHT],
  ["bool", T.BOOL],
  ["start", T.START],
  ["end", T.END],
  ["inf", T.NUMBER],
  ["nan", T.NUMBER],
]);

/** Types with a fixed spelling, which error messages show in place of a description. */
const FIXED_SPELLING: ReadonlySet<ItemType> = new Set<ItemType>([
  T.LEFT_PAREN,
  T.RIGHT_PAREN,
  T.LEFT_BRACE,
  T.RIGHT_BRACE,
  T.LEFT_BRACKET,
  T.RIGHT_BRACKET,
  T.COMMA,
  T.EQL,
  T.COLON,
  T.ADD,
  T.DIV,
  T.EQLC,
  T.EQL_REGEX,
  T.GTE,
  T.GTR,
  T.LAND,
  T.LOR,
  T.LSS,
  T.LTE,
  T.LUNLESS,
  T.MOD,
  T.MUL,
  T.NEQ,
  T.NEQ_REGEX,
  T.POW,
  T.SUB,
  T.ATAN2,
  ...[...KEYWORDS.values()].filter((t) => t !== T.NUMBER),
]);

const EOF_RUNE = -1;
const RUNE_ERROR = 0xfffd;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0a || r === 0x0d;
}

function isDigit(r: number): boolean {
  return r >= 0x30 && r <= 0x39;
}

function isAlpha(r: number): boolean {
  return r === 0x5f || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a);
}

function isAlphaNumeric(r: number): boolean {
  return isAlpha(r) || isDigit(r);
}

function digitVal(r: number): number {
  if (r >= 0x30 && r <= 0x39) return r - 0x30;
  if (r >= 0x61 && r <= 0x66) return r - 0x61 + 10;
  if (r >= 0x41 && r <= 0x46) return r - 0x41 + 10;
  return 16;
}

/** The item of a one-character arithmetic operator (`+ - * / % ^`), or null. */
function arithmeticOp(r: number): ItemType | null {
  switch (r) {
    case 0x2b:
      return T.ADD;
    case 0x2d:
      return T.SUB;
    case 0x2a:
      return T.MUL;
    case 0x2f:
      return T.DIV;
    case 0x25:
      return T.MOD;
    case 0x5e:
      return T.POW;
    default:
      return null;
  }
}

function inSet(set: string, r: number): boolean {
  return r >= 0 && r < 0x80 && set.includes(String.fromCharCode(r));
}

// Go's unicode.IsPrint over one code point (a fixed pattern: safe for RegExp).
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isPrint(r: number): boolean {
  if (r === 0x20) return true;
  if (r < 0x20 || r === 0x7f) return false;
  return PRINTABLE.test(String.fromCodePoint(r));
}

function validRune(r: number): boolean {
  return r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);
}

/** Go's `%q` of a rune (`strconv.QuoteRune`). */
export function quoteRune(r: number): string {
  const c = validRune(r) ? r : RUNE_ERROR;
  switch (c) {
    case 0x07:
      return "'\\a'";
    case 0x08:
      return "'\\b'";
    case 0x0c:
      return "'\\f'";
    case 0x0a:
      return "'\\n'";
    case 0x0d:
      return "'\\r'";
    case 0x09:
      return "'\\t'";
    case 0x0b:
      return "'\\v'";
    case 0x5c:
      return "'\\\\'";
    case 0x27:
      return "'\\''";
  }
  if (isPrint(c)) return `'${String.fromCodePoint(c)}'`;
  if (c < 0x80) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  if (c < 0x10000) return `'\\u${c.toString(16).padStart(4, "0")}'`;
  return `'\\U${c.toString(16).padStart(8, "0")}'`;
}

/** Go's `%#U` of a rune: `U+0063 'c'` (the character only when printable). */
function formatRuneU(r: number): string {
  const hex = `U+${r.toString(16).toUpperCase().padStart(4, "0")}`;
  return isPrint(r) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** How an item reads in an `unexpected …` message (upstream's `Item.desc()`). */
export function describeItem(it: Item): string {
  if (it.type === T.EOF) return "end of input";
  if (FIXED_SPELLING.has(it.type)) return itemString(it);
  let kind: string;
  switch (it.type) {
    case T.ERROR:
      kind = "error";
      break;
    case T.IDENTIFIER:
      kind = "identifier";
      break;
    case T.METRIC_IDENTIFIER:
      kind = "metric identifier";
      break;
    case T.STRING:
      kind = "string";
      break;
    case T.NUMBER:
      kind = "number";
      break;
    case T.DURATION:
      kind = "duration";
      break;
    default:
      // Upstream's table of spellings lacks `@` in v3.5; it prints the raw type number.
      kind = it.type === T.AT ? '"<Item 57400>"' : `"<Item ${it.type}>"`;
  }
  return `${kind} ${itemString(it)}`;
}

/** Upstream's `Item.String()`. */
function itemString(it: Item): string {
  if (it.type === T.EOF) return "EOF";
  if (it.type === T.ERROR) return it.val;
  if (it.type === T.IDENTIFIER || it.type === T.METRIC_IDENTIFIER) return goQuote(it.val);
  if (isKeyword(it.type)) return `<${it.val}>`;
  if (isOperator(it.type)) return `<op:${it.val}>`;
  if (isAggregator(it.type)) return `<aggr:${it.val}>`;
  if (utf8Length(it.val) > 10) return `${goQuote(Array.from(it.val).slice(0, 10).join(""))}...`;
  return goQuote(it.val);
}

const MODE_STATEMENTS = 0;
const MODE_BRACES = 1;
const MODE_DURATION = 2;

/** Scans PromQL text into items; call {@link Lexer.next} until EOF or ERROR. */
export class Lexer {
  readonly input: string;
  private pos = 0;
  private start = 0;
  /** Width in UTF-16 units of the last rune read (0 at end of input). */
  private width = 0;
  private parenDepth = 0;
  private bracketOpen = false;
  private gotColon = false;
  private gotDuration = false;
  private mode = MODE_STATEMENTS;
  private quote = 0;
  private done = false;

  constructor(input: string) {
    this.input = input;
  }

  /** The next item; comments are skipped. After an ERROR item only EOF follows. */
  next(): Item {
    for (;;) {
      if (this.done) return { type: T.EOF, pos: this.start, val: "" };
      let it: Item | null;
      if (this.mode === MODE_BRACES) it = this.lexInsideBraces();
      else if (this.mode === MODE_DURATION) it = this.lexDurationStart();
      else it = this.lexStatement();
      if (it !== null) return it;
    }
  }

  private nextRune(): number {
    const s = this.input;
    if (this.pos >= s.length) {
      this.width = 0;
      return EOF_RUNE;
    }
    const c = s.charCodeAt(this.pos);
    if (c >= 0xd800 && c <= 0xdbff && this.pos + 1 < s.length) {
      const d = s.charCodeAt(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        this.width = 2;
        this.pos += 2;
        return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
      }
    }
    this.width = 1;
    this.pos += 1;
    // A lone surrogate is what invalid UTF-8 would have decoded to.
    return c >= 0xd800 && c <= 0xdfff ? RUNE_ERROR : c;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private peek(): number {
    const r = this.nextRune();
    this.backup();
    return r;
  }

  private accept(set: string): boolean {
    if (inSet(set, this.nextRune())) return true;
    this.backup();
    return false;
  }

  private acceptRun(set: string): void {
    while (inSet(set, this.nextRune()));
    this.backup();
  }

  private emit(type: ItemType): Item {
    const it: Item = { type, pos: this.start, val: this.input.slice(this.start, this.pos) };
    this.start = this.pos;
    return it;
  }

  private ignore(): void {
    this.start = this.pos;
  }

  private error(message: string): Item {
    this.done = true;
    return { type: T.ERROR, pos: this.start, val: message };
  }

  private rightParen(): Item {
    const it = this.emit(T.RIGHT_PAREN);
    this.parenDepth--;
    if (this.parenDepth < 0) return this.error("unexpected right parenthesis ')'");
    return it;
  }

  private skipSpaces(): void {
    while (isSpace(this.peek())) this.nextRune();
    this.ignore();
  }

  private skipComment(): null {
    const s = this.input;
    let i = this.pos + 1;
    while (i < s.length && s.charCodeAt(i) !== 0x0a && s.charCodeAt(i) !== 0x0d) i++;
    this.pos = i;
    this.ignore();
    return null;
  }

  private lexStatement(): Item | null {
    if (this.input.charCodeAt(this.pos) === 0x23) return this.skipComment();
    const r = this.nextRune();
    const op = arithmeticOp(r);
    if (op !== null) return this.emit(op);
    switch (r) {
      case EOF_RUNE:
        if (this.parenDepth !== 0) return this.error("unclosed left parenthesis");
        if (this.bracketOpen) return this.error("unclosed left bracket");
        this.done = true;
        return this.emit(T.EOF);
      case 0x2c:
        return this.emit(T.COMMA);
      case 0x40:
        return this.emit(T.AT);
      case 0x3d: {
        const t = this.peek();
        if (t === 0x3d) {
          this.nextRune();
          return this.emit(T.EQLC);
        }
        if (t === 0x7e) return this.error(`unexpected character after '=': ${quoteRune(t)}`);
        return this.emit(T.EQL);
      }
      case 0x21: {
        const t = this.nextRune();
        if (t !== 0x3d) return this.error(`unexpected character after '!': ${quoteRune(t)}`);
        return this.emit(T.NEQ);
      }
      case 0x3c:
        if (this.peek() === 0x3d) {
          this.nextRune();
          return this.emit(T.LTE);
        }
        return this.emit(T.LSS);
      case 0x3e:
        if (this.peek() === 0x3d) {
          this.nextRune();
          return this.emit(T.GTE);
        }
        return this.emit(T.GTR);
      case 0x22:
      case 0x27:
      case 0x60:
        return this.lexQuoted(r);
      case 0x28:
        this.parenDepth++;
        return this.emit(T.LEFT_PAREN);
      case 0x29:
        return this.rightParen();
      case 0x7b:
        this.mode = MODE_BRACES;
        return this.emit(T.LEFT_BRACE);
      case 0x5b: {
        if (this.bracketOpen) return this.error("unexpected left bracket '['");
        this.gotColon = false;
        const it = this.emit(T.LEFT_BRACKET);
        this.skipSpaces();
        this.bracketOpen = true;
        this.mode = MODE_DURATION;
        return it;
      }
      case 0x5d:
        if (!this.bracketOpen) return this.error("unexpected right bracket ']'");
        this.bracketOpen = false;
        return this.emit(T.RIGHT_BRACKET);
    }
    if (isSpace(r)) {
      this.skipSpaces();
      return null;
    }
    if (isDigit(r) || (r === 0x2e && isDigit(this.peek()))) {
      this.backup();
      return this.lexNumberOrDuration();
    }
    if (isAlpha(r) || r === 0x3a) {
      if (!this.bracketOpen) {
        this.backup();
        return this.lexKeywordOrIdentifier();
      }
      // Inside brackets after the range, any letter or colon is taken as the
      // subquery colon (v3.5 behaviour: `x[5s x 5s]` is `x[5s:5s]`).
      if (this.gotColon) return this.error(`unexpected colon ${quoteRune(r)}`);
      this.gotColon = true;
      return this.emit(T.COLON);
    }
    return this.error(`unexpected character: ${quoteRune(r)}`);
  }

  private lexInsideBraces(): Item | null {
    if (this.input.charCodeAt(this.pos) === 0x23) return this.skipComment();
    const r = this.nextRune();
    if (r === EOF_RUNE) return this.error("unexpected end of input inside braces");
    if (isSpace(r)) {
      this.skipSpaces();
      return null;
    }
    if (isAlpha(r)) {
      while (isAlphaNumeric(this.nextRune()));
      this.backup();
      return this.emit(T.IDENTIFIER);
    }
    switch (r) {
      case 0x2c:
        return this.emit(T.COMMA);
      case 0x22:
      case 0x27:
      case 0x60:
        return this.lexQuoted(r);
      case 0x3d:
        if (this.nextRune() === 0x7e) return this.emit(T.EQL_REGEX);
        this.backup();
        return this.emit(T.EQL);
      case 0x21: {
        const t = this.nextRune();
        if (t === 0x7e) return this.emit(T.NEQ_REGEX);
        if (t === 0x3d) return this.emit(T.NEQ);
        return this.error(`unexpected character after '!' inside braces: ${quoteRune(t)}`);
      }
      case 0x7b:
        return this.error("unexpected left brace '{'");
      case 0x7d:
        this.mode = MODE_STATEMENTS;
        return this.emit(T.RIGHT_BRACE);
    }
    return this.error(`unexpected character inside braces: ${quoteRune(r)}`);
  }

  /** Right after `[` (and after operators/parentheses before the first number). */
  private lexDurationStart(): Item | null {
    const r = this.nextRune();
    const op = arithmeticOp(r);
    if (op !== null) return this.emit(op);
    switch (r) {
      case EOF_RUNE:
        return this.error("unexpected end of input in duration expression");
      case 0x5d:
        this.bracketOpen = false;
        this.gotColon = false;
        this.mode = MODE_STATEMENTS;
        return this.emit(T.RIGHT_BRACKET);
      case 0x3a: {
        const it = this.emit(T.COLON);
        if (!this.gotDuration) return this.error("unexpected colon before duration in duration expression");
        if (this.gotColon) return this.error("unexpected repeated colon in duration expression");
        this.gotColon = true;
        return it;
      }
      case 0x28:
        this.parenDepth++;
        return this.emit(T.LEFT_PAREN);
      case 0x29:
        return this.rightParen();
    }
    if (isSpace(r)) {
      this.skipSpaces();
      return null;
    }
    if (isDigit(r) || (r === 0x2e && isDigit(this.peek()))) {
      this.backup();
      this.gotDuration = true;
      this.mode = MODE_STATEMENTS;
      return this.lexNumberOrDuration();
    }
    return this.error(`unexpected character in duration expression: ${quoteRune(r)}`);
  }

  private lexNumberOrDuration(): Item {
    if (this.scanNumber()) return this.emit(T.NUMBER);
    if (this.acceptRemainingDuration()) {
      this.backup();
      return this.emit(T.DURATION);
    }
    return this.error(`bad number or duration syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
  }

  /** Consumes what may be a number; false when it is not one (maybe a duration). */
  private scanNumber(): boolean {
    const initial = this.pos;
    let digits = "0123456789";
    if (this.accept("0") && this.accept("xX")) {
      this.accept("_");
      digits = "0123456789abcdefABCDEF";
    }
    const hex = digits.length > 10;
    this.accept(".");
    this.accept(digits);
    let dot = false;
    let exponent = false;
    const any = `${digits}._eE`;
    while (inSet(any, this.peek())) {
      const p = this.peek();
      if (p === 0x2e && dot) {
        this.accept(".");
        return false;
      }
      if ((p === 0x65 || p === 0x45) && exponent) {
        this.accept("eE");
        return false;
      }
      if (this.accept(".")) {
        dot = true;
        if (this.accept("_.")) return false;
        if (hex) return false;
        continue;
      }
      if (this.accept("eE")) {
        exponent = true;
        this.accept("+-");
        if (this.accept("._eE") || this.peek() === EOF_RUNE) return false;
        continue;
      }
      if (this.accept("_")) {
        if (this.accept("._eE") || this.peek() === EOF_RUNE) return false;
        continue;
      }
      this.acceptRun(digits);
    }
    if (this.pos === initial) return false;
    return !isAlphaNumeric(this.peek());
  }

  private acceptRemainingDuration(): boolean {
    if (!this.accept("smhdwy")) return false;
    this.accept("s");
    while (this.accept("0123456789")) {
      while (this.accept("0123456789"));
      if (!this.accept("smhdw")) return false;
      this.accept("s");
    }
    return !isAlphaNumeric(this.nextRune());
  }

  private lexKeywordOrIdentifier(): Item {
    for (;;) {
      const r = this.nextRune();
      if (!(isAlphaNumeric(r) || r === 0x3a)) break;
    }
    this.backup();
    const word = this.input.slice(this.start, this.pos);
    const kw = KEYWORDS.get(word.toLowerCase());
    if (kw !== undefined) return this.emit(kw);
    return this.emit(word.includes(":") ? T.METRIC_IDENTIFIER : T.IDENTIFIER);
  }

  /** The string opened by quote `q`: `"`, `'` (with escapes) or a backquote (raw). */
  private lexQuoted(q: number): Item {
    if (q === 0x60) return this.lexRawString();
    this.quote = q;
    return this.lexString();
  }

  private lexString(): Item {
    for (;;) {
      const r = this.nextRune();
      if (r === 0x5c) {
        const err = this.lexEscape();
        if (err !== null) return err;
        continue;
      }
      if (r === RUNE_ERROR) return this.error("invalid UTF-8 rune");
      if (r === EOF_RUNE || r === 0x0a) return this.error("unterminated quoted string");
      if (r === this.quote) break;
    }
    return this.emit(T.STRING);
  }

  /** Validates one escape sequence (the backslash is consumed). */
  private lexEscape(): Item | null {
    let ch = this.nextRune();
    let n: number;
    let base: number;
    let max: number;
    switch (ch) {
      case 0x61: // a
      case 0x62: // b
      case 0x66: // f
      case 0x6e: // n
      case 0x72: // r
      case 0x74: // t
      case 0x76: // v
      case 0x5c:
        return null;
      case 0x78: // x
      case 0x75: // u
      case 0x55: // U
        n = ch === 0x78 ? 2 : ch === 0x75 ? 4 : 8;
        base = 16;
        max = ch === 0x78 ? 255 : 0x10ffff;
        ch = this.nextRune();
        break;
      case EOF_RUNE:
        return this.error("escape sequence not terminated");
      default:
        if (ch === this.quote) return null;
        if (ch >= 0x30 && ch <= 0x37) {
          n = 3;
          base = 8;
          max = 255;
          break;
        }
        return this.error(`unknown escape sequence ${formatRuneU(ch)}`);
    }
    let x = 0;
    while (n > 0) {
      const d = digitVal(ch);
      if (d >= base) {
        if (ch === EOF_RUNE) return this.error("escape sequence not terminated");
        return this.error(`illegal character ${formatRuneU(ch)} in escape sequence`);
      }
      x = x * base + d;
      n--;
      if (n > 0) ch = this.nextRune();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000))
      return this.error("escape sequence is an invalid Unicode code point");
    return null;
  }

  private lexRawString(): Item {
    for (;;) {
      const r = this.nextRune();
      if (r === RUNE_ERROR) return this.error("invalid UTF-8 rune");
      if (r === EOF_RUNE) return this.error("unterminated raw string");
      if (r === 0x60) break;
    }
    return this.emit(T.STRING);
  }
}
