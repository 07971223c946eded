/**
 * Browser test helpers: Debian's Chromium driven by playwright-core with a
 * fresh profile, console errors collected, screenshots under
 * `test-artifacts/ui/`, and the reason to skip when Chromium or the UI build
 * is missing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";
/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where screenshots go (git-ignored). */
export const ARTIFACTS = join(ROOT, "test-artifacts", "ui");

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why browser tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium)`;
  if (!existsSync(join(ROOT, "ui", "dist", "index.html"))) return "ui/dist is not built (npm run build:ui)";
  return undefined;
}

/** A browser with a fresh profile; `close` removes the profile. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium headless with a fresh `--user-data-dir`. */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "vigil-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: 30_000,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Collects console errors and uncaught exceptions of `page`; `allowUrl`
 * exempts failed loads of matching URLs (a deliberately invalid query's 400).
 */
export function collectErrors(page: Page, allowUrl?: RegExp): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (allowUrl?.test(msg.location().url) === true) return;
    errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/** Saves a full-page screenshot as `test-artifacts/ui/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
