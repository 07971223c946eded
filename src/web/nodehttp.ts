/**
 * What Vigil uses of `node:http`, required rather than imported. Node builds
 * an ES module's view of a builtin by reading every export, and `node:http`'s
 * lazy `WebSocket`, `CloseEvent` and `MessageEvent` getters then load Node's
 * bundled undici (0.7 MB of source and its compiled code), which a server
 * that never opens a WebSocket does not need. Types still come from
 * `import type … from "node:http"`.
 */
import { createRequire } from "node:module";

const http = createRequire(import.meta.url)("node:http") as typeof import("node:http");

export const createServer: typeof http.createServer = http.createServer;
export const STATUS_CODES: typeof http.STATUS_CODES = http.STATUS_CODES;
