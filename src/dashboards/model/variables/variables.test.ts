import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatValue, prometheusDefaultFormat } from "./format.ts";
import { interpolate, type VariableState } from "./interpolate.ts";
import {
  builtinValues,
  calculateInterval,
  formatInterval,
  parseInterval,
  rateInterval,
  roundInterval,
} from "./interval.ts";
import { type PromClient, parseVariableQuery, resultText, toOptions } from "./query.ts";
import { customOptions, dependencyOrder, resolveVariables, VariableCycleError } from "./resolve.ts";

const H = 3_600_000;

describe("interval arithmetic", () => {
  const cases: [string, number, number, string | undefined, string][] = [
    ["1h over 1000 points", H, 1000, undefined, "5s"],
    ["6h over 1000 points", 6 * H, 1000, undefined, "20s"],
    ["24h over 1000 points", 24 * H, 1000, undefined, "1m"],
    ["7d over 1000 points", 168 * H, 1000, undefined, "10m"],
    ["5m over 1000 points, min 15s", 5 * 60_000, 1000, "15s", "15s"],
    ["1h over 200 points", H, 200, undefined, "20s"],
    ["30d over 500 points", 720 * H, 500, undefined, "1h"],
    ["1h over 100000 points", H, 100000, undefined, "50ms"],
  ];
  for (const [name, range, points, min, want] of cases) {
    it(`$__interval: ${name} → ${want}`, () => {
      assert.equal(formatInterval(calculateInterval({ from: 0, to: range }, points, min)), want);
    });
  }
  it("roundInterval table edges", () => {
    assert.deepEqual(
      [14, 15, 1499, 1500, 44999, 45000, 89999, 90000, 4e10].map(roundInterval),
      [10, 20, 1000, 2000, 30000, 60000, 60000, 120000, 31536000000],
    );
  });
  it("parses Grafana interval strings", () => {
    assert.deepEqual(
      ["15s", "1m", "1m30s", "2h", "1d", "1w", "100ms", "10"].map(parseInterval),
      [15000, 60000, 90000, 7200000, 86400000, 604800000, 100, 10000],
    );
    assert.throws(() => parseInterval("5 minutes"), /invalid interval string/);
  });
  const rate: [number, string | undefined, number][] = [
    [15_000, undefined, 60_000], // max(15s+15s, 4×15s)
    [60_000, "15s", 75_000], // max(1m+15s, 1m)
    [20_000, "30s", 120_000], // max(50s, 2m)
    [300_000, "1m", 360_000], // max(6m, 4m)
  ];
  for (const [interval, scrape, want] of rate) {
    it(`$__rate_interval(${interval}ms, scrape ${scrape ?? "default"}) = ${want}ms`, () =>
      assert.equal(rateInterval(interval, scrape), want));
  }
  it("builtins of a 6h range", () => {
    const b = builtinValues({ from: 1_700_000_000_000, to: 1_700_000_000_000 + 6 * H + 400 }, 20_000, "15s");
    assert.deepEqual(b, {
      __interval: "20s",
      __interval_ms: "20000",
      __rate_interval: "1m",
      __rate_interval_ms: "60000",
      __range: "21600s",
      __range_s: "21600",
      __range_ms: "21600400",
      __from: "1700000000000",
      __to: "1700021600400",
    });
  });
});

describe("value formats", () => {
  const multi = ["a.b", "c|d"];
  const cases: [string, string | string[], string][] = [
    ["regex", multi, "(a\\.b|c\\|d)"],
    ["regex", "x.y", "x\\.y"],
    ["pipe", multi, "a.b|c|d"],
    ["csv", multi, "a.b,c|d"],
    ["json", multi, '["a.b","c|d"]'],
    ["singlequote", ["it's", "b"], "'it\\'s','b'"],
    ["doublequote", multi, '"a.b","c|d"'],
    ["sqlstring", ["it's"], "'it''s'"],
    ["raw", multi, "a.b,c|d"],
    ["glob", multi, "{a.b,c|d}"],
    ["percentencode", "a b/c", "a%20b%2Fc"],
    ["lucene", ["a b"], '"a\\ b"'],
    ["queryparam", ["x", "y"], "var-v=x&var-v=y"],
    ["distributed", ["x", "y"], "x,v=y"],
  ];
  for (const [format, value, want] of cases) {
    it(`${format} of ${JSON.stringify(value)}`, () =>
      assert.equal(formatValue(value, format, { name: "v" }), want));
  }
  it("Prometheus default: single value escaped as a string, multi as an escaped regex group", () => {
    assert.equal(prometheusDefaultFormat("a\\b", {}), "a\\\\b");
    assert.equal(prometheusDefaultFormat(["a.b", "c"], { multi: true }), "(a\\\\.b|c)");
    assert.equal(prometheusDefaultFormat("x.y", { includeAll: true }), "x\\\\.y");
  });
});

describe("interpolate", () => {
  const vars = new Map<string, VariableState>([
    ["job", { name: "job", current: { text: "node", value: "node" } }],
    ["inst", { name: "inst", multi: true, current: { text: ["a:1", "b:2"], value: ["a:1", "b:2"] } }],
    [
      "all",
      {
        name: "all",
        includeAll: true,
        current: { text: "All", value: "$__all" },
        options: [
          { text: "All", value: "$__all" },
          { text: "x", value: "x" },
          { text: "y", value: "y" },
        ],
      },
    ],
    [
      "allc",
      {
        name: "allc",
        includeAll: true,
        allValue: ".*",
        current: { text: "All", value: ["$__all"] },
        options: [],
      },
    ],
  ]);
  const b = builtinValues({ from: 0, to: H }, 15_000, "15s");
  const cases: [string, string][] = [
    ['up{job="$job"}', 'up{job="node"}'],
    ['up{job="${job}"}', 'up{job="node"}'],
    ['up{job="[[job]]"}', 'up{job="node"}'],
    ['up{instance=~"$inst"}', 'up{instance=~"(a:1|b:2)"}'],
    ['up{instance=~"${inst:pipe}"}', 'up{instance=~"a:1|b:2"}'],
    ['up{instance=~"[[inst:csv]]"}', 'up{instance=~"a:1,b:2"}'],
    ['up{x=~"$all"}', 'up{x=~"(x|y)"}'],
    ['up{x=~"$allc"}', 'up{x=~".*"}'],
    ["${all:text}", "All"],
    ["rate(x[$__rate_interval]) / $__interval_ms", "rate(x[1m]) / 15000"],
    ["increase(x[$__range]) $__range_s $__range_ms", "increase(x[3600s]) 3600 3600000"],
    ["${__from}-${__to:date:seconds}", "0-3600"],
    ["${__from:date}", "1970-01-01T00:00:00.000Z"],
    ["$unknown stays", "$unknown stays"],
  ];
  for (const [text, want] of cases) {
    it(text, () => assert.equal(interpolate(text, vars, { builtins: { ...b } }), want));
  }
  it("scoped variables of a repeated panel win", () => {
    assert.equal(
      interpolate('up{job="$job"}', vars, { scopedVars: { job: { text: "other", value: "other" } } }),
      'up{job="other"}',
    );
  });
});

describe("query variables", () => {
  it("parses the Prometheus data source's functions", () => {
    assert.deepEqual(parseVariableQuery("label_names()"), { kind: "label_names" });
    assert.deepEqual(parseVariableQuery("label_values(job)"), { kind: "label_values", label: "job" });
    assert.deepEqual(parseVariableQuery('label_values(node_uname_info{job="x"}, instance)'), {
      kind: "label_values",
      label: "instance",
      match: 'node_uname_info{job="x"}',
    });
    assert.deepEqual(parseVariableQuery("metrics(node_.*)"), { kind: "metrics", regex: "node_.*" });
    assert.deepEqual(parseVariableQuery("query_result(topk(3, up))"), {
      kind: "query_result",
      expr: "topk(3, up)",
    });
    assert.deepEqual(parseVariableQuery('up{job="a"}'), { kind: "series", match: 'up{job="a"}' });
  });
  it("query_result text", () => {
    assert.equal(
      resultText({ metric: { __name__: "up", job: "a" }, value: [1700000000, "1"] }),
      'up{job="a"} 1 1700000000000',
    );
  });
  it("regex extraction, de-duplication and sorts", () => {
    assert.deepEqual(
      toOptions(["a:9100", "b:9100", "a:9200"], "/([^:]+):.*/", 1).map((o) => o.value),
      ["a", "b"],
    );
    assert.deepEqual(
      toOptions(["x10", "x9", "x100"], "", 3).map((o) => o.value),
      ["x9", "x10", "x100"],
    );
    assert.deepEqual(
      toOptions(["x10", "x9", "x100"], "", 2).map((o) => o.value),
      ["x9", "x100", "x10"],
    );
    assert.deepEqual(toOptions(["k=1 v=A", "k=2 v=B"], "/k=(?<value>\\d) v=(?<text>\\w)/", 0), [
      { text: "A", value: "1" },
      { text: "B", value: "2" },
    ]);
  });
  it("custom variable values with escaped commas and key : value pairs", () => {
    assert.deepEqual(customOptions("a, b\\,c, Label : val"), [
      { text: "a", value: "a" },
      { text: "b,c", value: "b,c" },
      { text: "Label", value: "val" },
    ]);
  });
});

describe("resolveVariables", () => {
  const calls: string[] = [];
  const client: PromClient = {
    async labelNames() {
      return ["job", "instance"];
    },
    async labelValues(label, match) {
      calls.push(`${label} ${match.join(" ")}`);
      if (label === "job") return ["node", "vigil"];
      if (label === "instance") return match[0]?.includes('"vigil"') ? ["v:9090"] : ["n1:9100", "n2:9100"];
      throw new Error(`bad_data: unknown label ${label}`);
    },
    async series() {
      return [];
    },
    async instantQuery() {
      return [];
    },
  };
  const list = [
    {
      name: "instance",
      type: "query",
      query: 'label_values(up{job="$job"}, instance)',
      multi: true,
      includeAll: true,
      refresh: 1,
    },
    { name: "job", type: "query", query: "label_values(job)", current: { text: "vigil", value: "vigil" } },
    { name: "broken", type: "query", query: "label_values(nope)" },
    { name: "iv", type: "interval", query: "1m,10m", auto: true, auto_count: 30, auto_min: "10s" },
    { name: "ds", type: "datasource", query: "prometheus" },
    { name: "t", type: "textbox", query: "hello" },
  ];
  it("orders by dependency and detects cycles", () => {
    assert.deepEqual(
      dependencyOrder(list).map((v) => v.name),
      ["job", "instance", "broken", "iv", "ds", "t"],
    );
    assert.throws(
      () =>
        dependencyOrder([
          { name: "a", query: "$b" },
          { name: "b", query: "$a" },
        ]),
      VariableCycleError,
    );
  });
  it("evaluates chained variables; a failing query does not stop the others", async () => {
    const r = await resolveVariables(list, {
      range: { from: 0, to: 6 * H },
      client: () => client,
      datasources: [
        { uid: "vigil", name: "Vigil", type: "prometheus" },
        { uid: "am", name: "AM", type: "alertmanager" },
      ],
      selected: { t: "typed" },
    });
    assert.deepEqual(r.get("job")!.current, { text: "vigil", value: "vigil" });
    assert.deepEqual(
      r.get("instance")!.options.map((o) => o.value),
      ["$__all", "v:9090"],
    );
    assert.deepEqual(r.get("instance")!.current.value, ["$__all"]);
    assert.match(r.get("broken")!.error!, /unknown label nope/);
    assert.deepEqual(r.get("iv")!.options[0], { text: "auto", value: "10m" });
    assert.deepEqual(r.get("ds")!.options, [{ text: "Vigil", value: "vigil" }]);
    assert.deepEqual(r.get("t")!.current, { text: "typed", value: "typed" });
    assert.ok(calls.includes('instance up{job="vigil"}'), calls.join(";"));
  });
});
