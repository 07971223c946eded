// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Go replacement templates, not JavaScript ones.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/labels/labels.ts";
import { QueryError } from "../errors.ts";
import { oracleKey, PROMTOOL, runOracle } from "../testing/promtool.ts";
import {
  compareByLabels,
  compareByLabelsDesc,
  compileLabelJoin,
  compileLabelReplace,
  natsortLess,
} from "./labels.ts";

const L = (...flat: string[]): Labels => Labels.fromStrings(...flat);

function throwsExecution(fn: () => unknown, message: string): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof QueryError && e.type === "execution" && e.message === message,
  );
}

describe("label_replace", () => {
  const m10 = L("__name__", "testmetric", "src", "source-value-10", "dst", "original-destination-value");

  const cases: [string, [string, string, string, string], Labels, Labels][] = [
    [
      "full match with a group",
      ["dst", "destination-value-$1", "src", "source-value-(.*)"],
      m10,
      L("__name__", "testmetric", "src", "source-value-10", "dst", "destination-value-10"),
    ],
    ["no substring match", ["dst", "destination-value-$1", "src", "value-(.*)"], m10, m10],
    [
      "several groups",
      ["dst", "$1-value-$2", "src", "(.*)-value-(.*)"],
      m10,
      L("__name__", "testmetric", "src", "source-value-10", "dst", "source-value-10"),
    ],
    [
      "absent source, non-matching regex",
      ["dst", "value-$1", "nonexistent-src", "source-value-(.*)"],
      m10,
      m10,
    ],
    [
      "absent source matched by (.*)",
      ["dst", "value-$1", "nonexistent-src", "(.*)"],
      m10,
      L("__name__", "testmetric", "src", "source-value-10", "dst", "value-"),
    ],
    ["no match leaves the series", ["dst", "value-$1", "src", "non-matching-regex"], m10, m10],
    [
      "an empty result deletes the label",
      ["dst", "", "dst", ".*"],
      m10,
      L("__name__", "testmetric", "src", "source-value-10"),
    ],
    [
      "the metric name can be the destination",
      ["__name__", "new_$1", "src", "source-value-(\\d+)"],
      m10,
      L("__name__", "new_10", "src", "source-value-10", "dst", "original-destination-value"),
    ],
    [
      "dot matches newline",
      ["dst", "[$1]", "src", "a(.*)b"],
      L("src", "a\nb"),
      L("src", "a\nb", "dst", "[\n]"),
    ],
    [
      "regex is anchored although it closes the wrapper",
      ["dst", "x", "src", "a)|(b"],
      L("src", "ab"),
      L("src", "ab"),
    ],
  ];
  for (const [name, [dst, repl, src, re], input, want] of cases) {
    it(name, () => {
      const got = compileLabelReplace(dst, repl, src, re)(input);
      assert.ok(got.equals(want), `got ${got}, want ${want}`);
    });
  }

  it("signals a match by returning a new object, even when nothing changed", () => {
    const ls = L("a", "x");
    assert.equal(compileLabelReplace("b", "$1", "a", "y")(ls), ls);
    const same = compileLabelReplace("a", "x", "a", "x")(ls);
    assert.notEqual(same, ls);
    assert.ok(same.equals(ls));
  });

  const expansions: [string, string, string, string][] = [
    // [template, regex, source value, expected destination value]
    ["$1", "(a)(b)?", "a", "a"],
    ["<$2>", "(a)(b)?", "a", "<>"],
    ["${1}x", "(a)", "a", "ax"],
    ["$1x", "(a)", "a", ""],
    ["$$1", "(a)", "a", "$1"],
    ["cost: $", "(a)", "a", "cost: $"],
    ["${", "(a)", "a", "${"],
    ["${1", "(a)", "a", "${1"],
    ["$-", "(a)", "a", "$-"],
    ["$0", "x(a)", "xa", "xa"],
    ["$01", "(a)", "a", ""],
    ["$10", "(a)", "a", ""],
    ["${name}-$name", "(?P<name>a+)", "aa", "aa-aa"],
    ["${other}", "(?P<name>a+)", "aa", ""],
    ["é$1ü", "(a)", "a", "é"], // ü continues the name: group "1ü" does not exist
    ["é${1}ü", "(a)", "a", "éaü"],
    ["$é", "(a)", "a", ""],
    ["$1_$2", "(a)(b)", "ab", "b"],
    ["${1}_${2}", "(a)(b)", "ab", "a_b"],
    ["$99999999999", "(a)", "a", ""],
  ];
  for (const [template, re, value, want] of expansions) {
    it(`expands ${JSON.stringify(template)} like Go`, () => {
      const got = compileLabelReplace("dst", template, "src", re)(L("src", value)).get("dst");
      assert.equal(got, want);
    });
  }

  it("fails with upstream's messages", () => {
    throwsExecution(
      () => compileLabelReplace("dst", "value-$1", "src", "(.*"),
      "invalid regular expression in label_replace(): (.*",
    );
    throwsExecution(
      () => compileLabelReplace("", "", "src", "(.*)"),
      "invalid destination label name in label_replace(): ",
    );
    throwsExecution(
      () => compileLabelReplace("\uD800", "", "src", "(.*)"),
      "invalid destination label name in label_replace(): \uD800",
    );
    // The regex is checked first.
    throwsExecution(
      () => compileLabelReplace("", "", "src", "("),
      "invalid regular expression in label_replace(): (",
    );
  });
});

describe("label_join", () => {
  const t1 = L(
    "__name__",
    "testmetric",
    "src",
    "a",
    "src1",
    "b",
    "src2",
    "c",
    "dst",
    "original-destination-value",
  );
  const cases: [string, [string, string, string[]], Labels, Labels][] = [
    [
      "joins in order",
      ["dst", "-", ["src", "src1", "src2"]],
      t1,
      L("__name__", "testmetric", "src", "a", "src1", "b", "src2", "c", "dst", "a-b-c"),
    ],
    [
      "absent sources are empty",
      ["dst", "-", ["src", "src3", "src1"]],
      t1,
      L("__name__", "testmetric", "src", "a", "src1", "b", "src2", "c", "dst", "a--b"),
    ],
    [
      "an empty result deletes the destination",
      ["dst", "", ["emptysrc", "emptysrc1", "emptysrc2"]],
      t1,
      L("__name__", "testmetric", "src", "a", "src1", "b", "src2", "c"),
    ],
    ["no sources", ["dst", ", ", []], t1, L("__name__", "testmetric", "src", "a", "src1", "b", "src2", "c")],
    [
      "creates the destination",
      ["dst", ", ", ["src", "src1", "src2"]],
      L("src", "foo", "src1", "bar", "src2", "foobar"),
      L("src", "foo", "src1", "bar", "src2", "foobar", "dst", "foo, bar, foobar"),
    ],
  ];
  for (const [name, [dst, sep, srcs], input, want] of cases) {
    it(name, () => {
      const got = compileLabelJoin(dst, sep, srcs)(input);
      assert.ok(got.equals(want), `got ${got}, want ${want}`);
    });
  }

  it("fails with upstream's messages", () => {
    throwsExecution(
      () => compileLabelJoin("dst", "-", ["a", ""]),
      "invalid source label name in label_join(): ",
    );
    throwsExecution(
      () => compileLabelJoin("", "-", ["a"]),
      "invalid destination label name in label_join(): ",
    );
  });
});

describe("sort_by_label order", () => {
  it("natural order of values, then the whole label set (functions.test)", () => {
    const series = [
      L("group", "production", "instance", "0", "job", "api-server"),
      L("group", "production", "instance", "1", "job", "api-server"),
      L("group", "canary", "instance", "0", "job", "api-server"),
      L("group", "canary", "instance", "1", "job", "api-server"),
      L("group", "canary", "instance", "2", "job", "api-server"),
      L("group", "production", "instance", "0", "job", "app-server"),
      L("group", "production", "instance", "1", "job", "app-server"),
      L("group", "canary", "instance", "0", "job", "app-server"),
      L("group", "canary", "instance", "1", "job", "app-server"),
      L("group", "production", "instance", "2", "job", "api-server"),
    ];
    const order = (cmp: (a: Labels, b: Labels) => number): string[] =>
      [...series].sort(cmp).map((l) => `${l.get("group")}/${l.get("instance")}/${l.get("job")}`);
    assert.deepEqual(order(compareByLabels(["instance"])), [
      "canary/0/api-server",
      "canary/0/app-server",
      "production/0/api-server",
      "production/0/app-server",
      "canary/1/api-server",
      "canary/1/app-server",
      "production/1/api-server",
      "production/1/app-server",
      "canary/2/api-server",
      "production/2/api-server",
    ]);
    assert.deepEqual(order(compareByLabels(["job", "instance", "group"])), [
      "canary/0/api-server",
      "production/0/api-server",
      "canary/1/api-server",
      "production/1/api-server",
      "canary/2/api-server",
      "production/2/api-server",
      "canary/0/app-server",
      "production/0/app-server",
      "canary/1/app-server",
      "production/1/app-server",
    ]);
    assert.deepEqual(order(compareByLabelsDesc(["instance", "group"])), [
      "production/2/api-server",
      "canary/2/api-server",
      "production/1/app-server",
      "production/1/api-server",
      "canary/1/app-server",
      "canary/1/api-server",
      "production/0/app-server",
      "production/0/api-server",
      "canary/0/app-server",
      "canary/0/api-server",
    ]);
  });

  const natural = (values: string[]): string[] =>
    [...values].sort((a, b) => (natsortLess(a, b) ? -1 : natsortLess(b, a) ? 1 : 0));

  it("numbers compare by value", () => {
    assert.deepEqual(natural(["100", "21", "20", "12", "11", "10", "3", "2", "1", "0"]), [
      "0",
      "1",
      "2",
      "3",
      "10",
      "11",
      "12",
      "20",
      "21",
      "100",
    ]);
    assert.deepEqual(natural(["4m1000", "4m600", "4m5"]), ["4m5", "4m600", "4m1000"]);
    assert.deepEqual(natural(["1.111.3", "1.11.3", "1.2.3"]), ["1.2.3", "1.11.3", "1.111.3"]);
  });

  it("agrees with facette/natsort's own examples", () => {
    const want = [
      "10X Radonius",
      "20X Radonius",
      "20X Radonius Prime",
      "30X Radonius",
      "40X Radonius",
      "200X Radonius",
      "1000X Radonius Maximus",
      "Allegia 6R Clasteron",
      "Allegia 50 Clasteron",
      "Allegia 50B Clasteron",
      "Allegia 51 Clasteron",
      "Allegia 500 Clasteron",
      "Alpha 2",
      "Alpha 2A",
      "Alpha 2A-900",
      "Alpha 2A-8000",
      "Alpha 100",
      "Alpha 200",
      "Callisto Morphamax",
      "Callisto Morphamax 500",
      "Callisto Morphamax 600",
      "Callisto Morphamax 700",
      "Callisto Morphamax 5000",
      "Callisto Morphamax 6000 SE",
      "Callisto Morphamax 6000 SE2",
      "Callisto Morphamax 7000",
      "Xiph Xlater 5",
      "Xiph Xlater 40",
      "Xiph Xlater 50",
      "Xiph Xlater 58",
      "Xiph Xlater 300",
      "Xiph Xlater 500",
      "Xiph Xlater 2000",
      "Xiph Xlater 5000",
      "Xiph Xlater 10000",
    ];
    assert.deepEqual(natural([...want].reverse()), want);
  });

  it("keeps the library's quirks", () => {
    assert.equal(natsortLess("a", "a"), true); // equal chunks at a's end count as "before"
    assert.equal(natsortLess("", "a"), false);
    assert.equal(natsortLess("a", ""), false);
    assert.equal(natsortLess("x007", "x7"), true); // equal numbers
    assert.equal(natsortLess("x7", "x007"), true);
    // Beyond int64 the digits compare as text.
    assert.equal(natsortLess("99999999999999999999", "100000000000000000000"), false);
    assert.equal(natsortLess("9", "100000000000000000000"), false);
  });
});

describe("label_replace against promtool (v3.5.3)", () => {
  it("matches upstream's expansion", (t) => {
    if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
    const values = ["a", "ab", "aab", "xa", "", "é-1", "foo-bar-42", "A-b", "a\\nb"];
    const templates = [
      "$1",
      "<$2>",
      "${1}x",
      "$1x",
      "$$1",
      "cost: $",
      "${",
      "${1",
      "$-",
      "$0",
      "$01",
      "$10",
      "${n}|$n",
      "$é",
    ];
    const regexes = ["(a)(b)?", "(?P<n>a+)b?", "(.*)-(\\\\d+)", "(?i)(a)-(b)", ".*", "x?(a)", ""];
    const series = values.map((v, i) => ({ selector: `m{i="${i}", src="${v}"}`, values: "1" }));
    const exprs: { expr: string; evalSeconds: number; template: string; regex: string }[] = [];
    for (const template of templates) {
      for (const regex of regexes) {
        exprs.push({
          expr: `label_replace(m, "dst", "${template}", "src", "${regex}")`,
          evalSeconds: 0,
          template,
          regex: regex.replaceAll("\\\\", "\\"),
        });
      }
    }
    const got = runOracle([{ series, intervalSeconds: 60, exprs }]);
    const failures: string[] = [];
    for (const e of exprs) {
      const samples = got.get(oracleKey(e.expr, 0));
      assert.ok(Array.isArray(samples) && samples.length === values.length, `${e.expr}: ${samples}`);
      const fn = compileLabelReplace("dst", e.template, "src", e.regex);
      const mine = values.map((v, i) =>
        fn(L("__name__", "m", "i", String(i), "src", v.replace("\\n", "\n"))).toString(),
      );
      const theirs = samples.map((s) => s.labels);
      if (JSON.stringify([...mine].sort()) !== JSON.stringify([...theirs].sort())) {
        failures.push(`${e.expr}: mine ${mine.join(" ")}, upstream ${theirs.join(" ")}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
