/**
 * Differential test against the reference amtool: each input is a route's
 * `matchers` entry; `amtool config routes show` prints the parsed matchers (or
 * the parse error), in each of the three parser modes. Vigil must print the
 * same matchers or fail with the same message.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { amtoolSkip, runAmtool, tempDir } from "../config/testing.ts";
import { type MatcherParserMode, parseMatchers } from "./compat.ts";
import { matchersToString, sortMatchers } from "./matcher.ts";

const INPUTS: readonly string[] = [
  'foo="bar"',
  "foo=bar",
  "foo = bar",
  "foo=",
  'foo=""',
  "foo!=bar",
  'foo=~"a|b"',
  "foo=~a|b",
  "foo=~[a-z]+",
  'foo!~"x.*"',
  "{foo=bar, baz=qux}",
  '{foo="bar",}',
  "foo=bar,",
  "foo=bar baz",
  'foo="bar baz"',
  'foo="a,b"',
  "foo=a,b=c",
  '"foo"="bar"',
  '"my label"="x"',
  "my.label=x",
  "foo=🙂",
  'foo="\\xf0\\x9f\\x99\\x82"',
  'foo="\\n"',
  'foo="a\\"b"',
  'foo="a\\\\b"',
  "foo=a\\b",
  "{foo=bar",
  "foo=bar}",
  "{}",
  "",
  ",",
  "foo",
  "=bar",
  "foo=~(",
  'foo=~"("',
  "foo==bar",
  "foo!bar",
  "foo=bar=baz",
  "{{foo=bar}}",
  "foo='bar'",
  "foo=`bar`",
  "1foo=bar",
  "foo:bar=baz",
  'foo="unterminated',
  "foo=~\\d+",
  'foo=~"\\\\d+"',
];

const MODES: ReadonlyArray<[MatcherParserMode, string[]]> = [
  ["fallback", []],
  ["utf8-strict", ["--enable-feature=utf8-strict-mode"]],
  ["classic", ["--enable-feature=classic-mode"]],
];

/** What amtool prints for the child route: its matchers, or the error. */
function reference(path: string, flags: readonly string[]): string {
  const r = runAmtool(["config", "routes", "show", `--config.file=${path}`, ...flags]);
  if (r.status !== 0) {
    const m = /amtool: error: (.*)/s.exec(r.stderr);
    return `error: ${(m?.[1] ?? r.stderr).replace(/\n+$/, "")}`;
  }
  const line = r.stdout.split("\n").find((l) => l.includes("└── ") && l.startsWith("    ")) ?? "";
  const slug = line.replace(/^.*└── /, "").replace(/ {2}receiver: .*$/, "");
  return slug === "default-route" ? "{}" : slug;
}

function ours(input: string, mode: MatcherParserMode): string {
  try {
    return matchersToString(sortMatchers(parseMatchers(input, "config", { mode })));
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

describe("matchers parsers against amtool 0.33", { skip: amtoolSkip() }, () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  for (const [mode, flags] of MODES) {
    it(`agree in ${mode} mode`, () => {
      let agree = 0;
      const diffs: string[] = [];
      for (const [i, input] of INPUTS.entries()) {
        const yaml = `route:\n  receiver: r\n  routes:\n  - receiver: r\n    matchers: [${JSON.stringify(input)}]\nreceivers:\n- name: r\n`;
        const want = reference(tmp.write(`m${i}.yml`, yaml), flags);
        const got = ours(input, mode);
        if (got === want) agree++;
        else diffs.push(`${JSON.stringify(input)}: want ${want}, got ${got}`);
      }
      console.log(`${agree}/${INPUTS.length} matcher inputs agree (${mode})`);
      assert.deepEqual(diffs, []);
    });
  }
});
