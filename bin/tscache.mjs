// @ts-check
// A cache of type-stripped TypeScript for `bin/vigil.mjs`: Node strips the
// types of `.ts` files with a WebAssembly build of SWC ("amaro") that stays
// resident once loaded (~15 MB per process). The load hook here serves the
// stripped source of every `.ts` module from a cache keyed by a hash of the
// file (filled by Node's own stripper on a miss), so a warm `vigil` never
// loads it. `node bin/tscache.mjs` fills the cache for all of `src/` (the
// container image does this at build time: its file system is read-only).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
export function strippedSource(url) {
  const source = readFileSync(fileURLToPath(url), "utf8");
  const file = `${CACHE}${createHash("sha256").update(source).digest("hex").slice(0, 40)}.js`;
  try {
    return readFileSync(file, "utf8");
  } catch {
    // Not cached yet.
  }
  // The stripper itself is what `node file.ts` uses; its "experimental" warning is not the user's concern.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  let js;
  try {
    js = stripTypeScriptTypes(source, { mode: "strip", sourceUrl: url });
  } finally {
    process.emitWarning = emitWarning;
  }
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

/** Installs the load hook; modules imported after this come from the cache. */
export function registerTsCache() {
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
      return { format: "module", source: strippedSource(url), shortCircuit: true };
    },
  });
}

/** Fills the cache with every module under `src/` (tests and test data excepted). */
function warmAll() {
  const root = new URL("../src/", import.meta.url);
  /** @param {URL} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== "testdata") walk(new URL(`${e.name}/`, dir));
      else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
        strippedSource(new URL(e.name, dir).href);
    }
  };
  walk(root);
}

if (import.meta.url === `file://${process.argv[1]}`) warmAll();
