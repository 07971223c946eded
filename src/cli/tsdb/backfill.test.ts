import assert from "node:assert/strict";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { backfillOpenMetrics, compatibleBlockDuration } from "./backfill.ts";
import { dumpSamples } from "./dump.ts";
import {
  dumpLines,
  generateOpenMetrics,
  PROMTOOL,
  promtool,
  type RunResult,
  tempDir,
  vigil,
} from "./testing.ts";

const HOUR = 3_600_000;
const tmp = tempDir();
after(() => tmp.cleanup());
let seq = 0;

function writeInput(text: string): string {
  const path = join(tmp.dir, `in-${++seq}.om`);
  writeFileSync(path, text);
  return path;
}

/** Every sample of a directory's blocks, as `tsdb dump` prints them. */
function dumpOf(dir: string): string {
  let out = "";
  dumpSamples(
    dir,
    { mint: -(2 ** 63), maxt: 2 ** 63, match: ["{__name__=~'(?s:.*)'}"], format: "promtool" },
    (s) => {
      out += s;
    },
  );
  return out;
}

/** The block table without what differs between two writers (ULID, chunk count, size). */
function tableShape(text: string): string[][] {
  if (text === "") return [];
  return text
    .trimEnd()
    .split("\n")
    .map((l) => {
      const c = l.split(/ {2,}/);
      return [c[1]!, c[2]!, c[3]!, c[4]!, c[6]!];
    });
}

interface Both {
  p: RunResult;
  v: RunResult;
  pdir: string;
  vdir: string;
}

/** `create-blocks-from openmetrics` by promtool and by Vigil on the same input. */
async function backfillBoth(text: string, ...flags: string[]): Promise<Both> {
  const input = writeInput(text);
  const pdir = join(tmp.dir, `p-${seq}`);
  const vdir = join(tmp.dir, `v-${seq}`);
  const p = promtool("tsdb", "create-blocks-from", "openmetrics", ...flags, input, pdir);
  const v = await vigil("tsdb", "create-blocks-from", "openmetrics", ...flags, input, vdir);
  return { p, v, pdir, vdir };
}

/** How many 2h block ranges the samples fall in. */
function rangesOf(samples: readonly { t: number }[]): number {
  return new Set(samples.map((x) => Math.floor(x.t / (2 * HOUR)))).size;
}

/** A light input over many hours: three series, one sample a minute; and its dump. */
function sparseInput(hours: number): { text: string; dump: string } {
  let text = "";
  let dump = "";
  const start = 1_700_000_000_000;
  for (const name of ["a", "b", "c"]) {
    for (let t = start, i = 0; t < start + hours * HOUR; t += 60_000, i++) {
      text += `${name}{i="x"} ${i} ${t / 1000}\n`;
      dump += `{__name__="${name}", i="x"} ${i} ${t}\n`;
    }
  }
  return { text: `${text}# EOF\n`, dump };
}

/** Vigil's message without the line it names, which promtool does not. */
function withoutPosition(message: string): string {
  return message.replace(/^vigil tsdb: error: /, "").replace(/(?:\d+:\d+|line \d+): /, "");
}

describe("create-blocks-from openmetrics: malformed input", () => {
  // Input, and the line Vigil's message must name.
  const cases: [string, string, string][] = [
    ["no # EOF", "a 1 1\n", "2:1"],
    ["no timestamp", "a 1 1\nb 1\n# EOF\n", "line 2"],
    ["bad label value", '# TYPE a counter\na_total 1 2\nb{c="d} 1 2\n# EOF\n', "3:5"],
    ["bad value", "a 1 2\nfoo bar\n# EOF\n", "2:5"],
    ["data after # EOF", "a 1 2\n# EOF\n\n", "3:1"],
    ["bad comment", "a 1 2\n#EOF\n", "2:1"],
    ["duplicate label name", 'a 1 1\na{b="1",b="2"} 1 1\n# EOF\n', "line 2"],
    [
      "out of order across commits",
      `${Array.from({ length: 5001 }, (_, i) => `a ${i} ${i + 1}`).join("\n")}\na 7 3\n# EOF\n`,
      "line 5002",
    ],
    [
      "duplicate timestamp across commits",
      `${Array.from({ length: 5000 }, (_, i) => `a ${i} ${i + 1}`).join("\n")}\na 9 5000\n# EOF\n`,
      "line 5001",
    ],
  ];
  for (const [what, text, line] of cases) {
    it(`${what}: exit 1, promtool's message, naming ${line}`, async (t) => {
      if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
      const { p, v } = await backfillBoth(text);
      assert.equal(p.code, 1);
      assert.equal(v.code, 1);
      assert.equal(v.stdout, p.stdout);
      assert.equal(withoutPosition(v.stderr).trim(), p.stderr.trim());
      assert.ok(v.stderr.includes(`${line}: `), v.stderr);
    });
  }

  it("an empty file has no # EOF (promtool fails to mmap it)", async () => {
    const r = await vigil(
      "tsdb",
      "create-blocks-from",
      "openmetrics",
      writeInput(""),
      join(tmp.dir, "empty-out"),
    );
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "vigil tsdb: error: getting min and max timestamp: next: 1:1: data does not end with # EOF\n",
    );
  });

  it("a missing input file", async () => {
    const r = await vigil("tsdb", "create-blocks-from", "openmetrics", join(tmp.dir, "nope.om"), tmp.dir);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `vigil tsdb: error: stat ${join(tmp.dir, "nope.om")}: no such file or directory\n`,
    );
  });

  it("names the right line whatever the segment size", () => {
    const gen = generateOpenMetrics(3, 1_700_000_000_000, 1);
    const lines = gen.text.split("\n");
    lines[1234] = 'broken{a="1" 1 2';
    const input = writeInput(lines.join("\n"));
    for (const segmentBytes of [1, 100, 4096, 1 << 20]) {
      assert.throws(
        () =>
          backfillOpenMetrics({
            input,
            outputDir: join(tmp.dir, `seg-err-${segmentBytes}`),
            maxBlockDuration: 0,
            humanReadable: false,
            quiet: true,
            labels: new Map(),
            out: () => {},
            segmentBytes,
          }),
        { message: /^getting min and max timestamp: next: 1235:13: expected comma or brace close/ },
        `segments of ${segmentBytes} bytes`,
      );
    }
  });
});

describe("create-blocks-from openmetrics: what promtool accepts", () => {
  const cases: [string, string, string[]][] = [
    ["an older sample within one commit is dropped", "a 1 2\na 2 1\na 3 3\n# EOF\n", []],
    ["a repeated timestamp within one commit keeps the first", "a 1 2\na 2 2\na 3 1\na 4 3\n# EOF\n", []],
    ["negative timestamps before the aligned start are skipped", "a 1 -7300\na 2 -2\nb 1 5\n# EOF\n", []],
    ["only negative timestamps write nothing", "a 1 -2\n# EOF\n", []],
    ["no samples write nothing", "# TYPE a gauge\n# EOF\n", []],
    ["fractional timestamps truncate to ms", "a 1 1.0005\na 2 1.9999\na 3 1700000000.123\n# EOF\n", []],
    ["ranges far apart", "a 1 1\na 2 100000000\nb 3 50000\n# EOF\n", []],
    ["quoted names, raw newline included", '{"a\nb",x="1"} 1 1\n{"c.d"} 2 2\n# EOF\n', []],
    [
      "exemplars and created series",
      '# TYPE f counter\nf_total 1 1 # {t="x"} 1 1\nf_created 0 1\n# EOF\n',
      [],
    ],
    [
      "custom labels: set, override, delete",
      'a{x="old",y="1"} 1 1\nb 2 2\n# EOF\n',
      ["--label=x=new", "--label", "z=1=2", "--label=y="],
    ],
    ["custom label overriding the name", "a 1 1\nb 2 2\n# EOF\n", ["--label=__name__=q"]],
    ["human readable", "a 1 1\na 2 8000\n# EOF\n", ["-r"]],
    ["quiet", "a 1 1\na 2 8000\n# EOF\n", ["-q"]],
  ];
  for (const [what, text, flags] of cases) {
    it(what, async (t) => {
      if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
      const { p, v, pdir, vdir } = await backfillBoth(text, ...flags);
      assert.equal(p.code, 0, p.stderr);
      assert.equal(v.code, 0, v.stderr);
      assert.equal(v.stderr, "");
      assert.deepEqual(tableShape(v.stdout), tableShape(p.stdout));
      mkdirSync(join(pdir, "wal"));
      const pd = promtool("tsdb", "dump", pdir);
      assert.equal(pd.code, 0, pd.stderr);
      assert.equal(dumpOf(vdir), pd.stdout);
    });
  }

  const durations: [string, number][] = [
    ["0s", 2 * HOUR],
    ["1h", 2 * HOUR],
    ["5h", 2 * HOUR],
    ["6h", 6 * HOUR],
    ["7h", 6 * HOUR],
    ["18h", 18 * HOUR],
    ["1000h", 486 * HOUR],
    ["1000000h", 39366 * HOUR],
  ];
  for (const [flag, want] of durations) {
    it(`--max-block-duration=${flag} makes ${want / HOUR}h blocks, as promtool`, async (t) => {
      assert.equal(compatibleBlockDuration(Number.parseInt(flag, 10) * HOUR), want);
      if (PROMTOOL === undefined) return t.skip("promtool is not installed in .reference/bin");
      if (flag === "1000000h") return;
      const input = sparseInput(40);
      const { p, v, vdir } = await backfillBoth(input.text, `--max-block-duration=${flag}`);
      assert.equal(p.code, 0, p.stderr);
      assert.equal(v.code, 0, v.stderr);
      assert.deepEqual(tableShape(v.stdout), tableShape(p.stdout));
      assert.equal(readdirSync(vdir).length, Math.ceil((40 * HOUR + (1_700_000_000_000 % want)) / want));
      assert.equal(dumpOf(vdir), input.dump);
    });
  }
});

describe("create-blocks-from openmetrics: reading in segments", () => {
  it("gives the same blocks whatever the segment size", () => {
    const gen = generateOpenMetrics(4, 1_700_000_123_000, 7);
    const input = writeInput(gen.text);
    const want = dumpLines(gen.samples);
    for (const segmentBytes of [1, 37, 1000, 65536, 1 << 24]) {
      const dir = join(tmp.dir, `segments-${segmentBytes}`);
      let table = "";
      backfillOpenMetrics({
        input,
        outputDir: dir,
        maxBlockDuration: 0,
        humanReadable: false,
        quiet: false,
        labels: new Map(),
        out: (s) => {
          table += s;
        },
        segmentBytes,
      });
      assert.equal(dumpOf(dir), want, `segments of ${segmentBytes} bytes`);
      assert.equal(
        table.trimEnd().split("\n").length,
        1 + rangesOf(gen.samples),
        "a header and a row per 2h range",
      );
    }
  });

  it("reports progress on large inputs, not on small ones or when quiet", () => {
    const gen = generateOpenMetrics(5, 1_700_000_000_000, 3);
    const input = writeInput(gen.text);
    const run = (progressEvery: number | undefined, quiet: boolean): string => {
      let progress = "";
      backfillOpenMetrics({
        input,
        outputDir: join(tmp.dir, `progress-${++seq}`),
        maxBlockDuration: 0,
        humanReadable: false,
        quiet,
        labels: new Map(),
        out: () => {},
        progress: (s) => {
          progress += s;
        },
        progressEvery,
      });
      return progress;
    };
    const lines = run(256 * 1024, false)
      .trimEnd()
      .split("\n");
    const scans = lines.filter((l) => l.startsWith("Scanned "));
    assert.ok(scans.length >= 4, lines.join("\n"));
    assert.match(scans.at(-1)!, /^Scanned (\d+\.\d) MiB of \1 MiB \(100%\)$/);
    const ranges = rangesOf(gen.samples);
    assert.ok(ranges >= 2);
    assert.deepEqual(
      lines.filter((l) => l.startsWith("Block range ")).map((l) => l.replace(/ \(.*/, "")),
      Array.from({ length: ranges }, (_, i) => `Block range ${i + 1} of ${ranges}`),
    );
    assert.equal(run(undefined, false), "", "below 64 MiB");
    assert.equal(run(1024, true), "", "quiet");
  });
});
