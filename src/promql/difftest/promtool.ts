/** Turning an OpenMetrics file into TSDB blocks with the reference promtool. */
import { spawnSync } from "node:child_process";
import { PROMTOOL_BIN } from "./prometheus.ts";

/**
 * `promtool tsdb create-blocks-from openmetrics <file> <outDir>` (2h blocks);
 * throws with promtool's output on failure.
 */
export function createBlocksFromOpenMetrics(file: string, outDir: string): void {
  const r = spawnSync(PROMTOOL_BIN, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, outDir], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0)
    throw new Error(`promtool create-blocks-from failed (${r.status}): ${r.stderr}${r.stdout}`);
}
