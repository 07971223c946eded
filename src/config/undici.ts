/**
 * undici, loaded on first use. It is 1.3 MB of source in 109 modules, and it
 * pulls in Node's own bundled copy (0.7 MB more): an idle `vigil server` that
 * scrapes plain-HTTP targets (scrape/h1.ts) never needs it, and holding it
 * cost 3–6 MB resident. Loaded synchronously (undici is CommonJS) so the
 * callers that build a dispatcher in a constructor stay synchronous.
 */
import { createRequire } from "node:module";

type Undici = typeof import("undici");

const require = createRequire(import.meta.url);
let loaded: Undici | undefined;

/** The undici module, required on the first call. */
export function undici(): Undici {
  loaded ??= require("undici") as Undici;
  return loaded;
}
