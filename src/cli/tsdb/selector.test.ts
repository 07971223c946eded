import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseSeriesSelector, SelectorError } from "./selector.ts";
import { PROMTOOL, promtool, tempDir } from "./testing.ts";

function show(input: string): string {
  return parseSeriesSelector(input)
    .map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`)
    .join(" ");
}

describe("parseSeriesSelector", () => {
  const cases: [string, string][] = [
    ["foo", '__name__="foo"'],
    [" foo_total ", '__name__="foo_total"'],
    ["foo:bar", '__name__="foo:bar"'],
    [":foo", '__name__=":foo"'],
    ["sum", '__name__="sum"'],
    ["by", '__name__="by"'],
    ["foo{}", '__name__="foo"'],
    ["{}", ""],
    ["{ }", ""],
    ['foo{a="b"}', '__name__="foo" a="b"'],
    ['{a="1",}', 'a="1"'],
    ['{a="1" , b!="x"}', 'a="1" b!="x"'],
    ["{a='1'}", 'a="1"'],
    ["{a=`1\\n`}", 'a="1\\\\n"'],
    ['{a="\\x31\\u0032\\U00000033\\064"}', 'a="1234"'],
    ['{a="\\n\\t\\"\\\\"}', 'a="\\n\\t\\"\\\\"'],
    ["{a='\\''}", `a="'"`],
    ['{"a.b"="1"}', 'a.b="1"'],
    ['{"foo_total", a="1"}', '__name__="foo_total" a="1"'],
    ['{a!~"1", __name__=~"f.*"}', 'a!~"1" __name__=~"f.*"'],
    ["{__name__=~'(?s:.*)'}", '__name__=~"(?s:.*)"'],
    ['{a="1"} # a comment', 'a="1"'],
  ];
  for (const [input, want] of cases) it(`parses ${input}`, () => assert.equal(show(input), want));

  it("builds working matchers", () => {
    const [m] = parseSeriesSelector("{__name__=~'(?s:.*)'}");
    assert.ok(m!.matches("a\nb"));
    const [r] = parseSeriesSelector('{a=~"b|c"}');
    assert.ok(r!.matches("c"));
    assert.ok(!r!.matches("bc"));
  });

  // Messages as promtool 3.5 prints them for `tsdb dump --match=<input>`.
  const errors: [string, string][] = [
    ["", "unknown position: parse error: unexpected end of input"],
    ['foo{a="b"', "1:10: parse error: unexpected end of input inside braces"],
    ["foo{", "1:5: parse error: unexpected end of input inside braces"],
    ["{a=", "1:4: parse error: unexpected end of input inside braces"],
    ["foo{a}", '1:6: parse error: unexpected "}" in label matching, expected label matching operator'],
    ["foo{a=b}", '1:7: parse error: unexpected identifier "b" in label matching, expected string'],
    ["{a==b}", '1:4: parse error: unexpected "=" in label matching, expected string'],
    ['{a="1" b="2"}', '1:8: parse error: unexpected identifier "b" in label matching, expected "," or "}"'],
    ["{,}", '1:2: parse error: unexpected "," in label matching, expected identifier or "}"'],
    ['{a="1",,}', '1:8: parse error: unexpected "," in label matching, expected identifier or "}"'],
    ['{!="1"}', '1:2: parse error: unexpected <op:!=> in label matching, expected identifier or "}"'],
    ["foo bar", '1:5: parse error: unexpected identifier "bar"'],
    ["foo[5m]", '1:4: parse error: unexpected "["'],
    ["sum(foo)", '1:4: parse error: unexpected "("'],
    ['foo{a="1"}[5m]', '1:11: parse error: unexpected "["'],
    ['{a="1"} 5', '1:9: parse error: unexpected number "5"'],
    ['{a="1"} 5m', '1:9: parse error: unexpected duration "5m"'],
    ['{a="1"} "x"', '1:9: parse error: unexpected string "\\"x\\""'],
    ['{a="1"} sum', "1:9: parse error: unexpected <aggr:sum>"],
    ['{a="1"} by', "1:9: parse error: unexpected <by>"],
    ['{a="1"}offset 5m', "1:8: parse error: unexpected <offset>"],
    ["foo or bar", "1:5: parse error: unexpected <op:or>"],
    ['{a="1"} foo:bar', '1:9: parse error: unexpected metric identifier "foo:bar"'],
    ['{a="1"} +', "1:9: parse error: unexpected <op:+>"],
    ["-foo", "1:1: parse error: unexpected <op:->"],
    ["1foo", '1:1: parse error: bad number or duration syntax: "1"'],
    ['{a="1"}}', "1:8: parse error: unexpected character: '}'"],
    ['{a="1"} ]', "1:9: parse error: unexpected right bracket ']'"],
    ['{a="1"} )', "1:10: parse error: unexpected right parenthesis ')'"],
    ['{a@"1"}', "1:3: parse error: unexpected character inside braces: '@'"],
    ['{1="a"}', "1:2: parse error: unexpected character inside braces: '1'"],
    ['{é="1"}', "1:2: parse error: unexpected character inside braces: 'é'"],
    ["{a!b}", "1:3: parse error: unexpected character after '!' inside braces: 'b'"],
    ['{a="1" {}', "1:8: parse error: unexpected left brace '{'"],
    ['{a="', "1:4: parse error: unterminated quoted string"],
    ["{a=`x", "1:4: parse error: unterminated raw string"],
    ['{a="\\q"}', "1:4: parse error: unknown escape sequence U+0071 'q'"],
    ['{a=~"a\\.b"}', "1:5: parse error: unknown escape sequence U+002E '.'"],
    ['{a="\\777"}', "1:4: parse error: escape sequence is an invalid Unicode code point"],
    ['{a="\\xZZ"}', "1:4: parse error: illegal character U+005A 'Z' in escape sequence"],
    ['{a="\\uD800"}', "1:4: parse error: escape sequence is an invalid Unicode code point"],
    ['{a=~"("}', "1:2: parse error: error parsing regexp: missing closing ): `(`"],
  ];
  for (const [input, message] of errors) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseSeriesSelector(input),
        (e: unknown) => {
          assert.ok(e instanceof SelectorError);
          assert.equal(e.message, message);
          return true;
        },
      );
    });
  }

  it("words errors exactly as promtool does", (t) => {
    if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
    const tmp = tempDir();
    try {
      mkdirSync(join(tmp.dir, "wal"));
      for (const [input, message] of errors) {
        const r = promtool("tsdb", "dump", `--match=${input}`, tmp.dir);
        assert.equal(r.code, 1, input);
        assert.equal(r.stderr.trim(), message, input);
      }
    } finally {
      tmp.cleanup();
    }
  });
});
