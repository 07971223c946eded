import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import { Matcher, type MatchType } from "../model/labels/matcher.ts";
import { Head } from "./head/head.ts";
import { RangeHead } from "./head/reader.ts";
import { postingsForMatchers } from "./querier.ts";

const SERIES = [
  ["__name__", "up", "job", "api", "instance", "a"],
  ["__name__", "up", "job", "api", "instance", "b"],
  ["__name__", "up", "job", "db"],
  ["__name__", "http_requests_total", "job", "api", "code", "200"],
  ["__name__", "http_requests_total", "job", "api", "code", "500"],
  ["__name__", "http_requests_total", "job", "web", "code", ""],
  ["__name__", "node_load1", "instance", "a"],
];

function head(): Head {
  const h = new Head();
  const app = h.appender();
  for (const flat of SERIES) {
    const kept: string[] = [];
    for (let i = 0; i < flat.length; i += 2) if (flat[i + 1] !== "") kept.push(flat[i]!, flat[i + 1]!);
    app.append(0, Labels.fromFlatUnsorted(kept), 1000, 1);
  }
  app.commit();
  return h;
}

describe("postingsForMatchers", () => {
  const h = head();
  const ix = new RangeHead(h, 0, 10_000).index();
  const all = [...h.series.values()];
  const cases: [MatchType, string, string][][] = [
    [["=", "job", "api"]],
    [["=", "job", ""]],
    [["!=", "job", ""]],
    [["!=", "job", "api"]],
    [["=~", "job", "a.*|d.*"]],
    [["!~", "job", "a.*"]],
    [["=~", "code", ".*"]],
    [["=~", "code", ".+"]],
    [["=~", "code", "|200"]],
    [["!~", "code", ""]],
    [
      ["=", "code", ""],
      ["=", "__name__", "up"],
    ],
    [
      ["=", "__name__", "up"],
      ["!=", "instance", "a"],
    ],
    [
      ["=", "__name__", "http_requests_total"],
      ["!~", "code", "5.."],
    ],
    [["=", "nonexistent", ""]],
    [["=", "nonexistent", "x"]],
    [
      ["!=", "nonexistent", "x"],
      ["=", "job", "db"],
    ],
    [
      ["=~", "instance", "a|b"],
      ["=~", "job", ".*"],
    ],
  ];
  for (const c of cases) {
    const ms = c.map(([t, n, v]) => Matcher.create(t, n, v));
    it(ms.map((m) => m.toString()).join(", "), () => {
      const want = all
        .filter((s) => ms.every((m) => m.matches(s.labels.get(m.name))))
        .map((s) => s.labels.toString())
        .sort();
      const got = [...postingsForMatchers(ix, ms)].map((ref) => h.series.get(ref)!.labels.toString()).sort();
      assert.deepEqual(got, want);
    });
  }
});
