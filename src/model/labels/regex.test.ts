import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RE2JS } from "re2js";
import { mulberry32 as prng } from "../../testing/prng.ts";
import type { FastPathKind } from "./regex.ts";
import { FastRegexMatcher, MAX_ENGINE_REGEX_LENGTH, MAX_REGEX_LENGTH, RegexError } from "./regex.ts";

/** The reference: upstream's compiled form `^(?s:pattern)$`, run on re2js. */
function oracle(pattern: string, input: string): boolean {
  return RE2JS.compile(`^(?s:${pattern})$`).matches(input);
}

const KELVIN = "\u212A";
const LONG_S = "\u017F";

const kinds: { pattern: string; kind: FastPathKind; inputs: string[] }[] = [
  { pattern: "foo", kind: "literal", inputs: ["foo", "xfoo", "foox", "", "FOO", "fo"] },
  { pattern: "", kind: "literal", inputs: ["", "a"] },
  { pattern: "a\\.b\\-c\\_", kind: "literal", inputs: ["a.b-c_", "aXb-c_", "a\\.b"] },
  { pattern: "foo|bar|baz", kind: "set", inputs: ["foo", "bar", "baz", "ba", "foobar", ""] },
  { pattern: "(foo|bar)", kind: "set", inputs: ["foo", "bar", "(foo", "foo|bar"] },
  { pattern: "(?:foo|)", kind: "set", inputs: ["foo", "", "x"] },
  { pattern: "foo.*", kind: "prefix", inputs: ["foo", "foobar", "foo\nbar", "xfoo", "fo"] },
  { pattern: "foo.+", kind: "prefix", inputs: ["foo", "foo1", "foo😀", "fo"] },
  { pattern: ".*foo", kind: "suffix", inputs: ["foo", "xfoo", "foox", "\nfoo"] },
  { pattern: ".+foo", kind: "suffix", inputs: ["foo", "xfoo", "😀foo"] },
  { pattern: ".*foo.*", kind: "contains", inputs: ["foo", "afoob", "fo", "a\nfoo\n"] },
  { pattern: ".+foo.+", kind: "contains", inputs: ["foo", "afoo", "afoob", "foob"] },
  { pattern: ".*", kind: "any", inputs: ["", "x", "\n", "😀"] },
  { pattern: ".*.*", kind: "any", inputs: ["", "abc"] },
  { pattern: ".+", kind: "nonEmpty", inputs: ["", "x", "\n", "😀"] },
  { pattern: ".*.+", kind: "nonEmpty", inputs: ["", "x"] },
  { pattern: "a.*b.*c", kind: "glob", inputs: ["abc", "aXbYc", "acb", "abcbc", "ab", "a\nb\nc"] },
  { pattern: "a.+b.*c.+d", kind: "glob", inputs: ["aXbcYd", "abcYd", "aXbYcd", "aXbbcYd"] },
  { pattern: "ab.*ab", kind: "glob", inputs: ["ab", "abab", "abxab", "aba"] },
  { pattern: "foo.*|bar", kind: "alternation", inputs: ["foo", "foox", "bar", "barx", ""] },
  { pattern: "(?i)foo", kind: "literal", inputs: ["foo", "FOO", "fOo", "xfoo", "fo"] },
  { pattern: "(?i)kiss", kind: "literal", inputs: ["KISS", `${KELVIN}i${LONG_S}s`, "kİss", "kıss"] },
  { pattern: "(?i)foo|BAR", kind: "set", inputs: ["FOO", "bar", "Bar", "baz", `${KELVIN}`] },
  { pattern: "(?i)(sk|ks)", kind: "set", inputs: ["SK", `${LONG_S}${KELVIN}`, "ks", "sks"] },
  { pattern: "(?i)foo.*", kind: "prefix", inputs: ["FOObar", "fOO", "xfoo"] },
  { pattern: "(?is).*K.*", kind: "contains", inputs: ["k", `a${KELVIN}b`, "abc", "\nK\n"] },
  { pattern: "(?s)foo", kind: "literal", inputs: ["foo", "FOO"] },
  { pattern: "é.*😀", kind: "glob", inputs: ["é😀", "éx😀", "e😀"] },
  // Not simple: must go to the engine.
  { pattern: "fo?", kind: "regex", inputs: ["f", "fo", "foo"] },
  { pattern: "[a-c]+", kind: "regex", inputs: ["abc", "abd", ""] },
  { pattern: "a.b", kind: "regex", inputs: ["a\nb", "axb", "ab"] },
  { pattern: ".+.+", kind: "regex", inputs: ["😀", "ab", "a"] },
  { pattern: "(?i)é", kind: "regex", inputs: ["É", "é"] },
  { pattern: "(a)|(b)", kind: "regex", inputs: ["a", "b", "ab"] },
  { pattern: "^foo$", kind: "regex", inputs: ["foo", "xfoo"] },
  { pattern: "\\d+", kind: "regex", inputs: ["12", "a"] },
  { pattern: "x{2}", kind: "regex", inputs: ["xx", "x"] },
  { pattern: "(?U)a+", kind: "regex", inputs: ["aa"] },
];

describe("FastRegexMatcher fast paths agree with re2js", () => {
  for (const { pattern, kind, inputs } of kinds) {
    it(`${JSON.stringify(pattern)} → ${kind}`, () => {
      const m = new FastRegexMatcher(pattern);
      assert.equal(m.kind, kind);
      for (const input of inputs) {
        assert.equal(
          m.matches(input),
          oracle(pattern, input),
          `${JSON.stringify(pattern)} on ${JSON.stringify(input)}`,
        );
      }
    });
  }

  it("is fully anchored", () => {
    for (const p of ["foo", "fo+", "foo|bar"]) {
      const m = new FastRegexMatcher(p);
      assert.equal(m.matches("xfoo"), false, p);
      assert.equal(m.matches("foox"), false, p);
    }
  });

  it("dot matches newline", () => {
    assert.equal(new FastRegexMatcher("a.b").matches("a\nb"), true);
    assert.equal(new FastRegexMatcher("a.*").matches("a\n\n"), true);
  });
});

describe("setMatches, prefix, matchesEmpty", () => {
  const cases: [string, string[] | undefined, string, boolean][] = [
    ["foo", ["foo"], "foo", false],
    ["foo|bar|foo", ["foo", "bar"], "", false],
    ["api-1|api-2", ["api-1", "api-2"], "api-", false],
    ["a|", ["a", ""], "", true],
    ["(?i)foo|bar", undefined, "", false],
    ["foo.*", undefined, "foo", false],
    ["foo.*|foobar", undefined, "foo", false],
    ["foo[0-9]+", undefined, "foo", false],
    ["foo?", undefined, "fo", false],
    ["fo|x[0-9]", undefined, "", false],
    ["(?i)foo.*", undefined, "", false],
    [".*", undefined, "", true],
    ["a*", undefined, "", true],
  ];
  for (const [pattern, set, prefix, empty] of cases) {
    it(JSON.stringify(pattern), () => {
      const m = new FastRegexMatcher(pattern);
      assert.deepEqual(m.setMatches(), set);
      assert.equal(m.prefix(), prefix);
      assert.equal(m.matchesEmpty(), empty);
      assert.equal(m.matchesEmpty(), oracle(pattern, ""));
    });
  }
});

describe("errors and limits", () => {
  const invalid: [string, string][] = [
    ["(", "error parsing regexp: missing closing ): `(`"],
    ["a)|(b", "error parsing regexp: unexpected ): `a)|(b`"],
    ["a**", "error parsing regexp: invalid nested repetition operator: `**`"],
    ["[z-a]", "error parsing regexp: invalid character class range: `z-a`"],
    ["\\8", "error parsing regexp: invalid escape sequence: `\\8`"],
    ["(?<=a)b", "error parsing regexp: invalid named capture: `(?<=a)b`"],
  ];
  for (const [pattern, message] of invalid) {
    it(`rejects ${pattern}`, () => {
      assert.throws(
        () => new FastRegexMatcher(pattern),
        (err: unknown) => err instanceof RegexError && err.message === message && err.pattern === pattern,
      );
    });
  }

  it("names the pattern in the error for an unclosed group", () => {
    assert.throws(() => new FastRegexMatcher("job(x"), /`job\(x`/);
  });

  it("rejects engine patterns above MAX_ENGINE_REGEX_LENGTH", () => {
    const p = `[a]${"x".repeat(MAX_ENGINE_REGEX_LENGTH)}`;
    assert.throws(() => new FastRegexMatcher(p), /expression too large/);
  });

  it("accepts large literal alternations on the fast path, up to MAX_REGEX_LENGTH", () => {
    const hosts = Array.from({ length: 20_000 }, (_, i) => `host-${i}\\.example\\.com`);
    const m = new FastRegexMatcher(hosts.join("|"));
    assert.equal(m.kind, "set");
    assert.equal(m.matches("host-19999.example.com"), true);
    assert.equal(m.matches("host-20000.example.com"), false);
    assert.throws(() => new FastRegexMatcher("a".repeat(MAX_REGEX_LENGTH + 1)), RegexError);
  });

  it("hostile backtracking pattern returns false (linear engine)", () => {
    const m = new FastRegexMatcher("(a+)+$");
    assert.equal(m.kind, "regex");
    assert.equal(m.matches(`${"a".repeat(36)}!`), false);
    assert.equal(m.matches("a".repeat(36)), true);
  });
});

describe("FastRegexMatcher.cached", () => {
  it("shares instances and does not cache failures", () => {
    assert.equal(FastRegexMatcher.cached("cached-a|b"), FastRegexMatcher.cached("cached-a|b"));
    assert.throws(() => FastRegexMatcher.cached("cached("), RegexError);
    assert.throws(() => FastRegexMatcher.cached("cached("), RegexError);
  });
});

describe("property: fast matcher equals re2js on random simple patterns", () => {
  const rand = prng(20240601);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  // Each token: its pattern text and sample texts it can match (some with case changes).
  const tokens: [string, string[]][] = [
    ["a", ["a", "A"]],
    ["b", ["b"]],
    ["ab", ["ab", "aB"]],
    ["k", ["k", "K", KELVIN]],
    ["S", ["S", "s", LONG_S]],
    ["x\\.y", ["x.y", "xzy"]],
    ["\\|", ["|"]],
    [".*", ["", "z", "\n", "😀"]],
    [".+", ["", "z", "😀"]],
    [".", ["q", "😀"]],
  ];
  const alphabet = ["a", "b", "k", "K", "s", "S", "x", ".", "y", "|", "\n", KELVIN, LONG_S, "😀"];

  function randomPattern(): { pattern: string; samples: string[] } {
    const alts = Array.from({ length: 1 + Math.floor(rand() * 3) }, () =>
      Array.from({ length: Math.floor(rand() * 6) }, () => pick(tokens)),
    );
    let pattern = alts.map((alt) => alt.map(([text]) => text).join("")).join("|");
    if (rand() < 0.2) pattern = `(${pattern})`;
    if (rand() < 0.3) pattern = `(?i)${pattern}`;
    const samples = Array.from({ length: 2 }, () =>
      pick(alts)
        .map(([, texts]) => pick(texts))
        .join(""),
    );
    for (let j = 0; j < 2; j++)
      samples.push(Array.from({ length: Math.floor(rand() * 7) }, () => pick(alphabet)).join(""));
    return { pattern, samples };
  }

  it("1000 random (pattern, input) pairs", () => {
    const kindsSeen = new Set<FastPathKind>();
    let matched = 0;
    for (let i = 0; i < 250; i++) {
      const { pattern, samples } = randomPattern();
      const m = new FastRegexMatcher(pattern);
      kindsSeen.add(m.kind);
      for (const input of samples) {
        const want = oracle(pattern, input);
        assert.equal(
          m.matches(input),
          want,
          `${JSON.stringify(pattern)} (${m.kind}) on ${JSON.stringify(input)}`,
        );
        if (want) matched++;
      }
    }
    assert.ok(kindsSeen.size >= 7 && kindsSeen.has("glob"), `exercised kinds: ${[...kindsSeen].join(", ")}`);
    assert.ok(matched >= 200, `only ${matched} of 1000 pairs match: the generator is too weak`);
  });
});
