/**
 * What `parseRules` produces for valid files (messages for invalid ones are
 * compared with promtool in `../check.test.ts`).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRules } from "./parse.ts";

function groupsOf(text: string) {
  const res = parseRules(text);
  if (!res.ok) assert.fail(res.errors.join("\n"));
  return res.groups.groups;
}

describe("parseRules", () => {
  it("decodes every field, durations in ms", () => {
    const [g] = groupsOf(`groups:
  - name: g
    interval: 1m30s
    query_offset: 10s
    limit: 7
    labels: {b: "2", a: "1"}
    rules:
      - alert: A
        expr: up == 0
        for: 5m
        keep_firing_for: 1h
        labels: {severity: page}
        annotations: {summary: "{{ $labels.instance }}"}
      - record: r
        expr: sum(up)
`);
    assert.deepEqual(g, {
      name: "g",
      interval: 90_000,
      query_offset: 10_000,
      limit: 7,
      labels: { b: "2", a: "1" },
      rules: [
        {
          record: "",
          alert: "A",
          expr: "up == 0",
          for: 300_000,
          keep_firing_for: 3_600_000,
          labels: { severity: "page" },
          annotations: { summary: "{{ $labels.instance }}" },
        },
        { record: "r", alert: "", expr: "sum(up)", for: 0, keep_firing_for: 0, labels: {}, annotations: {} },
      ],
    });
  });

  it("tells an unset query_offset from zero", () => {
    const gs = groupsOf(
      "groups: [{name: a, rules: []}, {name: b, query_offset: 0s, rules: []}, {name: c, query_offset: ~, rules: []}]",
    );
    assert.deepEqual(
      gs.map((g) => g.query_offset),
      [undefined, 0, undefined],
    );
  });

  it("reads numbers and booleans as strings where strings are expected", () => {
    const [g] = groupsOf("groups: [{name: 1, rules: [{record: r, expr: 2, labels: {a: yes, b: 1.5}}]}]");
    assert.equal(g!.name, "1");
    assert.equal(g!.rules[0]!.expr, "2");
    assert.deepEqual(g!.rules[0]!.labels, { a: "yes", b: "1.5" });
  });

  it("expands aliases and merge keys", () => {
    const [g] = groupsOf(`groups:
  - name: g
    rules:
      - alert: A
        expr: up
        labels: &common {severity: page}
      - alert: B
        expr: up
        labels:
          <<: *common
          team: t
`);
    assert.deepEqual(g!.rules[1]!.labels, { severity: "page", team: "t" });
  });

  it("drops null list items as yaml.v3 does", () => {
    const gs = groupsOf(
      "groups:\n  -\n  - name: a\n    rules:\n      -\n      - record: r\n        expr: '1'\n",
    );
    assert.equal(gs.length, 1);
    assert.equal(gs[0]!.rules.length, 1);
  });

  it("ignores unknown fields on request", () => {
    const text = "groups: [{name: a, owner: me, rules: [{record: r, expr: '1', doc: x}]}]";
    assert.equal(parseRules(text).ok, false);
    assert.equal(parseRules(text, { ignoreUnknownFields: true }).ok, true);
  });

  it("accepts experimental functions only when enabled", () => {
    const text = "groups: [{name: a, rules: [{record: r, expr: 'sort_by_label(up, \"a\")'}]}]";
    const res = parseRules(text);
    assert.ok(!res.ok && /could not parse expression/.test(res.errors[0]!));
    assert.equal(parseRules(text, { experimentalFunctions: true }).ok, true);
  });
});
