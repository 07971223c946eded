import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { yamlLineTokens } from "./yaml.ts";

describe("yamlLineTokens", () => {
  const cases: readonly (readonly [string, readonly (readonly [string, string])[]])[] = [
    ["# comment", [["yaml-comment", "# comment"]]],
    [
      "  scrape_interval: 15s",
      [
        ["", "  "],
        ["yaml-key", "scrape_interval:"],
        ["yaml-number", " 15s"],
      ],
    ],
    [
      "- job_name: 'node' # why",
      [
        ["", "- "],
        ["yaml-key", "job_name:"],
        ["yaml-string", " 'node'"],
        ["yaml-comment", " # why"],
      ],
    ],
    [
      "  honor_labels: false",
      [
        ["", "  "],
        ["yaml-key", "honor_labels:"],
        ["yaml-bool", " false"],
      ],
    ],
    [
      "  - 127.0.0.1:9090",
      [
        ["", "  - "],
        ["yaml-plain", "127.0.0.1:9090"],
      ],
    ],
  ];
  for (const [line, want] of cases) {
    it(line, () => {
      const got = yamlLineTokens(line).map((t) => [t.cls, t.text]);
      assert.deepEqual(got, want);
      assert.equal(got.map(([, text]) => text).join(""), line);
    });
  }
});
