/**
 * Exposition parsing throughput. Parses the node_exporter fixture repeated to
 * ~50 MB, on one core, in two ways:
 * - `scan`: what a scrape with a warm series cache does per line — entry kind,
 *   value, timestamp and the raw series bytes, no label strings;
 * - `labels`: additionally decodes every series' labels into a `Labels`.
 * The anchor is the upstream twin's text parser, run in the same invocation:
 * `promtool check metrics` (prometheus/common expfmt plus its lint) on the
 * same bytes, when ../shared/tools/install-reference.sh has put it in
 * .reference/bin. Last line: one JSON object with the figures.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newParser } from "../src/exposition/newparser.ts";
import { Entry } from "../src/exposition/parser.ts";

const FIXTURE = new URL("../../shared/fixtures/exposition/node_exporter-1.11.1.prom", import.meta.url)
  .pathname;
const TARGET_BYTES = 50 * 1024 * 1024;
const ROUNDS = 5;

function buildInput(): Buffer {
  const one = readFileSync(FIXTURE);
  const copies = Math.ceil(TARGET_BYTES / one.length);
  return Buffer.concat(Array.from({ length: copies }, () => one));
}

interface Pass {
  readonly samples: number;
  readonly seconds: number;
}

function scan(body: Buffer, withLabels: boolean): Pass {
  const t0 = process.hrtime.bigint();
  const p = newParser(body, "prometheus-text", { maxBodyBytes: body.length });
  let samples = 0;
  let sink = 0;
  for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
    if (e !== Entry.Series) continue;
    samples++;
    sink += p.value + (p.seriesEnd - p.seriesStart);
    if (withLabels) sink += p.labels().size;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (Number.isNaN(sink)) console.log("sink", sink); // keep the loop's work observable
  return { samples, seconds };
}

function best(body: Buffer, withLabels: boolean): Pass {
  let min: Pass | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    const pass = scan(body, withLabels);
    if (min === undefined || pass.seconds < min.seconds) min = pass;
  }
  return min!;
}

/**
 * The fixture repeated with every copy's metric names prefixed (`c17_node_…`),
 * so that expfmt, which refuses a family declared twice, reads all of it.
 */
function buildAnchorInput(): Buffer {
  const one = readFileSync(FIXTURE, "utf8");
  const copies = Math.ceil(TARGET_BYTES / one.length);
  const parts: string[] = [];
  for (let k = 0; k < copies; k++) {
    parts.push(one.replace(/^(# (?:HELP|TYPE) )?([a-zA-Z_:])/gm, `$1c${k}_$2`));
  }
  return Buffer.from(parts.join(""));
}

/** Seconds promtool needs for `body` (best of 3), or undefined without the reference binaries. */
function promtoolSeconds(body: Buffer): number | undefined {
  const bin = new URL("../.reference/bin/promtool", import.meta.url).pathname;
  if (!existsSync(bin)) return undefined;
  const file = join(tmpdir(), `vigil-bench-exposition-${process.pid}.prom`);
  writeFileSync(file, body);
  let min = Number.POSITIVE_INFINITY;
  try {
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      const res = spawnSync("sh", ["-c", `GOMAXPROCS=1 "${bin}" check metrics < "${file}"`], {
        maxBuffer: 1 << 30,
      });
      if (res.status !== 0 && res.status !== 3) {
        throw new Error(`promtool check metrics failed (${res.status}): ${String(res.stderr).slice(0, 300)}`);
      }
      min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9);
    }
  } finally {
    rmSync(file, { force: true });
  }
  return min;
}

export function run(): void {
  const body = buildInput();
  const mb = body.length / 1e6;
  scan(body, true); // warm-up
  const fast = best(body, false);
  const full = best(body, true);
  const anchorBody = buildAnchorInput();
  const anchorVigil = best(anchorBody, false);
  const ref = promtoolSeconds(anchorBody);
  const rate = (p: Pass) => Math.round(p.samples / p.seconds);
  console.log(`input: ${mb.toFixed(1)} MB, ${fast.samples} samples (node_exporter fixture repeated)`);
  console.log(`scan:   ${(rate(fast) / 1e6).toFixed(2)} M samples/s, ${(mb / fast.seconds).toFixed(0)} MB/s`);
  console.log(`labels: ${(rate(full) / 1e6).toFixed(2)} M samples/s, ${(mb / full.seconds).toFixed(0)} MB/s`);
  if (ref !== undefined) {
    console.log(
      `anchor input (names prefixed per copy, ${(anchorBody.length / 1e6).toFixed(1)} MB): vigil scan ` +
        `${(rate(anchorVigil) / 1e6).toFixed(2)} M samples/s, promtool check metrics (expfmt + lint, GOMAXPROCS=1) ` +
        `${(anchorVigil.samples / ref / 1e6).toFixed(2)} M samples/s: ratio ${(ref / anchorVigil.seconds).toFixed(2)}`,
    );
  } else
    console.log(
      "promtool not found in .reference/bin: run ../shared/tools/install-reference.sh for the anchor",
    );
  console.log(
    JSON.stringify({
      benchmark: "exposition",
      bytes: body.length,
      samples: fast.samples,
      scan_samples_per_sec: rate(fast),
      scan_mb_per_sec: Math.round(mb / fast.seconds),
      labels_samples_per_sec: rate(full),
      labels_mb_per_sec: Math.round(mb / full.seconds),
      anchor_vigil_samples_per_sec: rate(anchorVigil),
      anchor_promtool_samples_per_sec: ref === undefined ? null : Math.round(anchorVigil.samples / ref),
      ratio_vs_promtool: ref === undefined ? null : Number((ref / anchorVigil.seconds).toFixed(2)),
    }),
  );
}
