import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allowedFor, kubeToPrometheusLabels, parseAllowList } from "./labels.ts";
import { family, m } from "./metric.ts";
import { parseQuantity, quantityMilliValue, quantityValue } from "./quantity.ts";
import { MetricsStore } from "./store.ts";

describe("kubeToPrometheusLabels", () => {
  const cases: [string, Record<string, string>, string[], string[], string[]][] = [
    ["nothing allowed", { app: "x" }, [], [], []],
    [
      "all, sorted, snake-cased",
      { "app.kubernetes.io/name": "a", helmChart: "c" },
      ["*"],
      ["label_app_kubernetes_io_name", "label_helm_chart"],
      ["a", "c"],
    ],
    ["only allowed and present", { app: "x", team: "y" }, ["team", "missing"], ["label_team"], ["y"]],
    [
      "conflicts renamed",
      { "a-b": "1", a_b: "2", "a.b": "3" },
      ["*"],
      ["label_a_b_conflict1", "label_a_b_conflict2", "label_a_b_conflict3"],
      ["1", "3", "2"],
    ],
  ];
  for (const [name, data, allowed, keys, values] of cases) {
    it(name, () => assert.deepEqual(kubeToPrometheusLabels("label", data, allowed), { keys, values }));
  }
});

describe("allowlist flag", () => {
  it("parses resources and keys", () => {
    const list = parseAllowList("pods=[app,team],namespaces=[*]");
    assert.deepEqual(
      [...list],
      [
        ["pods", ["app", "team"]],
        ["namespaces", ["*"]],
      ],
    );
    assert.deepEqual(allowedFor(list, "pods"), ["app", "team"]);
    assert.deepEqual(allowedFor(list, "nodes"), []);
    assert.deepEqual(allowedFor(parseAllowList("*=[*]"), "nodes"), ["*"]);
  });
  it("rejects garbage", () => assert.throws(() => parseAllowList("pods=app"), /invalid allowlist/));
});

describe("quantities", () => {
  const cases: [string, number, number][] = [
    ["100m", 1, 100],
    ["1.5", 2, 1500],
    ["128Mi", 134217728, 134217728000],
    ["1Gi", 1073741824, 1073741824000],
    ["2k", 2000, 2000000],
    ["1e3", 1000, 1000000],
    ["0.1", 1, 100],
  ];
  for (const [q, value, milli] of cases) {
    it(q, () => {
      assert.equal(quantityValue(q), value);
      assert.equal(quantityMilliValue(q), milli);
    });
  }
  it("rejects garbage", () => assert.throws(() => parseQuantity("12 apples")));
});

describe("MetricsStore", () => {
  const gen = family<{ metadata: { uid: string; namespace: string }; v: number }>("x", "help", (o) => [
    m(o.v, { id: o.metadata.uid }),
  ]);
  const store = new MetricsStore([gen as never]);
  it("renders on change, forgets on delete, replaces per scope", () => {
    store.upsert({ metadata: { uid: "a", namespace: "n1" }, v: 1 } as never, "n1");
    store.upsert({ metadata: { uid: "b", namespace: "n2" }, v: 2 } as never, "n2");
    assert.equal(store.write(), '# HELP x help\n# TYPE x gauge\nx{id="a"} 1\nx{id="b"} 2\n');
    store.upsert({ metadata: { uid: "a", namespace: "n1" }, v: 3 } as never, "n1");
    store.replace([], "n2");
    assert.equal(store.write(), '# HELP x help\n# TYPE x gauge\nx{id="a"} 3\n');
    store.delete({ metadata: { uid: "a" } } as never);
    assert.equal(store.size, 0);
  });
});
