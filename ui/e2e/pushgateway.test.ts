/**
 * `vigil pushgateway`'s UI in Chromium against an in-process pushgateway
 * with pushed groups: the groups with their grouping labels, last push
 * times and families; deleting a group through the UI; the status page.
 * Screenshots go to `test-artifacts/ui/`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { type RunningPushgateway, startPushgateway } from "../../src/pushgateway/pushgateway.ts";
import { type Browser, collectErrors, launch, ROOT, screenshot, skipReason } from "./browser.ts";

const skip =
  skipReason() ??
  (existsSync(join(ROOT, "ui", "dist", "pushgateway.html"))
    ? undefined
    : "ui/dist is not built (npm run build:ui)");

const BACKUP = `# HELP backup_duration_seconds How long the backup took.
# TYPE backup_duration_seconds summary
backup_duration_seconds{quantile="0.5"} 41
backup_duration_seconds{quantile="0.99"} 87
backup_duration_seconds_sum 950
backup_duration_seconds_count 20
# HELP backup_bytes_total Bytes written.
# TYPE backup_bytes_total counter
backup_bytes_total{target="s3"} 123456789
# TYPE backup_size_bytes histogram
backup_size_bytes_bucket{le="1e6"} 2
backup_size_bytes_bucket{le="1e9"} 19
backup_size_bytes_bucket{le="+Inf"} 20
backup_size_bytes_sum 1.2e10
backup_size_bytes_count 20
# TYPE backup_last_success_timestamp_seconds gauge
backup_last_success_timestamp_seconds 1.7e9
`;

async function push(url: string, path: string, body: string, method = "PUT"): Promise<number> {
  return (await fetch(`${url}/${path}`, { method, body })).status;
}

async function groupJobs(url: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/api/v1/metrics`)).json()) as {
    data: { labels: Record<string, string> }[];
  };
  return body.data.map((g) => g.labels.job ?? "").sort();
}

async function expectText(page: Page, testId: string, texts: readonly string[]): Promise<void> {
  const root = page.getByTestId(testId);
  await root.waitFor({ timeout: 10_000 });
  for (const text of texts) await root.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
}

describe("vigil pushgateway UI in Chromium", { skip, timeout: 120_000 }, () => {
  let pg: RunningPushgateway;
  let url: string;
  let browser: Browser;
  before(async () => {
    pg = await startPushgateway({
      listenAddresses: ["127.0.0.1:0"],
      enableAdminApi: true,
      flags: { "web.enable-admin-api": "true", "web.listen-address": "127.0.0.1:0", "persistence.file": "" },
    });
    url = `http://${pg.addresses[0]}`;
    assert.equal(await push(url, "metrics/job/backup/instance/db-1", BACKUP), 200);
    assert.equal(await push(url, "metrics/job/cleanup", "cleanup_files_removed 42\n"), 200);
    // A push refused by the checks (samples with timestamps) keeps the old metrics and records the failure time.
    assert.equal(await push(url, "metrics/job/cleanup", "cleanup_files_removed 7 1700000000000\n"), 400);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await pg?.close();
  });

  it("shows the groups with their labels, push times and families", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/`);
    await expectText(page, "page-pg-metrics", [
      'job="backup"',
      'instance="db-1"',
      'job="cleanup"',
      "backup_duration_seconds",
      "backup_bytes_total",
      "push_time_seconds",
      "push_failure_time_seconds",
      "Last push failed",
      "Last failed push:",
    ]);
    assert.equal(new URL(page.url()).pathname, "/");
    assert.equal(await page.getByTestId("pg-group").count(), 2);
    const lastPush = await page.getByTestId("last-push").first().textContent();
    assert.match(lastPush ?? "", /^Last push: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const backup = page.getByTestId("pg-group").filter({ hasText: 'job="backup"' });
    for (const name of ["backup_duration_seconds", "backup_size_bytes", "backup_bytes_total"]) {
      await backup.getByTestId("pg-family").filter({ hasText: name }).locator("summary").click();
    }
    await backup.getByText('{quantile="0.99"} 87').waitFor();
    await backup.getByText('{le="1e+09"} 19').waitFor();
    await backup.getByText('target="s3"').waitFor();
    await backup.getByText("How long the backup took.").waitFor();
    await screenshot(page, "pushgateway-metrics");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("deletes a group", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/`);
    const cleanup = page.getByTestId("pg-group").filter({ hasText: 'job="cleanup"' });
    await cleanup.getByTestId("delete-group").click();
    await cleanup.getByTestId("delete-group-confirm").click();
    await cleanup.waitFor({ state: "detached", timeout: 10_000 });
    assert.deepEqual(await groupJobs(url), ["backup"]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("shows the status: build information, start time and flags", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${url}/status`);
    await expectText(page, "page-pg-status", [
      "version",
      "goVersion",
      "Start time",
      "--web.enable-admin-api",
    ]);
    await screenshot(page, "pushgateway-status");
    await page.getByTestId("lang-switch").selectOption("ko");
    await expectText(page, "page-pg-status", ["시작 시각"]);
    await page.getByRole("link", { name: "메트릭" }).click();
    await expectText(page, "page-pg-metrics", ["메트릭 그룹", 'job="backup"']);
    await screenshot(page, "pushgateway-metrics-ko");
    await page.getByTestId("lang-switch").selectOption("en");
    assert.deepEqual(errors, []);
    await page.close();
  });
});
