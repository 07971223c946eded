import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Lexer } from "./lexer.ts";
import { matchersToString } from "./matcher.ts";
import { parseMatchersUTF8, parseMatcherUTF8 } from "./parse.ts";

// Inputs and expectations from upstream's matcher/parse tests; `want` is the
// parsed list printed with upstream's `Matchers.String()`.
const MATCHERS: ReadonlyArray<{ input: string; want?: string; error?: string }> = [
  { input: "", want: "{}" },
  { input: "{}", want: "{}" },
  { input: "{foo=bar}", want: '{foo="bar"}' },
  { input: "{foo=bar,}", want: '{foo="bar"}' },
  { input: "{foo!=bar}", want: '{foo!="bar"}' },
  { input: "{foo=~[a-z]+}", want: '{foo=~"[a-z]+"}' },
  { input: "{foo!~[a-z]+}", want: '{foo!~"[a-z]+"}' },
  { input: "{foo=🙂bar}", want: '{foo="🙂bar"}' },
  { input: "foo=bar,", want: '{foo="bar"}' },
  { input: '{"foo"="bar",}', want: '{foo="bar"}' },
  { input: '{"foo"="\\xf0\\x9f\\x99\\x82"}', want: '{foo="🙂"}' },
  { input: '{"foo"="\\U0001f642"}', want: '{foo="🙂"}' },
  { input: '{"foo"="bar\\n"}', want: '{foo="bar\\n"}' },
  { input: '{"foo"="\\"bar\\""}', want: '{foo="\\"bar\\""}' },
  { input: '{"foo"="bar\\\\"}', want: '{foo="bar\\\\"}' },
  { input: "{foo=bar,bar!=baz}", want: '{foo="bar",bar!="baz"}' },
  { input: 'foo="bar",bar!="baz"', want: '{foo="bar",bar!="baz"}' },
  { input: '{"my label"="x"}', want: '{"my label"="x"}' },
  { input: "{\n  foo = bar ,\n}", want: '{foo="bar"}' },
  { input: ",", error: "0:1: unexpected ,: expected label name" },
  { input: "{,}", error: "1:2: unexpected ,: expected label name" },
  { input: "{", error: "0:1: end of input: expected close brace" },
  { input: "}", error: "0:1: }: expected opening brace" },
  { input: "foo=bar}", error: "0:8: }: expected opening brace" },
  { input: "{foo=bar", error: "0:8: end of input: expected close brace" },
  { input: '{foo=:"bar"}', error: '6:11: unexpected "bar": expected a comma or close brace' },
  { input: '{foo="bar\\w"}', error: '5:12: "bar\\w": invalid input' },
  { input: "{foo=bar\\n}", error: "8:9: \\: invalid input: expected a comma or close brace" },
  { input: '{"foo"="\\xf0\\x9f"}', error: '7:17: "\\xf0\\x9f": invalid input' },
  { input: "foo=", error: "end of input: expected label value" },
  { input: "foo", error: "end of input: expected an operator such as '=', '!=', '=~' or '!~'" },
  { input: "foo=bar baz", error: "8:11: unexpected baz: expected a comma or close brace" },
  {
    input: '{foo=~"("}',
    error: "failed to create matcher: error parsing regexp: missing closing ): `^(?:()$`",
  },
  { input: "{{foo=bar}}", error: "1:2: unexpected {: expected label name" },
];

describe("parseMatchersUTF8", () => {
  for (const c of MATCHERS) {
    it(JSON.stringify(c.input), () => {
      if (c.error !== undefined) {
        assert.throws(() => parseMatchersUTF8(c.input), { message: c.error });
      } else {
        assert.equal(matchersToString(parseMatchersUTF8(c.input)), c.want);
      }
    });
  }
});

describe("parseMatcherUTF8", () => {
  const cases: ReadonlyArray<{ input: string; want?: string; error?: string }> = [
    { input: "{foo=bar,}", want: 'foo="bar"' },
    { input: "", error: "no matchers" },
    { input: "{}", error: "no matchers" },
    { input: "foo=bar,bar=baz", error: "expected 1 matcher, found 2" },
    { input: 'foo="\\xf0\\x9f"', error: '4:14: "\\xf0\\x9f": invalid input' },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.input), () => {
      if (c.error !== undefined) assert.throws(() => parseMatcherUTF8(c.input), { message: c.error });
      else assert.equal(parseMatcherUTF8(c.input).toString(), c.want);
    });
  }
});

describe("Lexer", () => {
  const errors: ReadonlyArray<[string, string]> = [
    ["!", "0:1: unexpected end of input, expected one of '=~'"],
    ["~", "0:1: ~: invalid input"],
    ["=!", "1:2: unexpected end of input, expected one of '=~'"],
    ["!=!!", "2:3: !: expected one of '=~'"],
    ["hello!", "5:6: unexpected end of input, expected one of '=~'"],
    ["\\n", "0:1: \\: invalid input"],
    ['"hello', '0:6: "hello: missing end "'],
    ['"hello\\"', '0:8: "hello\\": missing end "'],
  ];
  for (const [input, message] of errors) {
    it(`fails on ${JSON.stringify(input)}`, () => {
      const l = new Lexer(input);
      const scanAll = (): void => {
        for (let i = 0; i < 10; i++) if (l.scan().kind === "eof") return;
      };
      assert.throws(scanAll, { message });
      // The error sticks: no more tokens after it.
      assert.throws(() => l.scan(), { message });
    });
  }

  it("counts columns in code points and skips Unicode spaces", () => {
    const l = new Lexer("hello🙂Σ\u202fworld");
    const a = l.scan();
    const b = l.scan();
    assert.deepEqual([a.value, a.columnStart, a.columnEnd], ["hello🙂Σ", 0, 7]);
    assert.deepEqual([b.value, b.columnStart, b.columnEnd], ["world", 8, 13]);
    assert.equal(l.scan().kind, "eof");
  });

  it("peek does not consume", () => {
    const l = new Lexer("hello world");
    assert.equal(l.peek().value, "hello");
    assert.equal(l.scan().value, "hello");
    assert.equal(l.peek().value, "world");
    assert.equal(l.peek().value, "world");
    assert.equal(l.scan().value, "world");
    assert.equal(l.peek().kind, "eof");
  });
});
