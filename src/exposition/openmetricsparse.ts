import {
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
import { Entry, type ParserLimits } from "./parser.ts";
import { T, TextParser } from "./textparser.ts";
import type { Format, MetricType } from "./types.ts";

// Lexer states, as upstream's openmetricslex.l.
const S_INIT = 0;
// 1 is upstream's sComment, entered and left within one call of lexComment.
const S_META1 = 2;
const S_META2 = 3;
const S_LABELS = 4;
const S_LVALUE = 5;
const S_VALUE = 6;
const S_TIMESTAMP = 7;
const S_EXEMPLAR = 8;
const S_EVALUE = 9;
const S_ETIMESTAMP = 10;

const NL = 0x0a;
const SP = 0x20;

/** What may follow `# ` in OpenMetrics. */
const KEYWORDS = ["HELP ", "TYPE ", "UNIT ", "EOF"];

const OM_TYPES: ReadonlySet<string> = new Set([
  "counter",
  "gauge",
  "histogram",
  "gaugehistogram",
  "summary",
  "info",
  "stateset",
  "unknown",
]);

/**
 * Parser for OpenMetrics 1.0 text with the behaviour of Prometheus 3.5's
 * scraper (`model/textparse/openmetricsparse.go`): the syntax is checked
 * strictly (single spaces, no blank lines, `# EOF` last), the semantic rules of
 * the specification are not (see `validate/openmetrics.ts` for those).
 * Timestamps are seconds in the text and milliseconds here.
 *
 * Hot path: guarded by `npm run bench -- exposition`.
 */
export class OpenMetricsParser extends TextParser {
  readonly format: Format = "openmetrics";
  /** Refuse what the specification's grammar forbids but Prometheus allows (a trailing comma). */
  private readonly strictSyntax: boolean;

  constructor(b: Uint8Array, opts: ParserLimits & { readonly strict?: boolean } = {}) {
    super(b, opts);
    this.strictSyntax = opts.strict ?? false;
  }

  private lex(): number {
    const b = this.b;
    const n = this.n;
    let i = this.i;
    // Like upstream, EOF leaves the previous token's start in place (it shows in messages).
    if (i >= n) return T.EOF;
    this.tokStart = i;
    let c = b[i];
    switch (this.state) {
      case S_INIT:
        if (c === 0x23 /* # */) {
          if (i + 1 < n && b[i + 1] === SP) return this.lexComment(i + 2);
          this.i = Math.min(i + 1, n - 1); // the offending byte is part of the INVALID token upstream shows
          break;
        }
        if (c === 0x7b) {
          this.i = i + 1;
          this.state = S_LABELS;
          return T.BOPEN;
        }
        if (c < 0x80 && CLASS[c] & C_NAME_START) {
          i++;
          while (i < n && CLASS[b[i]] & C_NAME) i++;
          this.i = i;
          this.state = S_VALUE;
          return T.MNAME;
        }
        break;
      case S_VALUE:
      case S_EVALUE:
        if (c === 0x7b && this.state === S_VALUE) {
          this.i = i + 1;
          this.state = S_LABELS;
          return T.BOPEN;
        }
        if (c === 0x22 && this.state === S_EVALUE) return this.lexQuoted(i, S_EXEMPLAR, T.LVALUE);
        if (c === SP) {
          const j = this.spaceToken(i);
          if (j < 0) break;
          this.i = j;
          this.state = this.state === S_VALUE ? S_TIMESTAMP : S_ETIMESTAMP;
          return T.VALUE;
        }
        break;
      case S_LABELS:
      case S_EXEMPLAR:
        if (c < 0x80 && CLASS[c] & C_LABEL_START) {
          i++;
          while (i < n && CLASS[b[i]] & C_LABEL) i++;
          this.i = i;
          return T.LNAME;
        }
        if (c === 0x22) return this.lexQuoted(i, this.state, T.QSTRING);
        if (c === 0x7d) {
          this.i = i + 1;
          this.state = this.state === S_LABELS ? S_VALUE : S_EVALUE;
          return T.BCLOSE;
        }
        if (c === 0x3d) {
          this.i = i + 1;
          this.state = this.state === S_LABELS ? S_LVALUE : S_EVALUE;
          return T.EQUAL;
        }
        if (c === 0x2c) {
          this.i = i + 1;
          return T.COMMA;
        }
        break;
      case S_LVALUE:
        if (c === 0x22) return this.lexQuoted(i, S_LABELS, T.LVALUE);
        break;
      case S_TIMESTAMP:
      case S_ETIMESTAMP:
        if (c === NL) {
          this.i = i + 1;
          this.state = S_INIT;
          return T.LINEBREAK;
        }
        if (c === SP) {
          // ` # {` starts an exemplar; it is longer than the timestamp ` #`.
          if (
            this.state === S_TIMESTAMP &&
            i + 3 < n &&
            b[i + 1] === 0x23 &&
            b[i + 2] === SP &&
            b[i + 3] === 0x7b
          ) {
            this.i = i + 4;
            this.state = S_EXEMPLAR;
            return T.COMMENT;
          }
          // Upstream's lexer does not back up: once it has read ` # `, anything but `{` is INVALID.
          if (this.state === S_TIMESTAMP && i + 2 < n && b[i + 1] === 0x23 && b[i + 2] === SP) {
            this.i = Math.min(i + 3, n - 1);
            break;
          }
          const j = this.spaceToken(i);
          if (j < 0) break;
          this.i = j;
          return T.TIMESTAMP;
        }
        break;
      case S_META1:
        if (c === 0x22) return this.lexQuoted(i, S_META2, T.MNAME);
        if (c < 0x80 && CLASS[c] & C_NAME_START) {
          i++;
          while (i < n && CLASS[b[i]] & C_NAME) i++;
          this.i = i;
          this.state = S_META2;
          return T.MNAME;
        }
        break;
      case S_META2:
        if (c === SP) {
          i++;
          while (i < n && (c = b[i]) !== NL) i++;
          if (i < n) {
            this.i = i + 1;
            this.state = S_INIT;
            return T.TEXT;
          }
          this.i = i - 1;
        }
        break;
    }
    return T.INVALID;
  }

  /** `{S}[^ \n]+` starting at the space at `i`; returns the end or -1. */
  private spaceToken(i: number): number {
    const b = this.b;
    const n = this.n;
    let j = i + 1;
    while (j < n) {
      const c = b[j];
      if (c === SP || c === NL || c === 0) break;
      j++;
    }
    if (j === i + 1) {
      this.i = Math.min(j, n - 1);
      return -1;
    }
    return j;
  }

  /** After `# `: `HELP `, `TYPE `, `UNIT ` or `EOF` with an optional newline. */
  private lexComment(i: number): number {
    const b = this.b;
    const n = this.n;
    if (i + 4 < n && b[i + 4] === SP) {
      const w = (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
      const tok = w === 0x48454c50 ? T.HELP : w === 0x54595045 ? T.TYPE : w === 0x554e4954 ? T.UNIT : 0;
      if (tok !== 0) {
        this.i = i + 5;
        this.state = S_META1;
        return tok;
      }
    }
    if (i + 2 < n && b[i] === 0x45 && b[i + 1] === 0x4f && b[i + 2] === 0x46) {
      this.i = i + 3 < n && b[i + 3] === NL ? i + 4 : i + 3;
      this.state = S_INIT;
      return T.EOFWORD;
    }
    // The INVALID token runs through the first byte no keyword accepts, as upstream shows it.
    let k = 0;
    for (const word of KEYWORDS) {
      let m = 0;
      while (m < word.length && i + m < n && b[i + m] === word.charCodeAt(m)) m++;
      k = Math.max(k, m);
    }
    this.i = Math.min(i + k, n - 1);
    return T.INVALID;
  }

  /** A quoted string token (see `scanQuoted`). */
  private lexQuoted(i: number, nextState: number, tok: number): number {
    // Label values refuse a raw newline; quoted names (outside exemplars) allow it.
    // Only label values outside exemplars let a NUL through (upstream's sLValue).
    const inExemplar = this.state === S_EXEMPLAR || this.state === S_EVALUE;
    const end = scanQuoted(this.b, i, tok !== T.LVALUE && !inExemplar, this.state === S_LVALUE);
    if (end < 0) {
      this.i = Math.min(-1 - end, this.n - 1);
      return T.INVALID;
    }
    this.i = end;
    this.state = nextState;
    return tok;
  }

  next(): Entry {
    this.beginEntry();
    const t = this.lex();
    switch (t) {
      case T.EOFWORD:
        if (this.lex() !== T.EOF) throw this.errorAt(this.i, "unexpected data after # EOF");
        return Entry.EOF;
      case T.EOF:
        throw this.errorAt(this.i, "data does not end with # EOF");
      case T.HELP:
      case T.TYPE:
      case T.UNIT:
        return this.parseMetadata(t);
      case T.BOPEN:
        this.seriesStart = this.tokStart;
        this.parseLabelSet(false);
        this.seriesEnd = this.i;
        return this.parseMetricSuffix(this.lex());
      case T.MNAME: {
        this.seriesStart = this.tokStart;
        this.nameS = this.tokStart;
        this.nameE = this.i;
        this.seriesEnd = this.i;
        let t2 = this.lex();
        if (t2 === T.BOPEN) {
          this.parseLabelSet(false);
          this.seriesEnd = this.i;
          t2 = this.lex();
        }
        return this.parseMetricSuffix(t2);
      }
      default:
        throw this.tokenError("expected a valid start token", t);
    }
  }

  private parseMetadata(t: number): Entry {
    const kind = t === T.HELP ? "HELP" : t === T.TYPE ? "TYPE" : "UNIT";
    const t2 = this.lex();
    if (t2 !== T.MNAME) throw this.tokenError(`expected metric name after ${kind}`, t2);
    let s = this.tokStart;
    let e = this.i;
    if (this.b[s] === 0x22) {
      s++;
      e--;
    }
    this.nameS = s;
    this.nameE = e;
    if (this.lex() !== T.TEXT) throw this.errorAt(this.tokStart, `expected text in ${kind}`);
    this.textS = this.tokStart + 1;
    this.textE = this.i - 1;
    this.checkLineLength();
    if (t === T.TYPE) {
      this.type = this.parseType();
      return Entry.Type;
    }
    if (t === T.HELP) {
      if (!validUtf8(this.b, this.textS, this.textE)) {
        throw this.errorAt(
          this.textS,
          `help text ${goQuote(this.b, this.textS, this.textE)} is not a valid utf8 string`,
        );
      }
      return Entry.Help;
    }
    this.checkUnit();
    return Entry.Unit;
  }

  private parseType(): MetricType {
    const s = decodeUtf8(this.b, this.textS, this.textE);
    if (!OM_TYPES.has(s)) throw this.errorAt(this.textS, `invalid metric type ${JSON.stringify(s)}`);
    return s as MetricType;
  }

  /** A non-empty unit must be a `_`-separated suffix of the metric name. */
  private checkUnit(): void {
    const b = this.b;
    const ul = this.textE - this.textS;
    if (ul === 0) return;
    const ml = this.nameE - this.nameS;
    let ok = ml >= ul + 1 && b[this.nameE - ul - 1] === 0x5f;
    for (let k = 0; ok && k < ul; k++) ok = b[this.nameE - ul + k] === b[this.textS + k];
    if (!ok) {
      throw this.errorAt(
        this.textS,
        `unit ${JSON.stringify(this.text())} not a suffix of metric ${JSON.stringify(this.familyName())}`,
      );
    }
  }

  /** The contents of `{…}`, as upstream's `parseLVals`; exemplars allow no bare name. */
  private parseLabelSet(exemplar: boolean): void {
    const b = this.b;
    let t = this.lex();
    for (;;) {
      if (t === T.BCLOSE) return;
      if (t !== T.LNAME && t !== T.QSTRING) throw this.tokenError("expected label name", t);
      let ns = this.tokStart;
      let ne = this.i;
      t = this.lex();
      if (t === T.COMMA || t === T.BCLOSE) {
        if (exemplar) throw this.tokenError("expected label name", t);
        if (this.nameS !== -1) {
          throw this.errorAt(ns, `metric name already set while parsing: ${goQuote(b, this.start, this.i)}`);
        }
        this.nameS = ns + 1;
        this.nameE = ne - 1;
        if (t === T.BCLOSE) return;
        t = this.lex();
        continue;
      }
      if (b[ns] === 0x22) {
        ns++;
        ne--;
      }
      if (t !== T.EQUAL) throw this.tokenError("expected equal", t);
      t = this.lex();
      if (t !== T.LVALUE) throw this.tokenError("expected label value", t);
      const vs = this.tokStart + 1;
      const ve = this.i - 1;
      if (!validUtf8(b, vs, ve))
        throw this.errorAt(vs, `invalid UTF-8 label value: ${goQuote(b, vs - 1, ve + 1)}`);
      if (exemplar) this.pushExemplarLabel(ns, ne, vs, ve);
      else this.pushLabel(ns, ne, vs, ve);
      t = this.lex();
      if (t === T.COMMA) {
        t = this.lex();
        if (this.strictSyntax && t === T.BCLOSE) throw this.tokenError("expected label name after comma", t);
      } else if (t !== T.BCLOSE) throw this.tokenError("expected comma or brace close", t);
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
    this.value = this.float(this.tokStart + 1, this.i);
    let t2 = this.lex();
    if (t2 === T.TIMESTAMP) {
      this.timestampMs = this.timestamp("timestamp");
      t2 = this.lex();
      if (t2 !== T.LINEBREAK && t2 !== T.COMMENT)
        throw this.tokenError("expected next entry after timestamp", t2);
    }
    if (t2 === T.COMMENT) this.parseExemplar();
    else if (t2 === T.EOF) throw this.errorAt(this.i, "data does not end with # EOF");
    else if (t2 !== T.LINEBREAK) throw this.tokenError("expected timestamp or new record", t2);
    this.checkLineLength();
    return Entry.Series;
  }

  private parseExemplar(): void {
    this.parseLabelSet(true);
    this.exPresent = true;
    const t = this.lex();
    if (t !== T.VALUE) throw this.tokenError("expected value after exemplar labels", t);
    this.exemplarValue = this.float(this.tokStart + 1, this.i);
    const t2 = this.lex();
    if (t2 === T.EOF) throw this.errorAt(this.i, "data does not end with # EOF");
    if (t2 === T.LINEBREAK) return;
    if (t2 !== T.TIMESTAMP) throw this.tokenError("expected timestamp or comment", t2);
    this.exemplarTimestampMs = this.timestamp("exemplar timestamp");
    const t3 = this.lex();
    if (t3 !== T.LINEBREAK) throw this.tokenError("expected next entry after exemplar timestamp", t3);
  }

  /** A float seconds timestamp token (after its space) as integer milliseconds. */
  private timestamp(what: string): number {
    const s = this.float(this.tokStart + 1, this.i);
    if (!Number.isFinite(s)) {
      const shown = Number.isNaN(s) ? "NaN" : s > 0 ? "+Inf" : "-Inf";
      throw this.errorAt(this.tokStart + 1, `invalid ${what} ${shown}`);
    }
    return Math.trunc(s * 1000) + 0; // + 0 turns -0 into 0, as Go's int64 conversion does
  }
}
