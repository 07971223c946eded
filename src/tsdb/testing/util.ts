/** Helpers for TSDB tests: temp dirs, reading a querier's whole result, the reference promtool. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Matcher } from "../../model/labels/matcher.ts";
import { type Querier, ValueType } from "../../storage/interface.ts";

export function tempDir(prefix = "vigil-tsdb-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every series matching `{__name__=~".+"}` (or the matchers), as "labels" → [t, v][]. */
export function readAll(q: Querier, ...matchers: Matcher[]): Map<string, [number, number][]> {
  const ms = matchers.length > 0 ? matchers : [Matcher.create("=~", "__name__", ".+")];
  const out = new Map<string, [number, number][]>();
  const set = q.select(true, undefined, ...ms);
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next() !== ValueType.None) samples.push([it.atT(), it.atV()]);
    const e = it.err();
    if (e !== null) throw e;
    out.set(s.labels.toString(), samples);
  }
  const e = set.err();
  if (e !== null) throw e;
  return out;
}

/** Path of the upstream binary in `.reference/bin`, or undefined when not installed. */
export function referenceBinary(name: string): string | undefined {
  const p = new URL(`../../../.reference/bin/${name}`, import.meta.url).pathname;
  return existsSync(p) ? p : undefined;
}
