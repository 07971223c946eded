import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { goFileError, readConfigFile } from "./file.ts";
import { ConfigError } from "./schema.ts";

describe("readConfigFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-cfgfile-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("returns the text", async () => {
    writeFileSync(join(dir, "a.yml"), "x: 1\n");
    assert.equal(await readConfigFile(join(dir, "a.yml")), "x: 1\n");
  });

  it("words errors as Go does", async () => {
    const missing = join(dir, "missing.yml");
    await assert.rejects(readConfigFile(missing), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, new RegExp(`open ${missing}: no such file or directory`));
      return true;
    });
    await assert.rejects(readConfigFile(dir), new RegExp(`read ${dir}: is a directory`));
    assert.equal(goFileError("p", { code: "EACCES" }), "open p: permission denied");
  });
});
