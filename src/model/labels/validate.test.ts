import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "./labels.ts";
import {
  isValidLabelName,
  isValidLabels,
  isValidLabelValue,
  isValidLegacyLabelName,
  isValidLegacyMetricName,
  isValidMetricName,
  isValidUTF8Name,
} from "./validate.ts";

// [name, legacy metric, legacy label, utf8]
const names: [string, boolean, boolean, boolean][] = [
  ["up", true, true, true],
  ["http_requests_total", true, true, true],
  ["_x", true, true, true],
  ["A9", true, true, true],
  ["a:b", true, false, true],
  [":a", true, false, true],
  ["9a", false, false, true],
  ["", false, false, false],
  ["a-b", false, false, true],
  ["a.b", false, false, true],
  ["é", false, false, true],
  ["a b", false, false, true],
  ["😀", false, false, true],
  ["a\uD800", false, false, false],
  ["\uDC00b", false, false, false],
];

describe("name validation", () => {
  for (const [name, metric, label, utf8] of names) {
    it(JSON.stringify(name), () => {
      assert.equal(isValidLegacyMetricName(name), metric, "legacy metric");
      assert.equal(isValidLegacyLabelName(name), label, "legacy label");
      assert.equal(isValidUTF8Name(name), utf8, "utf8");
      assert.equal(isValidMetricName(name, "legacy"), metric);
      assert.equal(isValidLabelName(name, "legacy"), label);
      assert.equal(isValidMetricName(name, "utf8"), utf8);
      assert.equal(isValidLabelName(name, "utf8"), utf8);
    });
  }

  it("legacy checks agree with the upstream regexes on every ASCII character", () => {
    const metricRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
    const labelRe = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
    for (let c = 0; c < 0x80; c++) {
      for (const s of [String.fromCharCode(c), `a${String.fromCharCode(c)}`]) {
        assert.equal(isValidLegacyMetricName(s), metricRe.test(s), JSON.stringify(s));
        assert.equal(isValidLegacyLabelName(s), labelRe.test(s), JSON.stringify(s));
      }
    }
  });

  it("label values", () => {
    assert.equal(isValidLabelValue(""), true);
    assert.equal(isValidLabelValue("any thing\n"), true);
    assert.equal(isValidLabelValue("\uD83D"), false);
  });
});

describe("isValidLabels", () => {
  const cases: [string, Labels, boolean, boolean][] = [
    ["plain", Labels.fromStrings("__name__", "up", "job", "x"), true, true],
    ["dotted metric", Labels.fromStrings("__name__", "a.b", "job", "x"), false, true],
    ["dotted label", Labels.fromStrings("__name__", "up", "k.8s", "x"), false, true],
    ["bad value", Labels.fromStrings("job", "\uD800"), false, false],
    ["bad name", Labels.fromStrings("\uD800", "x"), false, false],
  ];
  for (const [title, ls, legacy, utf8] of cases) {
    it(title, () => {
      assert.equal(isValidLabels(ls, "legacy"), legacy);
      assert.equal(isValidLabels(ls, "utf8"), utf8);
    });
  }
});
