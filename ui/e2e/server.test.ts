/**
 * `vigil server`'s UI in Chromium against a server scraping real targets:
 * every page loads without console errors and shows real data; a typed
 * query autocompletes, runs and graphs; dark theme and Korean switch.
 * Screenshots go to `test-artifacts/ui/`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { serveWeb } from "../../src/web/api/v1/testing.ts";
import { type Browser, collectErrors, launch, screenshot, skipReason } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

const skip = skipReason();

/** Each page, what must be visible once its data loaded. */
const PAGES: readonly (readonly [path: string, testId: string, mustShow: (s: Stack) => readonly string[]])[] =
  [
    ["/targets", "page-targets", (s) => [`http://${s.nodeAddress}/metrics`, "vigil", "node", "UP", "DOWN"]],
    [
      "/alerts",
      "page-alerts",
      () => ["AlwaysFiring", "NeverFiring", "FIRING", 'severity="page"', "value is 1"],
    ],
    ["/rules", "page-rules", () => ["ui-example", "job:up:sum", "sum by (job) (up)", "OK"]],
    [
      "/service-discovery",
      "page-service-discovery",
      (s) => [s.nodeAddress, "__address__", "DROPPED", "127.0.0.1:2"],
    ],
    ["/status", "page-status", () => ["storageRetention", "version", "goVersion"]],
    ["/tsdb-status", "page-tsdb-status", () => ["node_cpu_seconds_total", "__name__", "Number of series"]],
    ["/flags", "page-flags", () => ["--config.file", "--storage.tsdb.path"]],
    ["/config", "page-config", () => ["scrape_configs:", "job_name:", "file_sd_configs:"]],
  ];

async function expectText(page: Page, testId: string, texts: readonly string[]): Promise<void> {
  const root = page.getByTestId(testId);
  await root.waitFor({ timeout: 10_000 });
  for (const text of texts) {
    await root.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
  }
}

/** How many strongly coloured (series, not axis or grid) pixels the graph canvas has. */
async function colouredPixels(page: Page): Promise<number> {
  return page.locator("[data-testid=graph] canvas").evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const px = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let n = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 80) n++;
    }
    return n;
  });
}

describe("vigil server UI in Chromium", { skip, timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  before(async () => {
    stack = await startStack();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("redirects / to /query and serves the shell", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${stack.url}/`);
    await page.getByTestId("page-query").waitFor();
    assert.equal(new URL(page.url()).pathname, "/query");
    assert.deepEqual(errors, []);
    await page.close();
  });

  for (const [path, testId, mustShow] of PAGES) {
    it(`${path} shows real data without console errors`, async () => {
      const page = await browser.context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${stack.url}${path}`);
      await expectText(page, testId, mustShow(stack));
      await screenshot(page, path.slice(1));
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  it("autocompletes a typed query, runs it with Enter, shows the table and the graph", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${stack.url}/query`);
    const editor = page.locator(".cm-content").first();
    await editor.click();
    await page.keyboard.type("node_cpu_seconds_t");
    const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "node_cpu_seconds_total" }).first();
    await option.waitFor({ timeout: 10_000 });
    // CodeMirror ignores Enter for 75 ms after the list opens (its interactionDelay).
    await page.waitForTimeout(300);
    await page.keyboard.press("Enter");
    assert.equal(await editor.textContent(), "node_cpu_seconds_total");
    await page.keyboard.press("Enter");
    const table = page.getByTestId("result-table");
    await table.getByText('mode="idle"').first().waitFor({ timeout: 10_000 });
    const stats = await page.getByTestId("query-stats").textContent();
    assert.match(stats ?? "", /Result series: [1-9]/);
    assert.equal(new URL(page.url()).searchParams.get("g0.expr"), "node_cpu_seconds_total");
    await screenshot(page, "query-table");
    await page.getByTestId("tab-graph").click();
    await page.locator("[data-testid=graph] canvas").waitFor({ timeout: 10_000 });
    await page.getByRole("textbox", { name: "Range" }).fill("1m");
    await page.getByRole("textbox", { name: "Range" }).press("Enter");
    await page.waitForURL(/g0\.range_input=1m/);
    await page.locator("[data-testid=graph] canvas").waitFor({ timeout: 10_000 });
    assert.ok((await colouredPixels(page)) > 100, "the graph draws the series");
    await page.locator(".u-legend").getByText('mode="idle"').first().waitFor();
    assert.equal(new URL(page.url()).searchParams.get("g0.tab"), "graph");
    await screenshot(page, "query-graph");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("restores a shared link and lints with the server's parser", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page, /\/api\/v1\/parse_query\?query=up\+up$/);
    await page.goto(
      `${stack.url}/graph?g0.expr=rate(prometheus_http_requests_total[1m])&g0.tab=graph&g0.range_input=5m`,
    );
    await page.locator("[data-testid=graph] canvas").waitFor({ timeout: 10_000 });
    assert.equal(new URL(page.url()).pathname, "/query");
    await page.getByTestId("add-panel").click();
    const second = page.locator(".cm-content").nth(1);
    await second.click();
    await page.keyboard.type("up up");
    await page.keyboard.press("Escape");
    await page.locator(".cm-lintRange-error").first().waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId("query-panel").count(), 2);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("switches to the dark theme and Korean, and remembers both", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${stack.url}/alerts`);
    await expectText(page, "page-alerts", ["AlwaysFiring"]);
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByTestId("theme-toggle").click();
    const dark = before === "dark" ? "light" : "dark";
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), dark);
    if (dark !== "dark") await page.getByTestId("theme-toggle").click();
    await page.getByTestId("lang-switch").selectOption("ko");
    await expectText(page, "page-alerts", ["알림 규칙", "발생 중"]);
    await screenshot(page, "alerts-dark-ko");
    await page.reload();
    await expectText(page, "page-alerts", ["알림 규칙"]);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await page.goto(`${stack.url}/targets`);
    await expectText(page, "page-targets", ["스크레이프 풀"]);
    await screenshot(page, "targets-dark-ko");
    await page.getByTestId("lang-switch").selectOption("en");
    await page.getByTestId("theme-toggle").click();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("works under a route prefix: assets, API calls and links stay below it", async () => {
    const cleanups: (() => void | Promise<void>)[] = [];
    const base = await serveWeb({ after: (fn) => cleanups.push(fn) }, { routePrefix: "/vigil" });
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    const requested: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    try {
      await page.goto(`${base}/status`);
      await expectText(page, "page-status", ["goVersion"]);
      await page.getByText("Status", { exact: true }).click();
      await page.getByTestId("nav-flags").click();
      await page.getByTestId("page-flags").waitFor();
      assert.equal(new URL(page.url()).pathname, "/vigil/flags");
      assert.ok(requested.includes("/vigil/api/v1/status/buildinfo"), requested.join(" "));
      assert.deepEqual(
        requested.filter((p) => !p.startsWith("/vigil/")),
        [],
      );
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      for (const fn of cleanups) await fn();
    }
  });

  it("is usable on a narrow screen", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.url}/targets`);
    await expectText(page, "page-targets", ["node"]);
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByText("Status", { exact: true }).click();
    await page.getByTestId("nav-rules").click();
    await expectText(page, "page-rules", ["ui-example"]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page overflows horizontally by ${overflow}px`);
    await screenshot(page, "rules-narrow");
    assert.deepEqual(errors, []);
    await page.close();
  });
});
