import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "./objects.ts";
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from "./selectors.ts";

const LABELS = { app: "cart", tier: "web", replicas: "3" };

// [selector, matches LABELS]
const LABEL_CASES: [string, boolean][] = [
  ["", true],
  ["app=cart", true],
  ["app==cart,tier=web", true],
  ["app!=cart", false],
  ["app in (cart, frontend)", true],
  ["app notin (cart)", false],
  ["missing notin (x)", true],
  ["tier", true],
  ["!tier", false],
  ["!missing", true],
  ["replicas>2", true],
  ["replicas<2", false],
  ["app=cart,missing", false],
]; // biome-ignore format: a table

const BAD_LABELS: [string, RegExp][] = [
  ["a in (b", /unable to parse requirement/],
  ["a b", /unable to parse requirement/],
  ["a>b", /must be an integer/],
];

describe("label selectors", () => {
  for (const [sel, want] of LABEL_CASES) {
    it(`${JSON.stringify(sel)} ${want ? "matches" : "does not match"}`, () => {
      assert.equal(matchLabels(parseLabelSelector(sel), LABELS), want);
    });
  }
  for (const [sel, err] of BAD_LABELS) {
    it(`rejects ${JSON.stringify(sel)}`, () => assert.throws(() => parseLabelSelector(sel), err));
  }
});

describe("field selectors", () => {
  const pod = {
    metadata: { name: "p", namespace: "shop" },
    spec: { nodeName: "n1" },
    status: { phase: "Running" },
  } as KubeObject;
  const CASES: [string, boolean][] = [
    ["spec.nodeName=n1", true],
    ["spec.nodeName==n2", false],
    ["status.phase!=Pending,metadata.namespace=shop", true],
    ["spec.missing=", true],
  ];
  for (const [sel, want] of CASES) {
    it(`${sel} ${want ? "matches" : "does not match"}`, () =>
      assert.equal(matchFields(parseFieldSelector(sel), pod), want));
  }
  it("rejects a term without an operator with apimachinery's message", () => {
    assert.throws(() => parseFieldSelector("a=b,c"), {
      message: "invalid selector: 'a=b,c'; can't understand 'c'",
    });
  });
});
