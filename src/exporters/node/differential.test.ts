/**
 * Differential test against the reference node_exporter (../../../.reference/bin):
 * both exporters run side by side with the same flags and every metric family
 * the reference exposes for the collectors below must be in Vigil's output
 * with the same help, type, label names and label values. On the captured
 * tree every file-based value must match too; on this machine the values that
 * do not move (memory and filesystem sizes, CPU count, uname, …) must.
 * Families still missing are printed as diagnostics.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { parseFamilies } from "../../exposition/families.ts";
import type { MetricFamily } from "../../exposition/types.ts";
import { FIXTURE_FLAGS } from "./testing/fixture.ts";
import {
  DIFF_COLLECTORS,
  type ExporterProcess,
  referenceAvailable,
  scrape,
  startReference,
  startVigil,
} from "./testing/procs.ts";

/** Families whose values legitimately differ between two scrapes of the same tree. */
const MOVING =
  /^(node_time_seconds|node_scrape_collector_duration_seconds|node_filesystem_(avail|free)_bytes|node_filesystem_files_free)$/;

type Families = Map<string, MetricFamily>;

function parse(text: string): Families {
  const out = new Map<string, MetricFamily>();
  for (const f of parseFamilies(Buffer.from(text), "prometheus-text")) out.set(f.name, f);
  return out;
}

function seriesOf(f: MetricFamily): Map<string, number> {
  return new Map(f.samples.map((s) => [`${s.name}${s.labels.toString()}`, s.value]));
}

/** Node-exporter families of the reference (process, Go and promhttp metrics are the runtime's own). */
function comparable(name: string): boolean {
  return name.startsWith("node_") && name !== "node_exporter_build_info";
}

interface Comparison {
  readonly missing: string[];
  readonly problems: string[];
}

/** Checks every reference family against Vigil's; `sameValue` decides which values must match. */
function compare(
  ref: Families,
  vigil: Families,
  sameValue: (family: string, series: string) => boolean,
): Comparison {
  const missing: string[] = [];
  const problems: string[] = [];
  for (const [name, r] of ref) {
    if (!comparable(name)) continue;
    const v = vigil.get(name);
    if (v === undefined) {
      missing.push(name);
      continue;
    }
    if (r.help !== v.help)
      problems.push(`${name}: help ${JSON.stringify(v.help)}, want ${JSON.stringify(r.help)}`);
    if (r.type !== v.type) problems.push(`${name}: type ${v.type}, want ${r.type}`);
    const vs = seriesOf(v);
    for (const [series, value] of seriesOf(r)) {
      if (!vs.has(series)) problems.push(`missing series ${series}`);
      else if (
        sameValue(name, series) &&
        !Object.is(vs.get(series), value) &&
        !(Number.isNaN(value) && Number.isNaN(vs.get(series)))
      ) {
        problems.push(`${series}: ${vs.get(series)}, want ${value}`);
      }
    }
  }
  return { missing, problems };
}

async function scrapeBoth(t: TestContext, args: readonly string[]): Promise<[Families, Families]> {
  const procs: ExporterProcess[] = [];
  t.after(() => Promise.all(procs.map((p) => p.stop())));
  procs.push(await startReference(args), await startVigil(args));
  const [ref, vigil] = await Promise.all(procs.map((p) => scrape(p.url)));
  return [parse(ref!), parse(vigil!)];
}

function report(t: TestContext, result: Comparison): void {
  t.diagnostic(`families still missing: ${result.missing.length === 0 ? "none" : result.missing.join(", ")}`);
  assert.deepEqual(result.missing, [], "families the reference exposes and Vigil does not");
  assert.deepEqual(result.problems, []);
}

const selected = [
  "--collector.disable-defaults",
  ...DIFF_COLLECTORS.map((c) => `--collector.${c}`),
  "--log.level=warn",
];

describe("differential against the reference node_exporter", {
  skip: !referenceAvailable() && "no reference binary",
}, () => {
  it("on the captured tree: same families, labels and values", { timeout: 60_000 }, async (t) => {
    // The reference's netlink readers would look at this machine, not the tree.
    const args = [
      ...selected,
      ...FIXTURE_FLAGS,
      "--no-collector.netdev.netlink",
      "--no-collector.arp.netlink",
    ];
    const [ref, vigil] = await scrapeBoth(t, args);
    assert.ok(ref.size > 100, `the reference exposed only ${ref.size} families`);
    // timex reads the live kernel's clock discipline, not the tree: its values may move between the scrapes.
    const result = compare(ref, vigil, (family) => !MOVING.test(family) && !family.startsWith("node_timex_"));
    report(t, result);
  });

  it("on this machine: same families and labels, equal values for what does not move", {
    timeout: 60_000,
  }, async (t) => {
    const textfiles = mkdtempSync(join(tmpdir(), "vigil-node-diff-"));
    t.after(() => rmSync(textfiles, { recursive: true, force: true }));
    const [ref, vigil] = await scrapeBoth(t, [...selected, `--collector.textfile.directory=${textfiles}`]);
    const steady =
      /^node_(memory_(MemTotal|SwapTotal|Hugepagesize)_bytes|filesystem_(size_bytes|files|readonly|device_error|mount_info)|uname_info|os_(info|version)|boot_time_seconds|entropy_pool_size_bits|filefd_maximum|network_(mtu_bytes|info|iface_id|address_assign_type|protocol_type|speed_bytes|flags)|nf_conntrack_entries_limit|disk_info|time_zone_offset_seconds|time_clocksource_.*|cpu_(frequency|scaling_frequency).*|scrape_collector_success)$/;
    const result = compare(ref, vigil, (family) => steady.test(family));
    const cpus = (f: Families) =>
      new Set(f.get("node_cpu_seconds_total")?.samples.map((s) => s.labels.get("cpu"))).size;
    assert.equal(cpus(vigil), cpus(ref), "CPU count");
    report(t, result);
  });
});
