import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const DIR = new URL(".", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === "testdata"
        ? []
        : sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

describe("src/dashboards/model is browser-importable", () => {
  const files = sources(DIR);
  it("has sources", () => assert.ok(files.length >= 14));
  for (const file of files) {
    it(file.slice(DIR.length), () => {
      const text = readFileSync(file, "utf8");
      assert.doesNotMatch(text, /from "node:|require\(|\bBuffer\b|\bprocess\.|import\.meta\.dirname/);
      for (const m of text.matchAll(/from "([^"]+)"/g))
        assert.ok(m[1]!.startsWith("."), `${m[1]} is outside the model folder`);
      for (const m of text.matchAll(/from "(\.\.\/[^"]+)"/g))
        assert.ok(!m[1]!.startsWith("../../"), `${m[1]} leaves src/dashboards/model`);
    });
  }
});
