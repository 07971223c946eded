import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BUILTIN_PROVISIONING_PATH } from "../dashboards/dashboards.ts";
import { DATABASE_FILE } from "../dashboards/store/store.ts";
import { dashboardsCommand } from "./dashboards.ts";
import { UsageError } from "./flags.ts";
import { capture } from "./testing.ts";

describe("vigil dashboards", () => {
  it("refuses a bad listen address", async () => {
    const ctx = { stdout: capture(), stderr: capture(), signal: new AbortController().signal };
    await assert.rejects(dashboardsCommand.run(["--web.listen-address=nonsense"], ctx), UsageError);
  });

  it("serves the API with the admin from the flags and the built-in provisioning, then stops", {
    timeout: 30_000,
  }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-cli-dashboards-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const stderr = capture();
    const abort = new AbortController();
    const ctx = { stdout: capture(), stderr, signal: abort.signal };
    const args = [
      "--web.listen-address=127.0.0.1:0",
      `--storage.path=${dir}`,
      `--provisioning.path=${BUILTIN_PROVISIONING_PATH}`,
      "--security.admin-password=s3cret",
    ];
    const done = dashboardsCommand.run(args, ctx);
    t.after(() => abort.abort());
    let port = 0;
    const deadline = Date.now() + 10_000;
    while (port === 0 && Date.now() < deadline) {
      port = Number(/msg="Listening on" .*?address=127\.0\.0\.1:(\d+)/.exec(stderr.text())?.[1] ?? 0);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(port > 0, stderr.text());
    const base = `http://127.0.0.1:${port}`;
    assert.equal(((await (await fetch(`${base}/api/health`)).json()) as { database: string }).database, "ok");
    const auth = { authorization: `Basic ${Buffer.from("admin:s3cret").toString("base64")}` };
    const search = (await (await fetch(`${base}/api/search?type=dash-db`, { headers: auth })).json()) as {
      uid: string;
    }[];
    assert.equal(search.length, 5);
    abort.abort();
    assert.equal(await done, 0);
    assert.ok(existsSync(join(dir, DATABASE_FILE)));
    assert.match(stderr.text(), /Created default admin/);
  });
});
