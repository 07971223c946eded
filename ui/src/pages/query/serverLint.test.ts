import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Text } from "@codemirror/state";
import { diagnosticFor } from "./serverLint.ts";

describe("diagnosticFor", () => {
  const cases: readonly (readonly [string, readonly string[], number, number, string])[] = [
    [
      'invalid parameter "query": 1:4: parse error: unexpected identifier "up"',
      ["up up"],
      3,
      4,
      'parse error: unexpected identifier "up"',
    ],
    [
      'invalid parameter "query": 2:6: parse error: unexpected identifier "bar"',
      ["foo +", " bar bar"],
      11,
      12,
      'parse error: unexpected identifier "bar"',
    ],
    [
      'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
      ["sum("],
      3,
      4,
      "parse error: unclosed left parenthesis",
    ],
    ["something else", ["x"], 0, 1, "something else"],
  ];
  for (const [message, lines, from, to, text] of cases) {
    it(text, () => {
      const d = diagnosticFor(message, Text.of(lines));
      assert.deepEqual([d.from, d.to, d.severity, d.message], [from, to, "error", text]);
    });
  }
});
