import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMatchersClassic } from "./classic.ts";
import {
  initMatcherParsing,
  isValidLabelName,
  matcherParserMode,
  modeFromFeatures,
  parseMatcher,
  parseMatchers,
} from "./compat.ts";
import { compareMatchers, Matcher, matchersMatch, matchersToString, sortMatchers } from "./matcher.ts";

describe("Matcher", () => {
  it("matches values as upstream (anchored regex, absent label is empty)", () => {
    const cases: ReadonlyArray<[Matcher, string, boolean]> = [
      [Matcher.create("=", "a", "b"), "b", true],
      [Matcher.create("=", "a", ""), "", true],
      [Matcher.create("!=", "a", "b"), "c", true],
      [Matcher.create("=~", "a", "b|c"), "c", true],
      [Matcher.create("=~", "a", "b"), "abc", false],
      [Matcher.create("!~", "a", "x.*"), "xyz", false],
      [Matcher.create("=~", "a", "a.b"), "a\nb", false],
      [Matcher.create("=~", "a", "(?s)a.b"), "a\nb", true],
      [Matcher.create("=~", "a", "a[^x]b"), "a\nb", true],
    ];
    for (const [m, v, want] of cases) assert.equal(m.matches(v), want, `${m} on ${JSON.stringify(v)}`);
  });

  it("prints as upstream's String()", () => {
    assert.equal(Matcher.create("=", "a", 'x"y\\z\n').toString(), 'a="x\\"y\\\\z\\n"');
    assert.equal(Matcher.create("=~", "my label", "é\t").toString(), '"my label"=~"é\\t"');
    assert.equal(Matcher.create("!=", "a.b", "1").toString(), 'a.b!="1"');
  });

  it("refuses a bad regex with Go's message", () => {
    assert.throws(() => Matcher.create("=~", "a", "x{2,1}"), {
      message: "error parsing regexp: invalid repeat count: `{2,1}`",
    });
  });

  it("sorts by name, value, then operator", () => {
    const ms = [
      Matcher.create("!=", "b", "1"),
      Matcher.create("=", "b", "1"),
      Matcher.create("=~", "a", "z"),
    ];
    assert.equal(matchersToString(sortMatchers(ms)), '{a=~"z",b="1",b!="1"}');
    assert.ok(compareMatchers(ms[1], ms[0]) < 0);
  });

  it("matches a label set", () => {
    const ms = [Matcher.create("=", "job", "api"), Matcher.create("!~", "env", "dev|test")];
    assert.equal(matchersMatch(ms, { job: "api", env: "prod" }), true);
    assert.equal(matchersMatch(ms, { job: "api" }), true);
    assert.equal(matchersMatch(ms, { job: "api", env: "dev" }), false);
    assert.equal(matchersMatch([Matcher.create("=", "toString", "")], {}), true);
  });
});

describe("classic parser", () => {
  const cases: ReadonlyArray<[string, string]> = [
    ['{foo = "bar", dings != "bums", }', '{foo="bar",dings!="bums"}'],
    ["foo=bar,dings!=bums", '{foo="bar",dings!="bums"}'],
    [
      '{quote="She said: \\"Hi, ladies! That\'s gender-neutral…\\""}',
      '{quote="She said: \\"Hi, ladies! That\'s gender-neutral…\\""}',
    ],
    ['statuscode=~"5.."', '{statuscode=~"5.."}'],
    ["foo=", '{foo=""}'],
    ["foo=a\\qb", '{foo="a\\\\qb"}'],
    ["foo=bar\\", '{foo="bar\\\\"}'],
  ];
  for (const [input, want] of cases) {
    it(`parses ${input}`, () => assert.equal(matchersToString(parseMatchersClassic(input)), want));
  }
  const errors: ReadonlyArray<[string, string]> = [
    ["foo", "bad matcher format: foo"],
    ["a=b,,c=d", "bad matcher format: "],
    ['foo="bar', 'matcher value contains unescaped double quote: "bar'],
    ['foo=b"ar', 'matcher value contains unescaped double quote: b"ar'],
  ];
  for (const [input, message] of errors) {
    it(`refuses ${input}`, () => assert.throws(() => parseMatchersClassic(input), { message }));
  }
});

describe("compat", () => {
  it("maps feature flags to modes", () => {
    assert.equal(modeFromFeatures([]), "fallback");
    assert.equal(modeFromFeatures(["utf8-strict-mode"]), "utf8-strict");
    assert.equal(modeFromFeatures(["classic-mode", "utf8-strict-mode"]), "classic");
  });

  it("falls back to the classic parser and warns", () => {
    const warnings: string[] = [];
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (msg: string) => warnings.push(msg),
      with: () => logger,
    };
    assert.equal(matchersToString(parseMatchers("foo=", "config", { logger })), '{foo=""}');
    assert.match(warnings[0], /^Alertmanager is moving to a new parser/);
    // Valid in both with different readings: the classic reading wins, with a warning.
    assert.equal(
      matchersToString(parseMatchers('qux="\\xf0\\x9f\\x99\\x82"', "config", { logger })),
      '{qux="\\\\xf0\\\\x9f\\\\x99\\\\x82"}',
    );
    assert.equal(warnings[1], "Matchers input has disagreement");
    assert.throws(() => parseMatchers("foo=", "config", { mode: "utf8-strict" }), {
      message: "end of input: expected label value",
    });
  });

  it("parses one matcher, refusing braces outside classic mode", () => {
    assert.equal(parseMatcher("a=b", "cli").toString(), 'a="b"');
    assert.throws(() => parseMatcher("{a=b}", "cli"), { message: "unexpected open or close brace: {a=b}" });
    assert.throws(() => parseMatcher("{a=b}", "cli", { mode: "classic" }), {
      message: "bad matcher format: {a=b}",
    });
  });

  it("validates label names per mode", () => {
    assert.equal(isValidLabelName("a.b"), true);
    assert.equal(isValidLabelName(""), false);
    assert.equal(isValidLabelName("a.b", { mode: "classic" }), false);
  });

  it("keeps a process-wide mode", () => {
    initMatcherParsing("classic");
    try {
      assert.equal(matcherParserMode(), "classic");
      assert.throws(() => parseMatchers('"a"="b"', "api"));
    } finally {
      initMatcherParsing("fallback");
    }
  });
});
