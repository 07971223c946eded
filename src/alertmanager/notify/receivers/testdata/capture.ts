/**
 * Regenerates reference.json (run by hand):
 *
 *   ./node_modules/.bin/node src/alertmanager/notify/receivers/testdata/capture.ts
 *
 * Starts the reference Alertmanager with reference.yml (one receiver with an
 * entry of every HTTP integration, all pointed at a sink on 127.0.0.1), posts
 * alerts.json firing, then resolved, and records every request the sink gets.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "../../../../../.reference/bin/alertmanager");

const captured: { path: string; method: string; contentType: string; authorization: string; body: string }[] = [];
const sink = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    captured.push({
      path: req.url ?? "",
      method: req.method ?? "",
      contentType: String(req.headers["content-type"] ?? ""),
      authorization: String(req.headers.authorization ?? ""),
      body,
    });
    if (req.url?.startsWith("/telegram")) {
      res.setHeader("Content-Type", "application/json");
      res.end('{"ok":true,"result":{"message_id":1,"chat":{"id":42}}}');
    } else if (req.url === "/slack") res.end("ok");
    else res.end("{}");
  });
});
await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
const sinkPort = (sink.address() as AddressInfo).port;
const amPort = sinkPort + 1;

const dir = mkdtempSync(join(tmpdir(), "am-capture-"));
const config = readFileSync(join(here, "reference.yml"), "utf8").replaceAll("SINK", `http://127.0.0.1:${sinkPort}`);
writeFileSync(join(dir, "am.yml"), config);
const am = spawn(bin, [
  `--config.file=${join(dir, "am.yml")}`,
  `--storage.path=${dir}`,
  `--web.listen-address=127.0.0.1:${amPort}`,
  "--web.external-url=http://am.example:9093",
  "--cluster.listen-address=",
]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  await sleep(1500);
  const alerts = JSON.parse(readFileSync(join(here, "alerts.json"), "utf8")) as Record<string, unknown>[];
  const post = (body: unknown) =>
    fetch(`http://127.0.0.1:${amPort}/api/v2/alerts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  await post(alerts);
  await sleep(2500);
  const firing = captured.length;
  await post(alerts.map((a) => ({ ...a, endsAt: a.resolvedAt })));
  await sleep(3500);
  const out = captured.map((c, i) => ({ phase: i < firing ? "firing" : "resolved", ...c }));
  writeFileSync(join(here, "reference.json"), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${firing} firing and ${out.length - firing} resolved requests captured`);
} finally {
  am.kill();
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}
