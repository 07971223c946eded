/**
 * The upstream reference binaries in `.reference/bin` that differential tests
 * use as oracles, and the skip reason when one is absent.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The reference binaries installed by `../shared/tools/install-reference.sh`. */
export type ReferenceBinary =
  | "prometheus"
  | "promtool"
  | "alertmanager"
  | "amtool"
  | "pushgateway"
  | "node_exporter";

/** The absolute path of a reference binary (it may not exist). */
export function referenceBin(name: ReferenceBinary): string {
  return fileURLToPath(new URL(`../../.reference/bin/${name}`, import.meta.url));
}

/** A skip reason naming the missing binaries, or false when all are there (for `it(…, { skip })`). */
export function referenceSkip(...names: ReferenceBinary[]): string | false {
  const missing = names.filter((n) => !existsSync(referenceBin(n)));
  if (missing.length === 0) return false;
  return `reference ${missing.join(", ")} missing from .reference/bin (run ../shared/tools/install-reference.sh)`;
}
