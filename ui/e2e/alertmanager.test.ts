/**
 * `vigil alertmanager`'s UI in Chromium against an in-process Alertmanager
 * with posted alerts: the alerts grouped by the routing tree and filtered;
 * a silence created through the form is visible through `/api/v2/silences`
 * and silences its alert; it is expired from the list; the status page;
 * dark theme and Korean. Screenshots go to `test-artifacts/ui/`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { Alertmanager } from "../../src/alertmanager/server/alertmanager.ts";
import { postAlerts, startInProcess } from "../../src/alertmanager/server/testing.ts";
import { type Browser, collectErrors, launch, ROOT, screenshot, skipReason } from "./browser.ts";

const skip =
  skipReason() ??
  (existsSync(join(ROOT, "ui", "dist", "alertmanager.html"))
    ? undefined
    : "ui/dist is not built (npm run build:ui)");

const CONFIG = `route:
  receiver: team-default
  group_by: [alertname]
  group_wait: 1h
  routes:
    - matchers: ['severity="page"']
      receiver: team-pager
      group_by: [alertname, cluster]
receivers:
  - name: team-default
  - name: team-pager
`;

const ALERTS = [
  {
    labels: { alertname: "HighLatency", severity: "page", cluster: "eu", instance: "web-1" },
    annotations: { summary: "p99 latency above 2s" },
    generatorURL: "http://prometheus.example/graph?g0.expr=latency",
  },
  {
    labels: { alertname: "HighLatency", severity: "page", cluster: "eu", instance: "web-2" },
    annotations: { summary: "p99 latency above 2s" },
  },
  {
    labels: { alertname: "DiskFull", severity: "warning", instance: "db-1" },
    annotations: { summary: "disk 97% full" },
  },
];

interface ApiSilence {
  readonly id: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly status: { readonly state: string };
  readonly matchers: readonly { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
}

async function silences(url: string): Promise<ApiSilence[]> {
  return (await (await fetch(`${url}/api/v2/silences`)).json()) as ApiSilence[];
}

async function expectText(page: Page, testId: string, texts: readonly string[]): Promise<void> {
  const root = page.getByTestId(testId);
  await root.waitFor({ timeout: 10_000 });
  for (const text of texts) await root.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
}

describe("vigil alertmanager UI in Chromium", { skip, timeout: 180_000 }, () => {
  let dir: string;
  let am: Alertmanager;
  let url: string;
  let browser: Browser;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-am-ui-e2e-"));
    writeFileSync(join(dir, "alertmanager.yml"), CONFIG);
    ({ am, url } = await startInProcess([
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
    ]));
    const startsAt = new Date(Date.now() - 300_000).toISOString();
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    await postAlerts(
      url,
      ALERTS.map((a) => ({ ...a, startsAt, endsAt })),
    );
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await am?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the alerts grouped by the routing tree and filters them by matchers and receiver", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/`);
    await expectText(page, "page-am-alerts", [
      'alertname="HighLatency"',
      'cluster="eu"',
      'alertname="DiskFull"',
      "receiver: team-pager",
      "receiver: team-default",
      'instance="web-2"',
      "p99 latency above 2s",
    ]);
    assert.equal(new URL(page.url()).pathname, "/alerts");
    assert.equal(await page.getByTestId("alert-group").count(), 2);
    assert.equal(await page.getByTestId("alert").count(), 3);
    await screenshot(page, "alertmanager-alerts");
    await page.getByTestId("alert-filter").fill('{severity="page"}');
    await page.getByTestId("alert-filter").press("Enter");
    await page.waitForURL(/filter=/);
    await page.getByText("receiver: team-default").waitFor({ state: "detached", timeout: 10_000 });
    assert.equal(await page.getByTestId("alert").count(), 2);
    await page.getByTestId("alert-filter").fill("");
    await page.getByTestId("alert-filter").press("Enter");
    await page.getByTestId("receiver-filter").selectOption("team-default");
    await page.getByText("receiver: team-pager").waitFor({ state: "detached", timeout: 10_000 });
    assert.equal(await page.getByTestId("alert").count(), 1);
    assert.equal(new URL(page.url()).searchParams.get("receiver"), "team-default");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("pre-fills a silence from an alert", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/alerts?filter=${encodeURIComponent('{instance="web-1"}')}`);
    await expectText(page, "page-am-alerts", ['instance="web-1"']);
    await page.getByTestId("silence-alert").first().click();
    await page.getByTestId("page-silence-form").waitFor();
    const names = await page
      .locator("[data-testid^=matcher-name-]")
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    assert.deepEqual(names.sort(), ["alertname", "cluster", "instance", "severity"]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("creates a silence through the form; the API has it and the alert shows as silenced", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/silences`);
    await page.getByTestId("new-silence").click();
    await page.getByTestId("page-silence-form").waitFor();
    // Submitting an empty form names the missing fields and posts nothing.
    await page.getByTestId("silence-submit").click();
    await page.getByTestId("error-matchers").waitFor();
    await page.getByTestId("error-comment").waitFor();
    assert.equal((await silences(url)).length, 0);
    await page.getByTestId("matcher-name-0").fill("alertname");
    await page.getByTestId("matcher-value-0").fill("DiskFull");
    await page.getByTestId("silence-duration").fill("3h");
    await page.getByTestId("silence-creator").fill("e2e");
    await page.getByTestId("silence-comment").fill("disk is being replaced");
    await page.getByTestId("silence-preview").click();
    await page
      .getByTestId("silence-preview-result")
      .getByText('instance="db-1"')
      .waitFor({ timeout: 10_000 });
    await page.getByText("Alerts matching now: 1").waitFor();
    await screenshot(page, "alertmanager-silence-new");
    await page.getByTestId("silence-submit").click();
    await page.getByTestId("page-silence").waitFor({ timeout: 10_000 });
    const list = await silences(url);
    assert.equal(list.length, 1);
    const s = list[0]!;
    assert.equal(s.status.state, "active");
    assert.equal(s.createdBy, "e2e");
    assert.equal(s.comment, "disk is being replaced");
    assert.deepEqual(s.matchers, [{ name: "alertname", value: "DiskFull", isRegex: false, isEqual: true }]);
    assert.equal(new URL(page.url()).pathname, `/silences/${s.id}`);
    await expectText(page, "page-silence", [s.id, "Affected alerts: 1"]);
    // Silenced alerts are hidden by default and shown with the toggle.
    await page.goto(`${url}/alerts`);
    await expectText(page, "page-am-alerts", ['alertname="HighLatency"']);
    assert.equal(await page.getByText('alertname="DiskFull"').count(), 0);
    await page.getByTestId("toggle-silenced").check();
    const disk = page.getByTestId("alert-group").filter({ hasText: 'alertname="DiskFull"' });
    await disk.getByText("Silenced", { exact: true }).first().waitFor({ timeout: 10_000 });
    await disk.getByText(`silenced by ${s.id.slice(0, 8)}`).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("lists silences by state and expires one", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/silences`);
    await expectText(page, "page-silences", [
      'alertname="DiskFull"',
      "e2e",
      "disk is being replaced",
      "Active (1)",
    ]);
    await screenshot(page, "alertmanager-silences");
    await page.getByTestId("expire").click();
    await page.getByTestId("expire-confirm").click();
    await page.getByText("Expired (1)").waitFor({ timeout: 10_000 });
    const list = await silences(url);
    assert.deepEqual(
      list.map((s) => s.status.state),
      ["expired"],
    );
    await page.getByTestId("tab-expired").click();
    await expectText(page, "page-silences", ["disk is being replaced", "Recreate"]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("shows the status: cluster disabled, version, uptime and the configuration", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/status`);
    await expectText(page, "page-am-status", ["disabled", "version", "Uptime", "receiver: team-default"]);
    assert.equal(await page.getByTestId("cluster-status").textContent(), "disabled");
    await screenshot(page, "alertmanager-status");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("is usable on a narrow screen", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/alerts", "/silences/new", "/silences?state=expired"]) {
      await page.goto(`${url}${path}`);
      await page.locator("main .page").waitFor();
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${path} overflows horizontally by ${overflow}px`);
    }
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "Status" }).click();
    await page.getByTestId("page-am-status").waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("switches to the dark theme and Korean", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/alerts`);
    await expectText(page, "page-am-alerts", ['alertname="HighLatency"']);
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== "dark") {
      await page.getByTestId("theme-toggle").click();
    }
    await page.getByTestId("lang-switch").selectOption("ko");
    await expectText(page, "page-am-alerts", ["수신자: team-pager", "사일런스"]);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await screenshot(page, "alertmanager-alerts-dark-ko");
    await page.getByTestId("lang-switch").selectOption("en");
    await page.getByTestId("theme-toggle").click();
    assert.deepEqual(errors, []);
    await page.close();
  });
});
