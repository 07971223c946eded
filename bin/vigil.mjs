#!/usr/bin/env -S node --max-semi-space-size=4
// @ts-check
// The `vigil` executable. It is JavaScript, not TypeScript, for one reason:
// Node strips the types of `.ts` files with a WebAssembly build of SWC
// ("amaro") that stays resident once loaded (~25 MB per process). This
// launcher installs a load hook that serves the type-stripped source of
// every `.ts` module from a cache (keyed by a hash of the file, filled by
// Node's own stripper on first use), so a warm `vigil` never loads it.
// The shebang caps V8's semi-spaces (see src/server/heap.ts).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { registerHooks, stripTypeScriptTypes } from "node:module";
import { fileURLToPath } from "node:url";

const CACHE = fileURLToPath(new URL("../node_modules/.cache/vigil-ts/", import.meta.url));
let writable = true;

/**
 * The JavaScript of a `.ts` module: from the cache, else stripped (types
 * replaced by whitespace, so positions in stack traces stay right) and cached.
 * @param {string} url
 * @returns {string}
 */
function strippedSource(url) {
  const source = readFileSync(fileURLToPath(url), "utf8");
  const file = `${CACHE}${createHash("sha256").update(source).digest("hex").slice(0, 40)}.js`;
  try {
    return readFileSync(file, "utf8");
  } catch {
    // Not cached yet.
  }
  const js = stripTypeScriptTypes(source, { mode: "strip", sourceUrl: url });
  if (writable) {
    try {
      mkdirSync(CACHE, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, js);
      renameSync(tmp, file);
    } catch {
      writable = false; // a read-only install: strip in memory from now on
    }
  }
  return js;
}

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
    return { format: "module", source: strippedSource(url), shortCircuit: true };
  },
});

await import("../src/server/heap.ts");
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
