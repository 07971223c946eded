#!/usr/bin/env -S node --max-semi-space-size=4
// @ts-check
// The `vigil` executable. It is JavaScript, not TypeScript, so that it can
// turn on Node's compile cache before any `.ts` module loads: the cache keeps
// each module's type-stripped source and bytecode, so a warm start neither
// loads Node's TypeScript stripper (a WebAssembly build of SWC, ~15 MB
// resident) nor compiles again what it ran before. `vigil --help` loads every
// command and so fills it (the container image does that at build time: its
// file system is read-only at run time). The shebang caps V8's semi-spaces
// (see src/server/heap.ts).
import { enableCompileCache } from "node:module";
import { fileURLToPath } from "node:url";

enableCompileCache(fileURLToPath(new URL("../node_modules/.cache/vigil-compile/", import.meta.url)));
await import("../src/server/heap.ts");
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
