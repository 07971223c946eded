/**
 * `vigil dashboards`' UI in Chromium against an in-process `vigil server`
 * scraping an in-process node exporter and a fake Kubernetes cluster
 * (kube-state-metrics over the fixtures, the kubelet's cAdvisor capture,
 * kube-prometheus' rules: `stack.ts`), with a Prometheus data source
 * pointing at it: log in, import node-exporter-full from a file, change a
 * variable, zoom the time range, save, restart the dashboards process and
 * find the dashboard again; every fixture dashboard imported with its
 * inputs mapped, every panel listed with its state (none may be in error),
 * a screenshot of each under `test-artifacts/dashboards/`; bad input.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { type DashboardsServer, startDashboards } from "../../src/dashboards/dashboards.ts";
import { nopLogger } from "../../src/log/log.ts";
import { type Browser, collectErrors, launch, ROOT, skipReason } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

const FIXTURES = "/work/shared/fixtures/grafana/dashboards";
const SHOTS = join(ROOT, "test-artifacts", "dashboards");
const ADMIN = { user: "admin", password: "e2e-secret" };
/** How long the stack must have run before the Kubernetes dashboards are drawn (three 1m steps). */
const KUBE_HISTORY_MS = 150_000;
/**
 * The dashboards the fake cluster feeds (kube-state-metrics, cAdvisor, node
 * exporter, Vigil itself, recording rules): most of their panels must show
 * data. Not the kubelet's (its own `/metrics`, not captured) nor
 * Alertmanager's (no Alertmanager is scraped).
 */
const KUBE_WITH_DATA = [
  "kube-prometheus-k8s-resources-cluster.json",
  "kube-prometheus-k8s-resources-namespace.json",
  "kube-prometheus-node-cluster-rsrc-use.json",
  "kube-prometheus-node-rsrc-use.json",
  "kube-prometheus-nodes.json",
  "kube-prometheus-prometheus.json",
];
/** Variables set in the URL: a namespace whose pods the cAdvisor capture covers (the first, `default`, has none). */
const VARIABLES: Readonly<Record<string, string>> = {
  "kube-prometheus-k8s-resources-namespace.json": "&var-namespace=scraper",
};

const skip =
  skipReason() ??
  (existsSync(join(ROOT, "ui", "dist", "dashboards.html"))
    ? undefined
    : "ui/dist is not built (npm run build:ui)") ??
  (existsSync(FIXTURES) ? undefined : `${FIXTURES} is missing`);

/** One panel as the page shows it. */
interface PanelRow {
  readonly title: string;
  readonly type: string;
  readonly state: string;
  readonly error: string;
}

async function startDash(dir: string): Promise<{ d: DashboardsServer; url: string }> {
  const d = await startDashboards({
    listenAddress: "127.0.0.1:0",
    storagePath: dir,
    provisioningPaths: [],
    admin: ADMIN,
    logger: nopLogger,
    bcryptCost: 4,
    env: {},
  });
  return { d, url: `http://127.0.0.1:${d.server.port}` };
}

async function api(
  url: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}`,
      "Content-Type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function logIn(page: Page): Promise<void> {
  await page.getByTestId("login").waitFor({ timeout: 15_000 });
  await page.fill('input[name="user"]', ADMIN.user);
  await page.fill('input[name="password"]', ADMIN.password);
  await page.click('button[type="submit"]');
  await page.getByTestId("home").waitFor({ timeout: 15_000 });
}

/** Waits until no panel is loading (bounded), then returns every panel's state. */
async function panelStates(page: Page, timeoutMs = 60_000): Promise<PanelRow[]> {
  await page.getByTestId("dashboard").waitFor({ timeout: 20_000 });
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="panel"]').length > 0 &&
      document.querySelector('[data-testid="dashboard"][data-busy]') === null &&
      document.querySelectorAll('[data-testid="panel"][data-state="loading"], [data-fetching]').length === 0,
    undefined,
    { timeout: timeoutMs, polling: 250 },
  );
  return page.$$eval('[data-testid="panel"]', (els) =>
    els.map((e) => ({
      title: e.getAttribute("data-title") ?? "",
      type: e.getAttribute("data-type") ?? "",
      state: e.getAttribute("data-state") ?? "",
      error: e.querySelector('[data-testid="panel-error-icon"]')?.getAttribute("title") ?? "",
    })),
  );
}

/** Opens every collapsed row (so that their panels are drawn and listed). */
async function expandRows(page: Page): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const collapsed = page.locator('[data-testid="row"]', { hasText: "▸" });
    if ((await collapsed.count()) === 0) return;
    await collapsed.first().click();
  }
}

describe("vigil dashboards UI in Chromium", { skip, timeout: 600_000 }, () => {
  let stack: Stack;
  let dir: string;
  let dash: { d: DashboardsServer; url: string };
  let browser: Browser;
  before(async () => {
    stack = await startStack({ kubernetes: true });
    dir = mkdtempSync(join(tmpdir(), "vigil-dash-e2e-"));
    dash = await startDash(dir);
    for (const [uid, name, isDefault] of [
      ["vigil", "Vigil", true],
      ["vigil-2", "Vigil replica", false],
    ] as const) {
      const r = await api(dash.url, "api/datasources", {
        uid,
        name,
        type: "prometheus",
        access: "proxy",
        url: stack.url,
        isDefault,
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    }
    browser = await launch();
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await dash?.d.close();
    await stack?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("logs in, imports a file, changes a variable, zooms, saves, and finds it after a restart", async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page, /\/api\/(user|search|dashboards\/uid)/);
    await page.goto(`${dash.url}/`);
    await logIn(page);
    await page.getByTestId("import-link").click();
    await page.getByTestId("import-file").setInputFiles(join(FIXTURES, "node-exporter-full.json"));
    await page.getByTestId("import-submit").click();
    const before = await panelStates(page);
    assert.ok(before.length > 5, `panels shown: ${before.length}`);
    const uid = await page.getByTestId("dashboard").getAttribute("data-uid");
    // The server has minutes of data: a short range through the picker's text fields.
    await page.getByTestId("time-picker").click();
    await page.getByTestId("time-from").fill("now-10m");
    await page.getByTestId("time-apply").click();
    await page.waitForURL(/from=now-10m/, { timeout: 10_000 });
    assert.ok(uid !== null && uid !== "");

    // A data source variable: choosing the replica reruns the panels through the other data source.
    await page.getByTestId("var-ds_prometheus").selectOption("vigil-2");
    await page.waitForURL(/var-ds_prometheus=vigil-2/, { timeout: 10_000 });
    const switched = await panelStates(page);
    await page.screenshot({ path: join(SHOTS, "variable-changed.png"), fullPage: true });
    assert.ok(switched.filter((p) => p.state === "ok").length > 5, JSON.stringify(switched.slice(0, 8)));

    // Drag-zoom on the first time series, then zoom out.
    const plot = page.locator('[data-testid="timeseries"] .u-over').first();
    const box = await plot.boundingBox();
    assert.ok(box !== null);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page
      .waitForURL(/from=\d{13}&to=\d{13}|to=\d{13}.*from=\d{13}/, { timeout: 10_000 })
      .catch(async (err) => {
        await page.screenshot({ path: join(SHOTS, "zoom-failed.png") });
        console.log("URL", page.url(), JSON.stringify(box));
        throw err;
      });
    const zoomed = new URL(page.url());
    const span = Number(zoomed.searchParams.get("to")) - Number(zoomed.searchParams.get("from"));
    assert.ok(span > 0 && span < 24 * 3_600_000, `zoomed span ${span}`);
    await page.getByTestId("zoom-out").click();
    await page.waitForFunction(
      (s) => {
        const p = new URL(location.href).searchParams;
        const to = p.get("to") === "now" ? Date.now() : Number(p.get("to"));
        return to - Number(p.get("from")) >= 2 * s - 1000;
      },
      span,
      { timeout: 10_000 },
    );
    const saved = new URL(page.url()).searchParams;

    await page.getByTestId("save").click();
    await page.getByTestId("save-status").filter({ hasText: "version 2" }).waitFor({ timeout: 10_000 });
    await page.close();

    await dash.d.close();
    dash = await startDash(dir);
    const again = await browser.context.newPage();
    await again.goto(`${dash.url}/`);
    if (
      await again
        .getByTestId("login")
        .isVisible({ timeout: 3_000 })
        .catch(() => false)
    )
      await logIn(again);
    await again.getByTestId("search").fill("Node Exporter");
    await again.getByTestId("search-hit").first().click();
    await again.getByTestId("dashboard").waitFor({ timeout: 15_000 });
    assert.equal(await again.getByTestId("dashboard").getAttribute("data-version"), "2");
    assert.equal(await again.getByTestId("var-ds_prometheus").inputValue(), "vigil-2");
    const body = (await api(dash.url, `api/dashboards/uid/${uid}`)).json as {
      dashboard: { time: { from: string } };
    };
    assert.equal(body.dashboard.time.from, saved.get("from"));
    assert.deepEqual(errors, []);
    await again.close();
  });

  it("refuses an invalid dashboard with the reason; a failing query errs in its panel only", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${dash.url}/dashboard/import`);
    if (
      await page
        .getByTestId("login")
        .isVisible({ timeout: 2_000 })
        .catch(() => false)
    ) {
      await logIn(page);
      await page.goto(`${dash.url}/dashboard/import`);
    }
    await page.getByTestId("import-json").fill('{"title": "", "panels": []}');
    await page.getByTestId("import-submit").click();
    await page
      .getByTestId("import-error")
      .filter({ hasText: "Dashboard title cannot be empty" })
      .waitFor({ timeout: 10_000 });
    await page.getByTestId("import-json").fill("{not json");
    await page.getByTestId("import-error").filter({ hasText: "Not valid JSON" }).waitFor({ timeout: 10_000 });

    const r = await api(dash.url, "api/dashboards/db", {
      dashboard: {
        uid: "bad-query",
        title: "Bad query",
        schemaVersion: 41,
        time: { from: "now-5m", to: "now" },
        panels: [
          {
            id: 1,
            type: "timeseries",
            title: "Broken",
            gridPos: { x: 0, y: 0, w: 12, h: 8 },
            targets: [{ refId: "A", expr: "sum(up" }],
          },
          {
            id: 2,
            type: "stat",
            title: "Fine",
            gridPos: { x: 12, y: 0, w: 12, h: 8 },
            targets: [{ refId: "A", expr: "count(up)" }],
          },
          { id: 3, type: "piechart", title: "Pie", gridPos: { x: 0, y: 8, w: 12, h: 4 }, targets: [] },
        ],
      },
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    await page.goto(`${dash.url}/d/bad-query`);
    const states = await panelStates(page);
    assert.deepEqual(
      states.map((s) => [s.title, s.state]),
      [
        ["Broken", "error"],
        ["Fine", "ok"],
        ["Pie", "unsupported"],
      ],
    );
    assert.match(states[0]!.error, /parse error/);
    await page.getByTestId("panel-error").filter({ hasText: "parse error" }).waitFor({ timeout: 5_000 });
    await page.getByText('Panel type "piechart" is not supported yet').waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(SHOTS, "bad-query.png"), fullPage: true });
    await page.close();
  });

  it("renders every fixture dashboard with no panel in error", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${dash.url}/`);
    if (
      await page
        .getByTestId("login")
        .isVisible({ timeout: 3_000 })
        .catch(() => false)
    )
      await logIn(page);
    const report: string[] = [];
    const failures: string[] = [];
    // The Kubernetes dashboards last: their panels' 1m minimum interval aligns
    // range queries to whole minutes, so they need minutes of history.
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".json"))
      .sort((a, b) => Number(a.startsWith("kube-")) - Number(b.startsWith("kube-")) || a.localeCompare(b));
    for (const file of files) {
      if (file.startsWith("kube-")) {
        const wait = stack.startedAt + KUBE_HISTORY_MS - Date.now();
        if (wait > 0) await page.waitForTimeout(wait);
      }
      const model = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as Record<string, unknown>;
      const uid = file
        .replace(/\.json$/, "")
        .replace(/[^a-zA-Z0-9-]/g, "-")
        .slice(0, 40);
      model.uid = uid;
      const inputs = (
        (model.__inputs as { name: string; type: string; pluginId?: string }[] | undefined) ?? []
      ).map((i) => ({
        name: i.name,
        type: i.type,
        pluginId: i.pluginId ?? "prometheus",
        value: i.type === "datasource" ? "vigil" : "",
      }));
      const r = await api(dash.url, "api/dashboards/import", { dashboard: model, inputs, overwrite: true });
      assert.equal(r.status, 200, `${file}: ${JSON.stringify(r.json)}`);
      await page.goto(`${dash.url}/d/${uid}?from=now-15m&to=now${VARIABLES[file] ?? ""}`);
      await panelStates(page);
      await expandRows(page);
      const states = await panelStates(page, 120_000);
      const count = (s: string) => states.filter((p) => p.state === s).length;
      report.push(
        `${file}: ${states.length} panels: ok ${count("ok")}, no data ${count("nodata")}, unsupported ${count("unsupported")}, error ${count("error")}`,
      );
      if (KUBE_WITH_DATA.includes(file) && count("ok") < 0.8 * states.length) {
        failures.push(`${file}: only ${count("ok")} of ${states.length} panels show data`);
      }
      for (const p of states) {
        report.push(
          `  ${p.state.padEnd(11)} ${p.type.padEnd(10)} ${p.title}${p.error ? ` — ${p.error}` : ""}`,
        );
        if (p.state === "error") failures.push(`${file}: ${p.title}: ${p.error}`);
      }
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS, `${uid}.png`), fullPage: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SHOTS, `${uid}-top.png`) });
    }
    console.log(report.join("\n"));
    assert.deepEqual(failures, []);
    await page.close();
  });
});
