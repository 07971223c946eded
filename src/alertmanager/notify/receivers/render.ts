/**
 * Upstream's `TmplText` / `TmplHTML`: renders a notification's templated
 * config fields with one group's data, remembering the first error so a
 * receiver renders everything and checks once.
 */
import { createHash } from "node:crypto";
import type { Data } from "../../../template/amdata.ts";
import type { Alert } from "../../types/types.ts";
import { templateData } from "../data.ts";
import type { NotifyContext } from "../notifier.ts";

/** Renders templated fields with one notification's data. */
export class Renderer {
  readonly data: Data;
  readonly #ctx: NotifyContext;
  /** The first rendering error, if any. */
  error: Error | undefined;

  constructor(ctx: NotifyContext, alerts: readonly Alert[]) {
    this.#ctx = ctx;
    this.data = templateData(ctx, alerts);
  }

  /** `text` rendered as a text template ("" after an earlier error). */
  async text(text: string): Promise<string> {
    return this.#run(() => this.#ctx.templates.executeText(text, this.data));
  }

  /** `text` rendered as an HTML template ("" after an earlier error). */
  async html(text: string): Promise<string> {
    return this.#run(() => this.#ctx.templates.executeHTML(text, this.data));
  }

  async #run(f: () => Promise<string>): Promise<string> {
    if (this.error !== undefined) return "";
    try {
      return await f();
    } catch (e) {
      this.error = e as Error;
      return "";
    }
  }
}

/** Upstream's `types.Alerts(...).Status()`: "resolved" when every alert has ended at `now`. */
export function groupStatus(alerts: readonly Alert[], now: number): "firing" | "resolved" {
  return alerts.every((a) => a.endsAt !== 0 && a.endsAt <= now) ? "resolved" : "firing";
}

/** Upstream's `Key.Hash()`: the SHA-256 of the group key, hex. */
export function groupKeyHash(groupKey: string): string {
  return createHash("sha256").update(groupKey).digest("hex");
}
