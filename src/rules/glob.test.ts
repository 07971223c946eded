import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { compileGlob, ERR_BAD_PATTERN, expandRuleFiles, glob } from "./glob.ts";

describe("compileGlob", () => {
  const cases: [string, string, boolean][] = [
    ["*.yml", "a.yml", true],
    ["*.yml", ".hidden.yml", true],
    ["*.yml", "a.yaml", false],
    ["*.yml", "d/a.yml", false],
    ["?.yml", "a.yml", true],
    ["?.yml", "ab.yml", false],
    ["[ab].yml", "b.yml", true],
    ["[^ab].yml", "b.yml", false],
    ["[^ab].yml", "c.yml", true],
    ["[a-c]x", "bx", true],
    ["[a-c]x", "dx", false],
    ["x\\[1].yml", "x[1].yml", true],
    ["a+b(1).yml", "a+b(1).yml", true],
  ];
  for (const [pattern, name, want] of cases) {
    it(`${pattern} ${want ? "matches" : "does not match"} ${name}`, () => {
      assert.equal(compileGlob(pattern).test(name), want);
    });
  }

  for (const bad of ["[", "[a", "a\\", "[a-]", "[]"]) {
    it(`rejects ${bad}`, () =>
      assert.throws(() => compileGlob(bad), new RegExp(`^Error: ${ERR_BAD_PATTERN}$`)));
  }
});

describe("glob", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-rules-glob-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ["b.yml", "a.yml", ".h.yml", "c.yaml", "sub1/r.yml", "sub2/r.yml"]) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), "");
  }

  it("lists matches sorted, dot files included", async () => {
    assert.deepEqual(
      await glob(join(dir, "*.yml")),
      [".h.yml", "a.yml", "b.yml"].map((f) => join(dir, f)),
    );
  });

  it("expands metacharacters in directories", async () => {
    assert.deepEqual(await glob(join(dir, "sub*", "r.yml")), [
      join(dir, "sub1/r.yml"),
      join(dir, "sub2/r.yml"),
    ]);
  });

  it("returns a plain path only when it exists", async () => {
    assert.deepEqual(await glob(join(dir, "c.yaml")), [join(dir, "c.yaml")]);
    assert.deepEqual(await glob(join(dir, "nope.yml")), []);
    assert.deepEqual(await glob(join(dir, "nope", "*.yml")), []);
  });

  it("wraps pattern errors as upstream's reload does", async () => {
    await assert.rejects(
      expandRuleFiles([join(dir, "[")]),
      new RegExp(`^Error: error retrieving rule files for ${dir}/\\[: syntax error in pattern$`),
    );
    assert.deepEqual(await expandRuleFiles([join(dir, "a.yml"), join(dir, "*.yaml")]), [
      join(dir, "a.yml"),
      join(dir, "c.yaml"),
    ]);
  });
});
