/**
 * The dashboards' data sources page in Chromium: an admin adds a Prometheus
 * data source with basic auth, "Test" reaches it through the server (a fake
 * Prometheus on 127.0.0.1 that checks the credentials), and a data source
 * pointing nowhere tests as an error.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startDashboards } from "../../src/dashboards/dashboards.ts";
import { nopLogger } from "../../src/log/log.ts";
import { type Browser, collectErrors, launch, ROOT, screenshot, skipReason } from "./browser.ts";

const ADMIN = { user: "admin", password: "e2e-secret" };
const skip =
  skipReason() ??
  (existsSync(join(ROOT, "ui", "dist", "dashboards.html"))
    ? undefined
    : "ui/dist is not built (npm run build:ui)");

describe("dashboards: data sources page", { skip }, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "vigil-ds-e2e-"));
  let seenAuth = "";
  const prom = createServer((req, res) => {
    seenAuth = req.headers.authorization ?? "";
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ status: "success", data: { version: "3.5.3" } }));
  });
  before(async () => {
    browser = await launch();
    await new Promise<void>((resolve) => prom.listen(0, "127.0.0.1", resolve));
  });
  after(async () => {
    await browser.close();
    prom.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds a data source with basic auth, tests it, and shows a failing one's error", {
    timeout: 60_000,
  }, async (t) => {
    const d = await startDashboards({
      listenAddress: "127.0.0.1:0",
      storagePath: dir,
      provisioningPaths: [],
      admin: ADMIN,
      logger: nopLogger,
      bcryptCost: 4,
      env: {},
    });
    t.after(() => d.close());
    const url = `http://127.0.0.1:${d.server.port}`;
    const page = await browser.context.newPage();
    await page.goto(`${url}/datasources`);
    await page.getByTestId("login").waitFor({ timeout: 15_000 });
    await page.fill('input[name="user"]', ADMIN.user);
    await page.fill('input[name="password"]', ADMIN.password);
    await page.click('button[type="submit"]');
    // The login page returns to where it was sent from.
    await page.getByTestId("datasources").waitFor({ timeout: 15_000 });
    // From here on (logged in) nothing may fail but the deliberately failing test's 400.
    const errors = collectErrors(page, /\/health$/);

    const port = (prom.address() as AddressInfo).port;
    const add = async (name: string, target: string, user = "") => {
      await page.getByTestId("ds-name").fill(name);
      await page.getByTestId("ds-url").fill(target);
      await page.getByTestId("ds-basicAuthUser").fill(user);
      await page.getByTestId("ds-basicAuthPassword").fill(user === "" ? "" : "pw");
      await page.getByTestId("ds-save").click();
      await page.getByTestId("ds-row").filter({ hasText: name }).waitFor({ timeout: 10_000 });
    };
    await add("fake-prom", `http://127.0.0.1:${port}`, "vigil");
    await add("nowhere", "http://127.0.0.1:1");

    const row = (name: string) => page.getByTestId("ds-row").filter({ hasText: name });
    await row("fake-prom").getByTestId("ds-test").click();
    await row("fake-prom").getByTestId("ds-health").waitFor({ timeout: 10_000 });
    assert.equal(
      seenAuth,
      `Basic ${Buffer.from("vigil:pw").toString("base64")}`,
      "the proxy added basic auth",
    );
    assert.doesNotMatch((await row("fake-prom").getByTestId("ds-health").textContent()) ?? "", /error/i);

    await row("nowhere").getByTestId("ds-test").click();
    const failing = row("nowhere").getByTestId("ds-health");
    await failing.waitFor({ timeout: 15_000 });
    assert.match((await failing.getAttribute("class")) ?? "", /dash-error/);
    await screenshot(page, "dashboards-datasources");
    assert.deepEqual(errors, []);
  });
});
