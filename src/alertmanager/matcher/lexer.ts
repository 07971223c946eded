/**
 * The lexer of the UTF-8 matchers syntax (upstream's `matcher/parse`):
 * braces, commas, the four operators, double-quoted strings (Go string
 * literals) and unquoted runs of non-reserved characters. Positions are
 * `offset` (string index, for slicing) and `column` (code points), so errors
 * read `0:6: "hello: missing end "` as upstream's do.
 */
import { isGoSpace, isReserved } from "./matcher.ts";

/** Kinds of token. */
export type TokenKind =
  | "eof"
  | "openBrace"
  | "closeBrace"
  | "comma"
  | "equals"
  | "notEquals"
  | "matches"
  | "notMatches"
  | "quoted"
  | "unquoted";

/** Where a token or error starts and ends. */
export interface Position {
  readonly offsetStart: number;
  readonly offsetEnd: number;
  readonly columnStart: number;
  readonly columnEnd: number;
}

/** A token; `value` is the input text it covers (quotes included). */
export interface Token extends Position {
  readonly kind: TokenKind;
  readonly value: string;
}

const EOF_TOKEN: Token = {
  kind: "eof",
  value: "",
  offsetStart: 0,
  offsetEnd: 0,
  columnStart: 0,
  columnEnd: 0,
};

const EOF = -1;

/** A lexing or parsing error; the message is upstream's. */
export class MatcherParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MatcherParseError";
  }
}

/** A scanner over one input; `peek` does not consume. */
export class Lexer {
  readonly input: string;
  #err: MatcherParseError | undefined;
  #start = 0;
  #pos = 0;
  #width = 0;
  #column = 0;
  #cols = 0;

  constructor(input: string) {
    this.input = input;
  }

  /** The current span (start of the pending token to the cursor). */
  position(): Position {
    return {
      offsetStart: this.#start,
      offsetEnd: this.#pos,
      columnStart: this.#column,
      columnEnd: this.#cols,
    };
  }

  /** The next token without consuming it. */
  peek(): Token {
    const saved = [this.#start, this.#pos, this.#width, this.#column, this.#cols] as const;
    try {
      return this.scan();
    } finally {
      [this.#start, this.#pos, this.#width, this.#column, this.#cols] = saved;
    }
  }

  /** The next token (kind `eof` at the end); throws {@link MatcherParseError}, and again on every later call. */
  scan(): Token {
    if (this.#err !== undefined) throw this.#err;
    try {
      return this.#scan();
    } catch (err) {
      if (err instanceof MatcherParseError) this.#err = err;
      throw err;
    }
  }

  #scan(): Token {
    for (let r = this.#next(); r !== EOF; r = this.#next()) {
      if (r === 0x7b) return this.#emit("openBrace");
      if (r === 0x7d) return this.#emit("closeBrace");
      if (r === 0x2c) return this.#emit("comma");
      if (r === 0x3d || r === 0x21) {
        this.#rewind();
        return this.#scanOperator();
      }
      if (r === 0x22) {
        this.#rewind();
        return this.#scanQuoted();
      }
      if (!isReserved(r)) {
        this.#rewind();
        return this.#scanUnquoted();
      }
      if (!isGoSpace(r)) throw this.#error(`${this.#text()}: invalid input`);
      this.#skip();
    }
    return EOF_TOKEN;
  }

  #scanOperator(): Token {
    if (this.#accept("!")) {
      if (this.#accept("=")) return this.#emit("notEquals");
      if (this.#accept("~")) return this.#emit("notMatches");
      throw this.#expected("=~");
    }
    if (this.#accept("=")) {
      if (this.#accept("~")) return this.#emit("matches");
      return this.#emit("equals");
    }
    throw this.#expected("!=");
  }

  #scanQuoted(): Token {
    if (!this.#accept('"')) throw this.#expected('"');
    let escaped = false;
    for (let r = this.#next(); r !== EOF; r = this.#next()) {
      if (escaped) escaped = false;
      else if (r === 0x5c) escaped = true;
      else if (r === 0x22) {
        this.#rewind();
        break;
      }
    }
    if (!this.#accept('"')) throw this.#error(`${this.#text()}: missing end "`);
    return this.#emit("quoted");
  }

  #scanUnquoted(): Token {
    for (let r = this.#next(); r !== EOF; r = this.#next()) {
      if (isReserved(r)) {
        this.#rewind();
        break;
      }
    }
    return this.#emit("unquoted");
  }

  #accept(valid: string): boolean {
    const r = this.#next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.#rewind();
    return false;
  }

  #expected(what: string): MatcherParseError {
    if (this.#pos >= this.input.length)
      return this.#error(`unexpected end of input, expected one of '${what}'`);
    return this.#error(`${this.#text()}: expected one of '${what}'`);
  }

  #error(reason: string): MatcherParseError {
    return new MatcherParseError(`${this.#column}:${this.#cols}: ${reason}`);
  }

  #text(): string {
    return this.input.slice(this.#start, this.#pos);
  }

  #emit(kind: TokenKind): Token {
    const t: Token = { kind, value: this.#text(), ...this.position() };
    this.#start = this.#pos;
    this.#column = this.#cols;
    return t;
  }

  #next(): number {
    if (this.#pos >= this.input.length) {
      this.#width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.#pos)!;
    this.#width = r > 0xffff ? 2 : 1;
    this.#pos += this.#width;
    this.#cols++;
    return r;
  }

  #rewind(): void {
    this.#pos -= this.#width;
    if (this.#width > 0) this.#cols--;
  }

  #skip(): void {
    this.#start = this.#pos;
    this.#column = this.#cols;
  }
}
