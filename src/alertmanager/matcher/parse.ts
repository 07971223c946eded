/**
 * The UTF-8 matchers parser (upstream's `matcher/parse`): an optional `{…}`
 * around comma-separated matchers whose names and values are unquoted
 * literals or Go string literals, with an optional trailing comma. A state
 * machine over the {@link Lexer}'s tokens; error messages are upstream's
 * (`end of input: expected label value`, `0:3: unexpected }: …`).
 */
import { Lexer, MatcherParseError, type Token, type TokenKind } from "./lexer.ts";
import { Matcher, type MatchType } from "./matcher.ts";
import { goUnquote } from "./unquote.ts";

export { MatcherParseError } from "./lexer.ts";

/** A failure inside the parser; `eof` mirrors `errors.Is(err, errEOF)`. */
class Fail extends Error {
  readonly eof: boolean;
  constructor(message: string, eof: boolean) {
    super(message);
    this.eof = eof;
  }
}

const END_OF_INPUT = "end of input";

function wrap(err: unknown, reason: string): Fail {
  if (err instanceof Fail) return new Fail(`${err.message}: ${reason}`, err.eof);
  if (err instanceof MatcherParseError) return new Fail(`${err.message}: ${reason}`, false);
  throw err;
}

const OPERATORS: Partial<Record<TokenKind, MatchType>> = {
  equals: "=",
  notEquals: "!=",
  matches: "=~",
  notMatches: "!~",
};

type State = (() => State) | null;

class Parser {
  readonly #l: Lexer;
  readonly matchers: Matcher[] = [];
  #hasOpenBrace = false;

  constructor(input: string) {
    this.#l = new Lexer(input);
  }

  run(): Matcher[] {
    let state: State = this.#openBrace;
    while (state !== null) state = state.call(this);
    return this.matchers;
  }

  #openBrace(): State {
    try {
      this.#hasOpenBrace = this.#accept("openBrace");
    } catch (err) {
      if (err instanceof Fail && err.eof) return this.#eof;
      throw err;
    }
    try {
      return this.#acceptPeek("closeBrace") ? this.#closeBrace : this.#matcher;
    } catch (err) {
      if (err instanceof Fail && err.eof) return this.#closeBrace;
      throw err;
    }
  }

  #closeBrace(): State {
    if (this.#hasOpenBrace) {
      try {
        this.#expect("closeBrace");
      } catch (err) {
        const col = this.#l.position().columnEnd;
        throw wrap(new Fail(`0:${col}: ${(err as Error).message}`, false), "expected close brace");
      }
    } else if (this.#tryExpect("closeBrace")) {
      throw new Fail(`0:${this.#l.position().columnEnd}: }: expected opening brace`, false);
    }
    return this.#eof;
  }

  #matcher(): State {
    const nameTok = this.#expectOr(["quoted", "unquoted"], "expected label name");
    const name = unquoteToken(nameTok);
    const opTok = this.#expectOr(
      ["equals", "notEquals", "matches", "notMatches"],
      "expected an operator such as '=', '!=', '=~' or '!~'",
    );
    const valueTok = this.#expectOr(["unquoted", "quoted"], "expected label value");
    const value = unquoteToken(valueTok);
    try {
      this.matchers.push(Matcher.create(OPERATORS[opTok.kind]!, name, value));
    } catch (err) {
      throw new Fail(`failed to create matcher: ${(err as Error).message}`, false);
    }
    return this.#endOfMatcher;
  }

  #endOfMatcher(): State {
    let t: Token;
    try {
      t = this.#expectPeek(["comma", "closeBrace"]);
    } catch (err) {
      if (err instanceof Fail && err.eof) return this.#closeBrace;
      throw wrap(err, "expected a comma or close brace");
    }
    return t.kind === "comma" ? this.#comma : this.#closeBrace;
  }

  #comma(): State {
    this.#expectOr(["comma"], "expected a comma");
    let t: Token;
    try {
      t = this.#expectPeek(["closeBrace", "unquoted", "quoted"]);
    } catch (err) {
      if (err instanceof Fail && err.eof) return this.#closeBrace;
      throw wrap(err, "expected a matcher or close brace after comma");
    }
    return t.kind === "closeBrace" ? this.#closeBrace : this.#matcher;
  }

  #eof(): State {
    let t: Token;
    try {
      t = this.#l.scan();
    } catch (err) {
      throw wrap(err, "expected end of input");
    }
    if (t.kind !== "eof")
      throw new Fail(`${t.columnStart}:${t.columnEnd}: ${t.value}: expected end of input`, false);
    return null;
  }

  #accept(kind: TokenKind): boolean {
    const ok = this.#acceptPeek(kind);
    if (ok) this.#l.scan();
    return ok;
  }

  #acceptPeek(kind: TokenKind): boolean {
    const t = this.#l.peek();
    if (t.kind === "eof") throw new Fail(END_OF_INPUT, true);
    return t.kind === kind;
  }

  #expectPeek(kinds: readonly TokenKind[]): Token {
    const t = this.#l.peek();
    if (t.kind === "eof") throw new Fail(END_OF_INPUT, true);
    if (!kinds.includes(t.kind))
      throw new Fail(`${t.columnStart}:${t.columnEnd}: unexpected ${t.value}`, false);
    return t;
  }

  #expect(kind: TokenKind): Token {
    const t = this.#expectPeek([kind]);
    this.#l.scan();
    return t;
  }

  #tryExpect(kind: TokenKind): boolean {
    try {
      this.#expect(kind);
      return true;
    } catch (err) {
      if (err instanceof Fail || err instanceof MatcherParseError) return false;
      throw err;
    }
  }

  #expectOr(kinds: readonly TokenKind[], reason: string): Token {
    try {
      const t = this.#expectPeek(kinds);
      this.#l.scan();
      return t;
    } catch (err) {
      throw wrap(err, reason);
    }
  }
}

function unquoteToken(t: Token): string {
  if (t.kind !== "quoted") return t.value;
  const s = goUnquote(t.value);
  if (s === undefined) throw new Fail(`${t.columnStart}:${t.columnEnd}: ${t.value}: invalid input`, false);
  return s;
}

/**
 * Parses zero or more matchers in the UTF-8 syntax (`{foo="bar", baz=~"x.*"}`,
 * braces optional). Throws {@link MatcherParseError} with upstream's message.
 */
export function parseMatchersUTF8(input: string): Matcher[] {
  try {
    return new Parser(input).run();
  } catch (err) {
    if (err instanceof Fail) throw new MatcherParseError(err.message);
    throw err;
  }
}

/** Parses exactly one matcher in the UTF-8 syntax (`no matchers`, `expected 1 matcher, found 2`). */
export function parseMatcherUTF8(input: string): Matcher {
  const ms = parseMatchersUTF8(input);
  if (ms.length === 1) return ms[0];
  if (ms.length === 0) throw new MatcherParseError("no matchers");
  throw new MatcherParseError(`expected 1 matcher, found ${ms.length}`);
}
