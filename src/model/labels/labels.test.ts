import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels, LabelsBuilder } from "./labels.ts";

const L = Labels.fromStrings;

describe("Labels construction", () => {
  const cases: { name: string; got: () => Labels; want: string[] }[] = [
    {
      name: "sorts pairs",
      got: () =>
        Labels.fromPairs([
          ["b", "2"],
          ["a", "1"],
        ]),
      want: ["a", "1", "b", "2"],
    },
    {
      name: "object",
      got: () => Labels.fromObject({ z: "1", __name__: "up", A: "x" }),
      want: ["A", "x", "__name__", "up", "z", "1"],
    },
    { name: "drops empty values", got: () => L("a", "", "b", "2"), want: ["b", "2"] },
    { name: "last duplicate wins", got: () => L("a", "1", "b", "2", "a", "3"), want: ["a", "3", "b", "2"] },
    { name: "later empty deletes", got: () => L("a", "1", "a", ""), want: [] },
    { name: "later value revives", got: () => L("a", "", "a", "1"), want: ["a", "1"] },
    {
      name: "UTF-8 order",
      got: () => L("😀", "1", "\uFF5E", "2", "a", "3"),
      want: ["a", "3", "\uFF5E", "2", "😀", "1"],
    },
    { name: "empty", got: () => Labels.fromPairs([]), want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual([...c.got().flat()], c.want));
  }

  it("fromFlatUnsorted sorts in place and takes ownership", () => {
    const flat = ["c", "3", "a", "1", "b", "2"];
    const ls = Labels.fromFlatUnsorted(flat);
    assert.deepEqual(flat, ["a", "1", "b", "2", "c", "3"]);
    assert.equal(ls.flat(), flat);
  });

  it("sorts large sets stably (non-insertion path)", () => {
    const flat: string[] = [];
    for (let i = 99; i >= 0; i--) flat.push(`n${String(i).padStart(3, "0")}`, `v${i}`);
    flat.push("n050", "override");
    const ls = Labels.fromFlatUnsorted(flat);
    assert.equal(ls.size, 100);
    assert.equal(ls.nameAt(0), "n000");
    assert.equal(ls.nameAt(99), "n099");
    assert.equal(ls.get("n050"), "override");
  });

  it("empty results share EMPTY", () => {
    assert.equal(Labels.fromPairs([]), Labels.EMPTY);
    assert.equal(L("a", ""), Labels.EMPTY);
  });

  it("fromStrings rejects odd arguments", () => assert.throws(() => L("a")));
});

describe("Labels accessors", () => {
  const ls = L("job", "api", "__name__", "up", "instance", "h:9100");
  it("size, get, has", () => {
    assert.equal(ls.size, 3);
    assert.equal(ls.get("job"), "api");
    assert.equal(ls.get("nope"), "");
    assert.equal(ls.has("job"), true);
    assert.equal(ls.has("nope"), false);
    assert.equal(ls.metricName(), "up");
  });
  it("iteration in name order", () => {
    assert.deepEqual(
      [...ls],
      [
        ["__name__", "up"],
        ["instance", "h:9100"],
        ["job", "api"],
      ],
    );
    const seen: string[] = [];
    ls.forEach((n, v) => {
      seen.push(`${n}=${v}`);
    });
    assert.deepEqual(seen, ["__name__=up", "instance=h:9100", "job=api"]);
    assert.deepEqual(ls.names(), ["__name__", "instance", "job"]);
    assert.deepEqual(ls.toObject(), { __name__: "up", instance: "h:9100", job: "api" });
    assert.equal(ls.nameAt(1), "instance");
    assert.equal(ls.valueAt(1), "h:9100");
  });
  it("without, keep, withoutName", () => {
    assert.equal(ls.withoutName().toString(), '{instance="h:9100", job="api"}');
    assert.equal(ls.without("job", "instance").toString(), '{__name__="up"}');
    assert.equal(ls.without("absent"), ls, "unchanged set is the same instance");
    assert.equal(ls.keep("job", "absent").toString(), '{job="api"}');
    assert.equal(ls.keep().size, 0);
    const noName = L("a", "b");
    assert.equal(noName.withoutName(), noName);
  });
});

describe("Labels hash, equals, compare", () => {
  const distinct: Labels[] = [
    Labels.EMPTY,
    L("a", "b"),
    L("a", "c"),
    L("b", "b"),
    L("a", "b", "c", "d"),
    L("ab", "c"),
    L("a", "bc"),
    L("__name__", "up", "job", "a"),
    L("__name__", "up", "job", "b"),
    L("__name__", "up", "instance", "a"),
  ];
  it("equal sets built differently hash and compare equal", () => {
    const a = L("x", "1", "y", "2", "z", "3");
    const b = Labels.fromObject({ z: "3", y: "2", x: "1" });
    assert.notEqual(a, b);
    assert.equal(a.hash(), b.hash());
    assert.ok(a.equals(b));
    assert.equal(Labels.compare(a, b), 0);
  });
  it("distinct sets differ in hash and equality", () => {
    for (let i = 0; i < distinct.length; i++) {
      for (let j = 0; j < distinct.length; j++) {
        if (i === j) continue;
        const [a, b] = [distinct[i], distinct[j]];
        assert.equal(a.equals(b), false, `${a} vs ${b}`);
        assert.notEqual(a.hash(), b.hash(), `${a} vs ${b}`);
      }
    }
  });
  it("hash is a cached non-negative safe integer", () => {
    const ls = L("a", "b");
    const h = ls.hash();
    assert.ok(Number.isSafeInteger(h) && h >= 0);
    assert.equal(ls.hash(), h);
  });
  it("the cached hash equals a fresh one, low words of 2^31 and above included", () => {
    let highLow = 0;
    for (let i = 0; i < 1000; i++) {
      const a = L("__name__", "m", "i", String(i));
      const h = a.hash();
      assert.equal(a.hash(), h, `cached hash of ${a}`);
      assert.equal(L("__name__", "m", "i", String(i)).hash(), h);
      assert.ok(Number.isSafeInteger(h) && h >= 0);
      if (h % 4294967296 >= 2147483648) highLow++;
    }
    assert.ok(highLow > 100, `only ${highLow} hashes exercised a low word with its top bit set`);
  });
  it("hashes 10k generated series without collision", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++)
      seen.add(L("__name__", "m", "instance", `host-${i % 100}`, "cpu", String(i)).hash());
    assert.equal(seen.size, 10_000);
  });

  const ordered: Labels[] = [
    Labels.EMPTY,
    L("a", "a"),
    L("a", "a", "b", "b"),
    L("a", "b"),
    L("aa", "a"),
    L("b", "a"),
    L("\uFF5E", "a"),
    L("😀", "a"),
  ];
  for (let i = 0; i + 1 < ordered.length; i++) {
    it(`compare ${ordered[i]} < ${ordered[i + 1]}`, () => {
      assert.ok(Labels.compare(ordered[i], ordered[i + 1]) < 0);
      assert.ok(Labels.compare(ordered[i + 1], ordered[i]) > 0);
    });
  }
});

describe("Labels.toString", () => {
  const cases: [Labels, string][] = [
    [Labels.EMPTY, "{}"],
    [L("a", "b"), '{a="b"}'],
    [L("c", "d", "a", "b"), '{a="b", c="d"}'],
    [L("a", 'q"uo\\te\nnl'), '{a="q\\"uo\\\\te\\nnl"}'],
    [L("__name__", "up", "job", "x"), '{__name__="up", job="x"}'],
    [L("k8s.pod", "p", "0a", "x"), '{"0a"="x", "k8s.pod"="p"}'],
    [L("a", "é\t"), '{a="é\\t"}'],
  ];
  for (const [ls, want] of cases) it(want, () => assert.equal(ls.toString(), want));
});

describe("LabelsBuilder", () => {
  const base = L("__name__", "up", "job", "api", "instance", "h1");
  const cases: { name: string; edit: (b: LabelsBuilder) => void; want: string }[] = [
    { name: "no change", edit: () => {}, want: '{__name__="up", instance="h1", job="api"}' },
    {
      name: "set new",
      edit: (b) => b.set("env", "prod"),
      want: '{__name__="up", env="prod", instance="h1", job="api"}',
    },
    {
      name: "overwrite",
      edit: (b) => b.set("job", "web"),
      want: '{__name__="up", instance="h1", job="web"}',
    },
    { name: "set empty deletes", edit: (b) => b.set("job", ""), want: '{__name__="up", instance="h1"}' },
    { name: "del", edit: (b) => b.del("job", "__name__", "absent"), want: '{instance="h1"}' },
    {
      name: "del then set",
      edit: (b) => b.del("job").set("job", "x"),
      want: '{__name__="up", instance="h1", job="x"}',
    },
    { name: "keep", edit: (b) => b.set("env", "x").keep("job", "absent"), want: '{env="x", job="api"}' },
    {
      name: "set then del",
      edit: (b) => b.set("new", "x").del("new"),
      want: '{__name__="up", instance="h1", job="api"}',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const b = new LabelsBuilder(base);
      c.edit(b);
      assert.equal(b.labels().toString(), c.want);
      assert.equal(base.toString(), '{__name__="up", instance="h1", job="api"}', "base untouched");
    });
  }
  it("returns the base itself without changes, get sees pending changes", () => {
    const b = new LabelsBuilder(base);
    assert.equal(b.labels(), base);
    b.set("job", "web").del("instance");
    assert.equal(b.get("job"), "web");
    assert.equal(b.get("instance"), "");
    assert.equal(b.get("__name__"), "up");
  });
  it("reset starts over", () => {
    const b = new LabelsBuilder(base).set("x", "1");
    b.reset(L("a", "b"));
    assert.equal(b.labels().toString(), '{a="b"}');
    b.reset();
    assert.equal(b.labels(), Labels.EMPTY);
  });
  it("forEach walks the current state", () => {
    const seen: string[] = [];
    new LabelsBuilder(base).del("job").forEach((n, v) => {
      seen.push(`${n}=${v}`);
    });
    assert.deepEqual(seen, ["__name__=up", "instance=h1"]);
  });
});
