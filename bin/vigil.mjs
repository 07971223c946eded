#!/usr/bin/env -S node --max-semi-space-size=4
// @ts-check
// The `vigil` executable. It is JavaScript, not TypeScript, so that Node
// does not load its TypeScript stripper for it: `tscache.mjs` serves every
// `.ts` module already stripped (see there). The shebang caps V8's
// semi-spaces (see src/server/heap.ts).
import { registerTsCache } from "./tscache.mjs";

registerTsCache();
await import("../src/server/heap.ts");
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
