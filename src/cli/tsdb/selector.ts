/**
 * A series selector (`metric{label="value", other=~"re"}`), the part of
 * PromQL that `promtool tsdb dump --match` and `analyze --match` take, until
 * Vigil has a PromQL parser. Errors read as upstream's parser words them:
 * `1:10: parse error: unexpected end of input inside braces`.
 */
import { Matcher, type MatchType } from "../../model/labels/matcher.ts";
import { RegexError } from "../../model/labels/regex.ts";
import { goQuote } from "../../model/labels/strings.ts";

/** A selector that does not parse; the message starts with `line:column: parse error: `. */
export class SelectorError extends Error {
  override readonly name = "SelectorError";
}

// Token kinds.
const EOF = 0;
const IDENT = 1;
const METRIC_IDENT = 2;
const STRING = 3;
const NUMBER = 4;
const DURATION = 5;
const PUNCT = 6; // ( [ { } , =
const OP = 7; // <op:…>
const KEYWORD = 8; // <by>, <aggr:sum>, …
const MATCH_OP = 9; // = != =~ !~ inside braces

interface Token {
  kind: number;
  text: string;
  pos: number;
}

const OPERATORS: Readonly<Record<string, string>> = {
  and: "<op:and>",
  or: "<op:or>",
  unless: "<op:unless>",
  atan2: "<op:atan2>",
};

const AGGREGATORS = new Set([
  "avg",
  "bottomk",
  "count",
  "count_values",
  "group",
  "limitk",
  "limit_ratio",
  "max",
  "min",
  "quantile",
  "stddev",
  "stdvar",
  "sum",
  "topk",
]);

const KEYWORDS = new Set(["bool", "by", "group_left", "group_right", "ignoring", "offset", "on", "without"]);

/** Parses one selector into its matchers (the metric name first, as `__name__="…"`). */
export function parseSeriesSelector(input: string): Matcher[] {
  return new SelectorParser(input).parse();
}

class SelectorParser {
  private readonly s: string;
  private i = 0;
  private inBraces = false;

  constructor(s: string) {
    this.s = s;
  }

  parse(): Matcher[] {
    const matchers: Matcher[] = [];
    let tok = this.next();
    if (tok.kind === EOF) throw new SelectorError("unknown position: parse error: unexpected end of input");
    const word = tok.kind === OP && OPERATORS[tok.text.toLowerCase()] !== undefined;
    if (tok.kind === IDENT || tok.kind === METRIC_IDENT || tok.kind === KEYWORD || word) {
      // Any word names a metric here, keywords included (`sum`, `by`).
      matchers.push(Matcher.create("=", "__name__", tok.text));
      tok = this.next();
    } else if (!(tok.kind === PUNCT && tok.text === "{")) {
      throw this.error(tok.pos, `unexpected ${describe(tok)}`);
    }
    if (tok.kind === PUNCT && tok.text === "{") {
      this.inBraces = true;
      this.parseMatchers(matchers);
      this.inBraces = false;
      tok = this.next();
    }
    if (tok.kind !== EOF) throw this.error(tok.pos, `unexpected ${describe(tok)}`);
    return matchers;
  }

  /** After `{`: matchers up to and including `}`. */
  private parseMatchers(out: Matcher[]): void {
    for (;;) {
      let tok = this.next();
      if (tok.kind === PUNCT && tok.text === "}") return;
      if (tok.kind !== IDENT && tok.kind !== STRING) {
        throw this.error(
          tok.pos,
          `unexpected ${describe(tok)} in label matching, expected identifier or "}"`,
        );
      }
      const start = tok.pos;
      const name = tok.kind === STRING ? this.unquote(tok) : tok.text;
      const quotedName = tok.kind === STRING;
      tok = this.next();
      if (quotedName && tok.kind === PUNCT && (tok.text === "," || tok.text === "}")) {
        // A quoted name alone is the metric name: {"my.metric"}.
        out.push(Matcher.create("=", "__name__", name));
        if (tok.text === "}") return;
        continue;
      }
      if (tok.kind !== MATCH_OP) {
        throw this.error(
          tok.pos,
          `unexpected ${describe(tok)} in label matching, expected label matching operator`,
        );
      }
      const op = tok.text as MatchType;
      tok = this.next();
      if (tok.kind !== STRING) {
        throw this.error(tok.pos, `unexpected ${describe(tok)} in label matching, expected string`);
      }
      const value = this.unquote(tok);
      try {
        out.push(Matcher.create(op, name, value));
      } catch (e) {
        if (e instanceof RegexError) throw this.error(start, e.message);
        throw e;
      }
      tok = this.next();
      if (tok.kind === PUNCT && tok.text === "}") return;
      if (!(tok.kind === PUNCT && tok.text === ",")) {
        throw this.error(tok.pos, `unexpected ${describe(tok)} in label matching, expected "," or "}"`);
      }
    }
  }

  private error(pos: number, what: string): SelectorError {
    const before = this.s.slice(0, pos);
    const nl = before.lastIndexOf("\n");
    const line = before.split("\n").length;
    const col = Buffer.byteLength(before.slice(nl + 1)) + 1;
    return new SelectorError(`${line}:${col}: parse error: ${what}`);
  }

  private next(): Token {
    const s = this.s;
    for (;;) {
      while (this.i < s.length && isSpace(s[this.i]!)) this.i++;
      // `#` comments run to the end of the line (outside braces).
      if (!this.inBraces && s[this.i] === "#") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
        continue;
      }
      break;
    }
    const pos = this.i;
    if (pos >= s.length) {
      if (this.inBraces) throw this.error(pos, "unexpected end of input inside braces");
      return { kind: EOF, text: "", pos };
    }
    const c = s[pos]!;
    if (c === '"' || c === "'" || c === "`") return this.lexString(pos);
    return this.inBraces ? this.lexInsideBraces(pos, c) : this.lexStatement(pos, c);
  }

  private lexInsideBraces(pos: number, c: string): Token {
    const s = this.s;
    if (isAlpha(c)) {
      let j = pos + 1;
      while (j < s.length && isAlphaNumeric(s[j]!)) j++;
      this.i = j;
      return { kind: IDENT, text: s.slice(pos, j), pos };
    }
    this.i = pos + 1;
    switch (c) {
      case ",":
      case "}":
        return { kind: PUNCT, text: c, pos };
      case "=":
        if (s[pos + 1] === "~") {
          this.i++;
          return { kind: MATCH_OP, text: "=~", pos };
        }
        return { kind: MATCH_OP, text: "=", pos };
      case "!": {
        const n = s[pos + 1];
        if (n === "=" || n === "~") {
          this.i++;
          return { kind: MATCH_OP, text: `!${n}`, pos };
        }
        throw this.error(pos, `unexpected character after '!' inside braces: '${n ?? "\uFFFD"}'`);
      }
      case "{":
        throw this.error(pos, "unexpected left brace '{'");
    }
    throw this.error(
      pos,
      `unexpected character inside braces: '${String.fromCodePoint(s.codePointAt(pos)!)}'`,
    );
  }

  private lexStatement(pos: number, c: string): Token {
    const s = this.s;
    if (isAlpha(c) || c === ":") {
      let j = pos + 1;
      while (j < s.length && (isAlphaNumeric(s[j]!) || s[j] === ":")) j++;
      this.i = j;
      const text = s.slice(pos, j);
      const lower = text.toLowerCase();
      if (lower === "inf" || lower === "nan") return { kind: NUMBER, text, pos };
      if (OPERATORS[lower] !== undefined) return { kind: OP, text, pos };
      if (AGGREGATORS.has(lower) || KEYWORDS.has(lower)) return { kind: KEYWORD, text, pos };
      return { kind: text.includes(":") ? METRIC_IDENT : IDENT, text, pos };
    }
    if (isDigit(c) || (c === "." && isDigit(s[pos + 1] ?? ""))) return this.lexNumber(pos);
    this.i = pos + 1;
    switch (c) {
      case "(":
      case "[":
      case "{":
      case ",":
        return { kind: PUNCT, text: c, pos };
      case "=":
        if (s[pos + 1] === "=") {
          this.i++;
          return { kind: OP, text: "==", pos };
        }
        if (s[pos + 1] === "~") {
          this.i++;
          return { kind: OP, text: "=~", pos };
        }
        return { kind: PUNCT, text: c, pos };
      case "!":
        if (s[pos + 1] === "=" || s[pos + 1] === "~") {
          this.i++;
          return { kind: OP, text: `!${s[pos + 1]}`, pos };
        }
        throw this.error(pos, `unexpected character after '!': '${s[pos + 1] ?? "\uFFFD"}'`);
      case "<":
      case ">":
        if (s[pos + 1] === "=") {
          this.i++;
          return { kind: OP, text: `${c}=`, pos };
        }
        return { kind: OP, text: c, pos };
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
      case "^":
        return { kind: OP, text: c, pos };
      case "@":
        return { kind: OP, text: "@", pos };
      case "]":
        throw this.error(pos, "unexpected right bracket ']'");
      case ")":
        throw this.error(pos + 1, "unexpected right parenthesis ')'");
    }
    throw this.error(pos, `unexpected character: '${String.fromCodePoint(s.codePointAt(pos)!)}'`);
  }

  /** A number (`5`, `.5`, `0x1f`, `1e3`) or a duration (`5m`, `1h30m`). */
  private lexNumber(pos: number): Token {
    const s = this.s;
    const dur = /^(?:\d+(?:ms|[smhdwy]))+/.exec(s.slice(pos));
    if (dur !== null && !isAlphaNumeric(s[pos + dur[0].length] ?? " ")) {
      this.i = pos + dur[0].length;
      return { kind: DURATION, text: dur[0], pos };
    }
    const num = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s.slice(pos))!;
    const end = pos + num[0].length;
    if (end < s.length && isAlphaNumeric(s[end]!)) {
      throw this.error(pos, `bad number or duration syntax: ${JSON.stringify(s.slice(pos, end))}`);
    }
    this.i = end;
    return { kind: NUMBER, text: num[0], pos };
  }

  /** A quoted string token; escapes are checked here, as upstream's lexer does. */
  private lexString(pos: number): Token {
    const s = this.s;
    const q = s[pos]!;
    let j = pos + 1;
    if (q === "`") {
      while (j < s.length && s[j] !== "`") j++;
      if (j >= s.length) throw this.error(pos, "unterminated raw string");
      this.i = j + 1;
      return { kind: STRING, text: s.slice(pos, j + 1), pos };
    }
    for (;;) {
      if (j >= s.length || s[j] === "\n") throw this.error(pos, "unterminated quoted string");
      const c = s[j]!;
      if (c === q) break;
      if (c === "\\") j = this.checkEscape(pos, j + 1, q);
      else j++;
    }
    this.i = j + 1;
    return { kind: STRING, text: s.slice(pos, j + 1), pos };
  }

  /** Validates the escape after the backslash at `j - 1`; returns the index after it. */
  private checkEscape(start: number, j: number, quote: string): number {
    const s = this.s;
    const c = s[j];
    if (c === undefined) throw this.error(start, "escape sequence not terminated");
    if ("abfnrtv\\".includes(c) || c === quote) return j + 1;
    let digits = 0;
    let base = 0;
    let max = 0x10ffff;
    if (c >= "0" && c <= "7") {
      digits = 3;
      base = 8;
      max = 255;
      j--;
    } else if (c === "x") {
      digits = 2;
      base = 16;
      max = 255;
    } else if (c === "u") {
      digits = 4;
      base = 16;
    } else if (c === "U") {
      digits = 8;
      base = 16;
    } else {
      throw this.error(start, `unknown escape sequence ${describeRune(c)}`);
    }
    let v = 0;
    for (let k = 0; k < digits; k++) {
      const d = s[j + 1 + k];
      const n = d === undefined ? Number.NaN : Number.parseInt(d, base);
      if (d === undefined || Number.isNaN(n)) {
        if (d === undefined || d === quote) throw this.error(start, "escape sequence not terminated");
        throw this.error(start, `illegal character ${describeRune(d)} in escape sequence`);
      }
      v = v * base + n;
    }
    if (v > max || (v >= 0xd800 && v < 0xe000)) {
      throw this.error(start, "escape sequence is an invalid Unicode code point");
    }
    return j + 1 + digits;
  }

  /** The value of a string token checked by {@link lexString}. */
  private unquote(tok: Token): string {
    const raw = tok.text;
    if (raw[0] === "`") return raw.slice(1, -1);
    let out = "";
    for (let j = 1; j < raw.length - 1; j++) {
      const c = raw[j]!;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = raw[++j]!;
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      if (e >= "0" && e <= "7") {
        out += String.fromCharCode(Number.parseInt(raw.slice(j, j + 3), 8));
        j += 2;
      } else {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        out += String.fromCodePoint(Number.parseInt(raw.slice(j + 1, j + 1 + n), 16));
        j += n;
      }
    }
    return out;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

/** How upstream's parser names a token in "unexpected …". */
function describe(t: Token): string {
  switch (t.kind) {
    case EOF:
      return "end of input";
    case IDENT:
      // The @ modifier's preprocessors lex as their own tokens.
      if (t.text === "start" || t.text === "end") return JSON.stringify(t.text);
      return `identifier ${JSON.stringify(t.text)}`;
    case METRIC_IDENT:
      return `metric identifier ${JSON.stringify(t.text)}`;
    case STRING:
      return `string ${goQuote(t.text)}`;
    case NUMBER:
      return `number ${JSON.stringify(t.text)}`;
    case DURATION:
      return `duration ${JSON.stringify(t.text)}`;
    case OP:
      if (t.text === "@") return '"<Item 57400>" <op:@>';
      return OPERATORS[t.text.toLowerCase()] ?? `<op:${t.text}>`;
    case KEYWORD: {
      const lower = t.text.toLowerCase();
      return AGGREGATORS.has(lower) ? `<aggr:${lower}>` : `<${lower}>`;
    }
    case MATCH_OP:
      return t.text === "!=" ? "<op:!=>" : JSON.stringify(t.text);
    default:
      return JSON.stringify(t.text);
  }
}

function describeRune(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} '${c}'`;
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isAlpha(c: string): boolean {
  return c === "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
}

function isAlphaNumeric(c: string): boolean {
  return isAlpha(c) || isDigit(c);
}
