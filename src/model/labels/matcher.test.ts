import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MatchType } from "./matcher.ts";
import { isMatchType, Matcher } from "./matcher.ts";
import { RegexError } from "./regex.ts";

describe("Matcher.matches", () => {
  const cases: [MatchType, string, string, boolean][] = [
    ["=", "api", "api", true],
    ["=", "api", "apix", false],
    ["=", "", "", true],
    ["!=", "api", "api", false],
    ["!=", "api", "", true],
    ["=~", "api|web", "web", true],
    ["=~", "api|web", "xweb", false],
    ["=~", "a.c", "a\nc", true],
    ["=~", "api.*", "api-1", true],
    ["!~", "api.*", "api-1", false],
    ["!~", "api.*", "web", true],
    ["=~", "[0-9]+", "123", true],
    ["!~", "[0-9]+", "12a", true],
  ];
  for (const [type, value, input, want] of cases) {
    it(`job${type}"${value}" on ${JSON.stringify(input)}`, () => {
      const m = Matcher.create(type, "job", value);
      assert.equal(m.matches(input), want);
      assert.equal(m.inverse().matches(input), !want, "inverse negates");
    });
  }
});

describe("Matcher.matchesEmpty", () => {
  const cases: [MatchType, string, boolean][] = [
    ["=", "", true],
    ["=", "x", false],
    ["!=", "", false],
    ["!=", "x", true],
    ["=~", ".*", true],
    ["=~", ".+", false],
    ["=~", "a|", true],
    ["!~", ".+", true],
    ["!~", "", false],
  ];
  for (const [type, value, want] of cases) {
    it(`${type}"${value}"`, () => assert.equal(Matcher.create(type, "l", value).matchesEmpty(), want));
  }
});

describe("Matcher.toString", () => {
  const cases: [MatchType, string, string, string][] = [
    ["=", "job", "api", 'job="api"'],
    ["!=", "job", "", 'job!=""'],
    ["=~", "path", 'a\\.b"c', 'path=~"a\\\\.b\\"c"'],
    ["!~", "x", "line\nbreak", 'x!~"line\\nbreak"'],
    ["=", "k8s.io/app", "v", '"k8s.io/app"="v"'],
    ["=", "0abc", "v", '"0abc"="v"'],
    ["=", "", "v", '""="v"'],
  ];
  for (const [type, name, value, want] of cases)
    it(want, () => assert.equal(Matcher.create(type, name, value).toString(), want));
});

describe("Matcher helpers", () => {
  it("exposes set matches and prefix for regex matchers only", () => {
    assert.deepEqual(Matcher.create("=~", "job", "a|b").setMatches(), ["a", "b"]);
    assert.equal(Matcher.create("=", "job", "a|b").setMatches(), undefined);
    assert.equal(Matcher.create("=~", "job", "api-.*").prefix(), "api-");
    assert.equal(Matcher.create("=", "job", "api").prefix(), "");
    assert.equal(Matcher.create("=~", "job", "x").isRegex(), true);
    assert.equal(Matcher.create("!=", "job", "x").isRegex(), false);
  });

  it("inverse flips the operator", () => {
    const pairs: [MatchType, MatchType][] = [
      ["=", "!="],
      ["!=", "="],
      ["=~", "!~"],
      ["!~", "=~"],
    ];
    for (const [from, to] of pairs) assert.equal(Matcher.create(from, "a", "b").inverse().type, to);
  });

  it("throws RegexError with Go's message on an invalid regex", () => {
    assert.throws(
      () => Matcher.create("=~", "job", "("),
      (err: unknown) =>
        err instanceof RegexError && err.message === "error parsing regexp: missing closing ): `(`",
    );
    assert.doesNotThrow(() => Matcher.create("=", "job", "("), "equality never compiles");
  });

  it("isMatchType", () => {
    for (const t of ["=", "!=", "=~", "!~"]) assert.ok(isMatchType(t));
    for (const t of ["==", "~", ""]) assert.ok(!isMatchType(t));
  });
});
