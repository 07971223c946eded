/**
 * `npm run bench -- <name>…` runs the named benchmarks (all when none is
 * named). Each benchmark prints human-readable lines and, last, one JSON object.
 */

import { run as exportersNode } from "./exporters_node.ts";
import { run as exportersPushgateway } from "./exporters_pushgateway.ts";
import { run as exposition } from "./exposition.ts";
import { run as promql } from "./promql.ts";
import { run as remoteWrite } from "./remote_write.ts";
import { run as scrape } from "./scrape.ts";
import { run as tsdb } from "./tsdb.ts";

/** `exporters` runs the node exporter and Pushgateway benchmarks one after the other. */
async function exporters(): Promise<void> {
  await exportersNode();
  await exportersPushgateway();
}

const BENCHMARKS: Record<string, () => void | Promise<void>> = {
  exposition,
  tsdb,
  promql,
  scrape,
  exporters,
  "remote-write": remoteWrite,
};

const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  const bench = BENCHMARKS[name];
  if (bench === undefined) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHMARKS).join(", ")}`);
    process.exit(2);
  }
  await bench();
}
