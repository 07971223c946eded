import {
  C_DIGIT,
  C_LABEL,
  C_LABEL_START,
  C_NAME,
  C_NAME_START,
  CLASS,
  decodeUtf8,
  goQuote,
  scanQuoted,
  validUtf8,
} from "./bytes.ts";
import { parseFloatBytes, parseIntBytes } from "./parsefloat.ts";
import { Entry, type ParserLimits } from "./parser.ts";
import { T, TextParser } from "./textparser.ts";
import type { Format, MetricType } from "./types.ts";

// Lexer states, as upstream's promlex.l.
const S_INIT = 0;
const S_COMMENT = 1;
const S_META1 = 2;
const S_META2 = 3;
const S_LABELS = 4;
const S_LVALUE = 5;
const S_VALUE = 6;
const S_TIMESTAMP = 7;

const NL = 0x0a;

/**
 * Parser for the Prometheus text format 0.0.4 with the leniency of
 * Prometheus 3.5's scraper (`model/textparse/promparse.go`): whitespace is
 * skipped between tokens, commas between labels are optional, a trailing
 * comma is allowed, quoted UTF-8 metric and label names are accepted.
 * The input is treated as if it ended with a newline.
 *
 * Hot path: guarded by `npm run bench -- exposition`.
 */
export class PromParser extends TextParser {
  readonly format: Format = "prometheus-text";
  /** Apply the reference Go parser's stricter syntax (see `NewParserOptions.expfmt`). */
  private readonly expfmt: boolean;

  constructor(b: Uint8Array, opts: ParserLimits & { readonly expfmt?: boolean } = {}) {
    super(b, opts);
    this.virtualNewline = true;
    this.expfmt = opts.expfmt ?? false;
  }

  /** The byte at `i`, a virtual newline at the end, -1 past it. */
  private at(i: number): number {
    return i < this.n ? this.b[i] : i === this.n ? NL : -1;
  }

  private lex(): number {
    const b = this.b;
    let i = this.i;
    let c = this.at(i);
    if (c < 0) return T.EOF; // the previous token's start stays, as upstream
    this.tokStart = i;
    if (c === 0x20 || c === 0x09) {
      do c = this.at(++i);
      while (c === 0x20 || c === 0x09);
      // In META2 the rest of the line is TEXT unless it is only blanks (rule order).
      if (this.state !== S_META2 || c === NL) {
        this.i = i;
        return T.WHITESPACE;
      }
      i = this.tokStart;
      c = this.at(i);
    }
    switch (this.state) {
      case S_INIT:
        if (c === NL) {
          this.i = i + 1;
          return T.LINEBREAK;
        }
        if (c === 0) return T.EOF;
        if (c === 0x23 /* # */) {
          i++;
          c = this.at(i);
          if (c !== 0x20 && c !== 0x09) return this.consumeComment(i);
          while (c === 0x20 || c === 0x09) c = this.at(++i);
          this.state = S_COMMENT;
          return this.lexComment(i);
        }
        if (c === 0x7b /* { */) {
          this.i = i + 1;
          this.state = S_LABELS;
          return T.BOPEN;
        }
        if (c < 0x80 && CLASS[c] & C_NAME_START) {
          i++;
          while (i < this.n && CLASS[b[i]] & C_NAME) i++;
          this.i = i;
          this.state = S_VALUE;
          return T.MNAME;
        }
        break;
      case S_VALUE:
        if (c === 0x7b) {
          this.i = i + 1;
          this.state = S_LABELS;
          return T.BOPEN;
        }
        if (c !== NL && c !== 0) {
          // `[^{ \t\n]+`; the lexer upstream never matches a NUL byte in a token.
          while (i < this.n && (c = b[i]) !== 0x20 && c !== 0x09 && c !== NL && c !== 0x7b && c !== 0) i++;
          this.i = i;
          this.state = S_TIMESTAMP;
          return T.VALUE;
        }
        break;
      case S_LABELS:
        if (c < 0x80 && CLASS[c] & C_LABEL_START) {
          i++;
          while (i < this.n && CLASS[b[i]] & C_LABEL) i++;
          this.i = i;
          return T.LNAME;
        }
        if (c === 0x22) return this.lexQuoted(i, S_LABELS, T.QSTRING);
        if (c === 0x7d /* } */) {
          this.i = i + 1;
          this.state = S_VALUE;
          return T.BCLOSE;
        }
        if (c === 0x3d /* = */) {
          this.i = i + 1;
          this.state = S_LVALUE;
          return T.EQUAL;
        }
        if (c === 0x2c /* , */) {
          this.i = i + 1;
          return T.COMMA;
        }
        break;
      case S_LVALUE:
        if (c === 0x22) return this.lexQuoted(i, S_LABELS, T.LVALUE);
        break;
      case S_TIMESTAMP:
        if (this.expfmt && (c === 0x2d || c === 0x2b) && CLASS[this.at(i + 1) & 0xff] & C_DIGIT) i++;
        if (CLASS[this.at(i) & 0xff] & C_DIGIT) {
          i++;
          while (i < this.n && CLASS[b[i]] & C_DIGIT) i++;
          this.i = i;
          return T.TIMESTAMP;
        }
        if (c === NL) {
          this.i = i + 1;
          this.state = S_INIT;
          return T.LINEBREAK;
        }
        break;
      case S_COMMENT:
        return this.lexComment(i);
      case S_META1:
        if (c === 0x22) return this.lexQuoted(i, S_META2, T.MNAME);
        if (c < 0x80 && CLASS[c] & C_NAME_START) {
          i++;
          while (i < this.n && CLASS[b[i]] & C_NAME) i++;
          this.i = i;
          this.state = S_META2;
          return T.MNAME;
        }
        break;
      case S_META2:
        i = lineEnd(b, i);
        this.i = i;
        this.state = S_INIT;
        return T.TEXT;
    }
    this.i = i;
    return T.INVALID;
  }

  /** After `# `: HELP or TYPE followed by blanks, else a comment to end of line. */
  private lexComment(i: number): number {
    const b = this.b;
    if (i + 4 < this.n) {
      const isHelp = b[i] === 0x48 && b[i + 1] === 0x45 && b[i + 2] === 0x4c && b[i + 3] === 0x50;
      const isType = b[i] === 0x54 && b[i + 1] === 0x59 && b[i + 2] === 0x50 && b[i + 3] === 0x45;
      const blank = b[i + 4] === 0x20 || b[i + 4] === 0x09;
      if ((isHelp || isType) && blank) {
        let j = i + 5;
        while (j < this.n && (b[j] === 0x20 || b[j] === 0x09)) j++;
        this.i = j;
        this.state = S_META1;
        return isHelp ? T.HELP : T.TYPE;
      }
    }
    return this.consumeComment(i);
  }

  /** Consumes to the end of the line (not the newline itself). */
  private consumeComment(i: number): number {
    const b = this.b;
    while (i < this.n && b[i] !== NL) {
      if (b[i] === 0 && this.state !== S_COMMENT) {
        this.i = i;
        return T.EOF;
      }
      i++;
    }
    this.i = i;
    this.state = S_INIT;
    return T.COMMENT;
  }

  /** A quoted string token (see `scanQuoted`). */
  private lexQuoted(i: number, nextState: number, tok: number): number {
    const end = scanQuoted(this.b, i, true, tok === T.LVALUE);
    if (end < 0) {
      this.i = -1 - end;
      return T.INVALID;
    }
    this.i = end;
    this.state = nextState;
    return tok;
  }

  private nextToken(): number {
    for (;;) {
      const t = this.lex();
      if (t !== T.WHITESPACE) return t;
    }
  }

  next(): Entry {
    for (;;) {
      this.beginEntry();
      if (!this.expfmt && this.state === S_INIT) {
        const fast = this.fastLine();
        if (fast !== FAST_MISS) return fast;
      }
      const t = this.nextToken();
      switch (t) {
        case T.EOF:
          return Entry.EOF;
        case T.LINEBREAK:
          continue; // blank lines are allowed
        case T.HELP:
        case T.TYPE:
          return this.parseMetadata(t);
        case T.COMMENT: {
          this.textEscapes = "none";
          this.textS = this.tokStart;
          this.textE = this.i;
          const t2 = this.nextToken();
          if (t2 !== T.LINEBREAK && t2 !== T.EOF)
            throw this.tokenError("linebreak expected after comment", t2);
          this.checkLineLength();
          return Entry.Comment;
        }
        case T.BOPEN:
          this.seriesStart = this.tokStart;
          this.parseLabelSet();
          this.seriesEnd = this.i;
          return this.parseMetricSuffix(this.nextToken());
        case T.MNAME: {
          this.seriesStart = this.tokStart;
          this.nameS = this.tokStart;
          this.nameE = this.i;
          this.seriesEnd = this.i;
          let t2 = this.nextToken();
          if (t2 === T.BOPEN) {
            this.parseLabelSet();
            this.seriesEnd = this.i;
            t2 = this.nextToken();
          }
          return this.parseMetricSuffix(t2);
        }
        default:
          throw this.tokenError("expected a valid start token", t);
      }
    }
  }

  private parseMetadata(t: number): Entry {
    const kind = t === T.HELP ? "HELP" : "TYPE";
    this.textEscapes = "help";
    const t2 = this.nextToken();
    if (t2 !== T.MNAME) {
      if (this.expfmt && this.at(this.tokStart) === NL) {
        // expfmt reads `# HELP ` without a name as a plain comment.
        this.i = this.tokStart;
        this.state = S_INIT;
        return this.next();
      }
      throw this.tokenError(`expected metric name after ${kind}`, t2);
    }
    this.setNameFromToken();
    if (this.expfmt) {
      // expfmt: the name must end at a blank; a HELP or TYPE without text is a comment.
      const c = this.at(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== NL) throw this.errorAt(this.i, "invalid metric name in comment");
      let j = this.i;
      while (this.at(j) === 0x20 || this.at(j) === 0x09) j++;
      if (this.at(j) === NL) {
        this.textS = this.start;
        this.textE = j;
        this.i = j;
        this.state = S_INIT;
        this.nextToken();
        return Entry.Comment;
      }
    }
    const t3 = this.nextToken();
    if (t3 !== T.TEXT) throw this.errorAt(this.tokStart, `expected text in ${kind}`);
    // Upstream drops the first character of TEXT: the blank after the name.
    this.textS = this.i > this.tokStart ? this.tokStart + 1 : this.tokStart;
    this.textE = this.i;
    if (t === T.TYPE) this.type = this.parseType();
    else if (this.expfmt) this.checkEscapes(this.textS, this.textE, false);
    if (t === T.HELP && !validUtf8(this.b, this.textS, this.textE)) {
      throw this.errorAt(
        this.textS,
        `help text ${goQuote(this.b, this.textS, this.textE)} is not a valid utf8 string`,
      );
    }
    const t4 = this.nextToken();
    if (t4 !== T.LINEBREAK && t4 !== T.EOF) throw this.tokenError("linebreak expected after metadata", t4);
    this.checkLineLength();
    return t === T.HELP ? Entry.Help : Entry.Type;
  }

  private setNameFromToken(): void {
    let s = this.tokStart;
    let e = this.i;
    if (this.b[s] === 0x22 && e - s >= 2 && this.b[e - 1] === 0x22) {
      s++;
      e--;
    }
    this.nameS = s;
    this.nameE = e;
  }

  private parseType(): MetricType {
    const t = typeKeyword(this.b, this.textS, this.textE);
    if (t === undefined) {
      const s = decodeUtf8(this.b, this.textS, this.textE);
      throw this.errorAt(this.textS, `invalid metric type ${JSON.stringify(s)}`);
    }
    return t;
  }

  /** The contents of `{…}` after BOPEN, as upstream's `parseLVals`. */
  private parseLabelSet(): void {
    const b = this.b;
    let t = this.nextToken();
    for (;;) {
      if (t === T.BCLOSE) return;
      if (t !== T.LNAME && t !== T.QSTRING) throw this.tokenError("expected label name", t);
      const isQ = t === T.QSTRING;
      let ns = this.tokStart;
      let ne = this.i;
      t = this.nextToken();
      if (isQ && (t === T.COMMA || t === T.BCLOSE)) {
        // A lone quoted string is the metric name.
        if (this.nameS !== -1) {
          throw this.errorAt(ns, `metric name already set while parsing: ${goQuote(b, this.start, this.i)}`);
        }
        this.nameS = ns + 1;
        this.nameE = ne - 1;
        if (t === T.BCLOSE) return;
        t = this.nextToken();
        continue;
      }
      if (isQ) {
        ns++;
        ne--;
      }
      if (t !== T.EQUAL) throw this.tokenError("expected equal", t);
      t = this.nextToken();
      if (t !== T.LVALUE) throw this.tokenError("expected label value", t);
      const vs = this.tokStart + 1;
      const ve = this.i - 1;
      if (!validUtf8(b, vs, ve)) {
        throw this.errorAt(vs, `invalid UTF-8 label value: ${goQuote(b, vs - 1, ve + 1)}`);
      }
      if (this.expfmt) this.checkEscapes(vs, ve, true);
      this.pushLabel(ns, ne, vs, ve);
      t = this.nextToken();
      if (t === T.COMMA) t = this.nextToken();
      else if (this.expfmt && t !== T.BCLOSE) throw this.tokenError("expected comma or brace close", t);
    }
  }

  /** expfmt: only `\\`, `\n` (and `\"` in label values) escapes, no raw newline. */
  private checkEscapes(s: number, e: number, labelValue: boolean): void {
    const b = this.b;
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c === NL) throw this.errorAt(i, "label value contains unescaped new-line");
      if (c !== 0x5c) continue;
      const n = b[i + 1];
      if (n !== 0x5c && n !== 0x6e && !(labelValue && n === 0x22)) {
        throw this.errorAt(i, `invalid escape sequence '\\${String.fromCharCode(n)}'`);
      }
      i++;
    }
  }

  private parseMetricSuffix(t: number): Entry {
    if (this.nameS === -1) {
      throw this.errorAt(
        this.start,
        `metric name not set while parsing: ${goQuote(this.b, this.start, this.i)}`,
      );
    }
    if (t !== T.VALUE) throw this.tokenError("expected value after metric", t);
    this.value = this.float(this.tokStart, this.i);
    const t2 = this.nextToken();
    if (t2 === T.TIMESTAMP) {
      const ts = parseIntBytes(this.b, this.tokStart, this.i);
      if (ts === undefined) {
        throw this.errorAt(
          this.tokStart,
          `strconv.ParseInt: parsing ${goQuote(this.b, this.tokStart, this.i)}: value out of range while parsing: ${goQuote(this.b, this.start, this.i)}`,
        );
      }
      this.timestampMs = ts;
      const t3 = this.nextToken();
      if (t3 !== T.LINEBREAK && t3 !== T.EOF)
        throw this.tokenError("expected next entry after timestamp", t3);
    } else if (t2 !== T.LINEBREAK && t2 !== T.EOF) {
      throw this.tokenError("expected timestamp or new record", t2);
    }
    this.checkLineLength();
    return Entry.Series;
  }

  /**
   * Parses the common shapes of a line directly, without tokens:
   * `name{l="v",…} value [timestamp]` with single spaces, and
   * `# HELP name text` / `# TYPE name type`. Anything else — and every error —
   * returns FAST_MISS with nothing consumed, so the token path decides with
   * upstream's exact behaviour and messages.
   */
  private fastLine(): Entry | typeof FAST_MISS {
    const b = this.b;
    const n = this.n;
    const s = this.i;
    if (s >= n) return FAST_MISS;
    const c0 = b[s];
    if (c0 === 0x23) return this.fastMetadata(s);
    let c = 0;
    if (c0 >= 0x80 || !(CLASS[c0] & C_NAME_START)) return FAST_MISS;
    let i = s + 1;
    while (i < n && CLASS[b[i]] & C_NAME) i++;
    const nameE = i;
    if (i < n && b[i] === 0x7b) {
      i = this.fastLabels(i + 1);
      if (i < 0) {
        this.labLen = 0;
        return FAST_MISS;
      }
    }
    const seriesE = i;
    if (i >= n || b[i] !== 0x20) return this.fastMiss();
    const vs = ++i;
    while (i < n && (c = b[i]) !== 0x20 && c !== NL && c !== 0x09 && c !== 0x7b) i++;
    if (i === vs || !parseFloatBytes(b, vs, i, this.fr)) return this.fastMiss();
    let ts: number | undefined;
    if (i < n && b[i] === 0x20) {
      const tsS = ++i;
      while (i < n && CLASS[b[i]] & C_DIGIT) i++;
      if (i === tsS || i - tsS > 18) return this.fastMiss();
      ts = parseIntBytes(b, tsS, i);
    }
    if (i < n) {
      if (b[i] !== NL) return this.fastMiss();
      i++;
    }
    this.nameS = s;
    this.nameE = nameE;
    this.seriesStart = s;
    this.seriesEnd = seriesE;
    this.value = this.fr.value;
    this.timestampMs = ts;
    this.i = i;
    this.checkLineLength();
    return Entry.Series;
  }

  private fastMiss(): typeof FAST_MISS {
    this.labLen = 0;
    return FAST_MISS;
  }

  /** `l="v",…}` after the brace; returns the offset after `}` or -1. */
  private fastLabels(i: number): number {
    const b = this.b;
    const n = this.n;
    for (;;) {
      if (i >= n) return -1;
      let c = b[i];
      if (c === 0x7d) return i + 1;
      if (c >= 0x80 || !(CLASS[c] & C_LABEL_START)) return -1;
      const ns = i++;
      while (i < n && CLASS[b[i]] & C_LABEL) i++;
      const ne = i;
      if (i + 1 >= n || b[i] !== 0x3d || b[i + 1] !== 0x22) return -1;
      i += 2;
      const vs = i;
      let high = false;
      for (;;) {
        if (i >= n) return -1;
        c = b[i];
        if (c === 0x22) break;
        if (c === 0x5c) {
          if (i + 1 >= n || b[i + 1] === NL) return -1;
          i += 2;
          continue;
        }
        if (c === NL) return -1;
        if (c >= 0x80) high = true;
        i++;
      }
      if (high && !validUtf8(b, vs, i)) return -1;
      this.pushLabel(ns, ne, vs, i);
      i++;
      if (i < n && b[i] === 0x2c) i++;
      else if (i >= n || b[i] !== 0x7d) return -1;
    }
  }

  /** `# HELP name text` or `# TYPE name type` with single spaces. */
  private fastMetadata(s: number): Entry | typeof FAST_MISS {
    const b = this.b;
    const n = this.n;
    if (s + 7 >= n || b[s + 1] !== 0x20 || b[s + 6] !== 0x20) return FAST_MISS;
    const w = (b[s + 2] << 24) | (b[s + 3] << 16) | (b[s + 4] << 8) | b[s + 5];
    const isHelp = w === 0x48454c50;
    if (!isHelp && w !== 0x54595045) return FAST_MISS;
    let i = s + 7;
    const c = b[i];
    if (c >= 0x80 || !(CLASS[c] & C_NAME_START)) return FAST_MISS;
    const ns = i++;
    while (i < n && CLASS[b[i]] & C_NAME) i++;
    const ne = i;
    if (i >= n || b[i] !== 0x20) return FAST_MISS;
    const ts = i + 1;
    const te = lineEnd(b, ts);
    // An all-blank rest of line is empty text upstream (rule order); leave it to the token path.
    if (te === ts || b[ts] === 0x20 || b[ts] === 0x09) return FAST_MISS;
    this.textEscapes = "help";
    if (isHelp) {
      if (!validUtf8(b, ts, te)) return FAST_MISS;
    } else {
      const t = typeKeyword(b, ts, te);
      if (t === undefined) return FAST_MISS;
      this.type = t;
    }
    this.nameS = ns;
    this.nameE = ne;
    this.textS = ts;
    this.textE = te;
    this.i = te < n ? te + 1 : te;
    this.checkLineLength();
    return isHelp ? Entry.Help : Entry.Type;
  }
}

/** Returned by the fast paths when the token path must decide. */
const FAST_MISS = -1;

/** Offset of the next newline at or after `i`, or the end of `b`. */
function lineEnd(b: Uint8Array, i: number): number {
  const j = b.indexOf(NL, i);
  return j < 0 ? b.length : j;
}

/** The classic format's TYPE keywords; `untyped` is reported as `unknown`. */
function typeKeyword(b: Uint8Array, s: number, e: number): MetricType | undefined {
  switch (e - s) {
    case 5:
      return bytesEqual(b, s, "gauge") ? "gauge" : undefined;
    case 7:
      return bytesEqual(b, s, "counter")
        ? "counter"
        : bytesEqual(b, s, "summary")
          ? "summary"
          : bytesEqual(b, s, "untyped")
            ? "unknown"
            : undefined;
    case 9:
      return bytesEqual(b, s, "histogram") ? "histogram" : undefined;
    default:
      return undefined;
  }
}

function bytesEqual(b: Uint8Array, s: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word.charCodeAt(k)) return false;
  return true;
}
