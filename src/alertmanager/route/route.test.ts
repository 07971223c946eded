import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseAlertmanagerConfig } from "../config/config.ts";
import { routesShow, routesTest } from "./amtool.ts";
import { Route } from "./route.ts";

const FIXTURES = "/work/shared/fixtures/alertmanager";

function load(text: string, file = "alertmanager.yml") {
  return parseAlertmanagerConfig(text, file).config;
}

function loadFixture(name: string) {
  const path = `${FIXTURES}/${name}`;
  return load(readFileSync(path, "utf8"), path);
}

describe("routesShow", () => {
  for (const [config, golden] of [
    ["routing-tree.yml", "routing-tree.routes.txt"],
    ["simple.yml", "simple.routes.txt"],
  ]) {
    it(`draws ${config} as amtool does`, () => {
      assert.equal(routesShow(loadFixture(config)), readFileSync(`${FIXTURES}/${golden}`, "utf8"));
    });
  }
});

describe("routesTest", () => {
  const config = loadFixture("routing-tree.yml");
  const lines = readFileSync(`${FIXTURES}/routing-tree.routes-test.txt`, "utf8")
    .split("\n")
    .filter((l) => l.includes("=>") && !l.startsWith("#"));
  it("has fixture cases", () => assert.ok(lines.length >= 8));
  for (const line of lines) {
    const [labels, receivers] = line.split("  =>  ");
    it(labels, () => {
      const r = routesTest(config, labels.split(" "));
      assert.deepEqual(r, { output: `${receivers}\n`, stderr: "", exitCode: 0 });
    });
  }

  it("prints the matching tree and checks expected receivers", () => {
    const r = routesTest(config, ["alertname=KubePodCrashLooping", "severity=critical", "namespace=shop"], {
      tree: true,
      verifyReceivers: "pager-webhook",
    });
    assert.equal(
      r.output,
      [
        "Matching routes:",
        ".",
        "└── default-route",
        '    ├── {severity="critical"}  receiver: pager-webhook',
        '    └── {namespace=~"shop|checkout|payments"}  receiver: team-shop',
        "",
        "",
        "pager-webhook,team-shop",
        "WARNING: Expected receivers did not match resolved receivers.",
        "",
      ].join("\n"),
    );
    assert.equal(r.exitCode, 1);
  });

  it("refuses labels that are not key=value", () => {
    assert.deepEqual(routesTest(config, ["foo=~bar"]), {
      output: "",
      stderr: "amtool: error: Labels must be specified as key=value pairs\n\n",
      exitCode: 1,
    });
    assert.equal(
      routesTest(config, ["foo"]).stderr,
      "amtool: error: Failed to parse labels: bad matcher format: foo\n\n",
    );
  });
});

describe("Route", () => {
  const config = load(`
route:
  receiver: root
  group_by: [a]
  group_wait: 1s
  routes:
  - matchers: ['x="1"']
    receiver: one
    continue: true
    group_by: ['...']
    routes:
    - match: {y: "2"}
      match_re: {z: "3.*"}
      repeat_interval: 2h
  - matchers: ['x=~"1|2"']
    receiver: two
    group_by: [b, c]
receivers: [{name: root}, {name: one}, {name: two}]
`);
  const root = Route.fromConfig(config.route);
  const [one, two] = root.routes;
  const leaf = one.routes[0];

  it("inherits options from the parent", () => {
    assert.deepEqual(
      [root.opts.groupWait, root.opts.groupInterval, root.opts.repeatInterval],
      [1000, 300_000, 14_400_000],
    );
    assert.deepEqual([...one.opts.groupBy], ["a"]);
    assert.equal(one.opts.groupByAll, true);
    assert.equal(leaf.opts.receiver, "one");
    assert.equal(leaf.opts.groupByAll, true);
    assert.equal(leaf.opts.repeatInterval, 7_200_000);
    assert.deepEqual([...two.opts.groupBy], ["b", "c"]);
    assert.equal(two.opts.groupByAll, false);
  });

  it("matches depth-first with continue", () => {
    const names = (ls: Record<string, string>) => root.match(ls).map((r) => r.opts.receiver);
    assert.deepEqual(names({ x: "1" }), ["one", "two"]);
    assert.deepEqual(names({ x: "2" }), ["two"]);
    assert.deepEqual(names({ x: "3" }), ["root"]);
    assert.deepEqual(root.match({ x: "1", y: "2", z: "345" })[0], leaf);
  });

  it("has upstream's keys and ids", () => {
    assert.equal(root.key(), "{}");
    assert.equal(root.id(), "{}");
    assert.equal(leaf.key(), '{}/{x="1"}/{y="2",z=~"^(?:3.*)$"}');
    assert.equal(leaf.id(), '{}/{x="1"}/{y="2",z=~"^(?:3.*)$"}/0');
    assert.equal(two.id(), '{}/{x=~"1|2"}/1');
  });

  it("walks depth-first", () => {
    const seen: string[] = [];
    root.walk((r) => seen.push(r.opts.receiver));
    assert.deepEqual(seen, ["root", "one", "one", "two"]);
  });
});
