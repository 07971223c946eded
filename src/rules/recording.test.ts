import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nopLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { parseExpr } from "../promql/parser/index.ts";
import { pairsFromMaps } from "./pairs.ts";
import { RecordingRule } from "./recording.ts";
import { type EvalEnv, engineQueryFunc, type RuleSample } from "./rule.ts";
import { memStorage } from "./testing.ts";

function env(result: RuleSample[]): EvalEnv {
  return { query: async () => result, externalURL: null, logger: nopLogger };
}

const s = (...flat: string[]): RuleSample => ({ labels: Labels.fromStrings(...flat), t: 5, v: 1 });

describe("RecordingRule", () => {
  const cases: [string, Record<string, string>, RuleSample[], string[]][] = [
    ["renames the result", {}, [s("__name__", "a", "job", "x")], ['{__name__="r", job="x"}']],
    [
      "adds and overrides labels",
      { job: "y", env: "prod" },
      [s("job", "x")],
      ['{__name__="r", env="prod", job="y"}'],
    ],
    [
      "an empty label value removes the label",
      { job: "" },
      [s("job", "x", "i", "1")],
      ['{__name__="r", i="1"}'],
    ],
  ];
  for (const [name, labels, input, want] of cases) {
    it(name, async () => {
      const r = new RecordingRule("r", parseExpr("a"), pairsFromMaps(labels));
      const out = await r.eval(10, 0, env(input), 0);
      assert.deepEqual(
        out.map((x) => x.labels.toString()),
        want,
      );
      assert.equal(out[0]!.t, 5);
    });
  }

  it("fails when renaming makes two series equal", async () => {
    const r = new RecordingRule("r", parseExpr("a"), []);
    await assert.rejects(
      r.eval(0, 0, env([s("__name__", "a", "x", "1"), s("__name__", "b", "x", "1")]), 0),
      /^Error: vector contains metrics with the same labelset after applying rule labels$/,
    );
  });

  it("enforces the limit", async () => {
    const r = new RecordingRule("r", parseExpr("a"), []);
    await assert.rejects(
      r.eval(0, 0, env([s("x", "1"), s("x", "2")]), 1),
      /^Error: exceeded limit of 1 with 2 series$/,
    );
    assert.equal((await r.eval(0, 0, env([s("x", "1"), s("x", "2")]), 2)).length, 2);
  });

  it("queries the engine at ts minus the offset, scalars included", async () => {
    const st = memStorage();
    st.add(Labels.fromStrings("__name__", "m", "j", "a"), 50_000, 7);
    const e: EvalEnv = {
      query: engineQueryFunc(st.engine, st.queryable),
      externalURL: null,
      logger: nopLogger,
    };
    const vec = await new RecordingRule("r", parseExpr("m * 2"), []).eval(90_000, 30_000, e, 0);
    assert.deepEqual(
      vec.map((x) => [x.labels.toString(), x.t, x.v]),
      [['{__name__="r", j="a"}', 60_000, 14]],
    );
    const scalar = await new RecordingRule("r", parseExpr("scalar(m)"), []).eval(60_000, 0, e, 0);
    assert.deepEqual(
      scalar.map((x) => [x.labels.toString(), x.v]),
      [['{__name__="r"}', 7]],
    );
  });

  it("has a definition that changes with what it records", () => {
    const a = new RecordingRule("r", parseExpr("a"), []);
    assert.equal(a.definition(), new RecordingRule("r", parseExpr("a"), []).definition());
    assert.notEqual(a.definition(), new RecordingRule("r", parseExpr("b"), []).definition());
    assert.notEqual(a.definition(), new RecordingRule("r", parseExpr("a"), [["x", "y"]]).definition());
  });
});
