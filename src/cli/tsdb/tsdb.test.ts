/**
 * `vigil tsdb` against promtool 3.5 on the same data: blocks promtool wrote
 * (A) and blocks Vigil wrote (B) from one generated OpenMetrics input, read by
 * both tools.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it, type TestContext } from "node:test";
import {
  dumpLines,
  type GeneratedInput,
  generateOpenMetrics,
  PROMTOOL,
  promtool,
  tempDir,
  vigil,
} from "./testing.ts";

interface Fixture {
  dir: string;
  input: string;
  gen: GeneratedInput;
  /** promtool's blocks and Vigil's blocks of the same input. */
  a: string;
  b: string;
  promtoolCreate: string;
  vigilCreate: string;
}

const tmp = tempDir();
after(() => tmp.cleanup());

let fixture: Promise<Fixture> | undefined;

/** Builds A and B once, for every test that needs them. */
function getFixture(): Promise<Fixture> {
  fixture ??= (async () => {
    const gen = generateOpenMetrics();
    const input = join(tmp.dir, "input.om");
    writeFileSync(input, gen.text);
    const a = join(tmp.dir, "A");
    const b = join(tmp.dir, "B");
    const p = promtool("tsdb", "create-blocks-from", "openmetrics", input, a);
    assert.equal(p.code, 0, p.stderr);
    const v = await vigil("tsdb", "create-blocks-from", "openmetrics", input, b);
    assert.equal(v.code, 0, v.stderr);
    // promtool's dump needs a WAL directory, even an empty one.
    mkdirSync(join(a, "wal"));
    mkdirSync(join(b, "wal"));
    return { dir: tmp.dir, input, gen, a, b, promtoolCreate: p.stdout, vigilCreate: v.stdout };
  })();
  return fixture;
}

async function withPromtool(t: TestContext): Promise<Fixture | undefined> {
  if (PROMTOOL === undefined) {
    t.skip("promtool is not installed in .reference/bin");
    return undefined;
  }
  return getFixture();
}

/** Both tools' stdout for the same `tsdb` arguments; both must succeed. */
async function both(...args: string[]): Promise<{ p: string; v: string }> {
  const p = promtool("tsdb", ...args);
  assert.equal(p.code, 0, `promtool ${args.join(" ")}: ${p.stderr}`);
  const v = await vigil("tsdb", ...args);
  assert.equal(v.code, 0, `vigil ${args.join(" ")}: ${v.stderr}`);
  assert.equal(v.stderr, "");
  return { p: p.stdout, v: v.stdout };
}

/** The cells of the block table's rows, split on the column gaps. */
function tableRows(text: string): string[][] {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => l.split(/ {2,}/));
}

describe("vigil tsdb create-blocks-from openmetrics, against promtool", () => {
  it("writes blocks over the same ranges with the same samples and series", async (t) => {
    const f = await withPromtool(t);
    if (f === undefined) return;
    const p = tableRows(f.promtoolCreate);
    const v = tableRows(f.vigilCreate);
    assert.deepEqual(v[0], p[0], "header");
    assert.equal(v.length, p.length);
    assert.ok(p.length >= 3, "the input spans several 2h ranges");
    for (let i = 1; i < p.length; i++) {
      // ULID, MIN TIME, MAX TIME, DURATION, NUM SAMPLES, NUM CHUNKS, NUM SERIES, SIZE.
      const [, ...pv] = p[i]!;
      const [ulid, ...vv] = v[i]!;
      assert.match(ulid!, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
      assert.deepEqual([vv[0], vv[1], vv[2], vv[3], vv[5]], [pv[0], pv[1], pv[2], pv[3], pv[5]], `row ${i}`);
    }
  });

  it("records each block as its own source, at level 1", async (t) => {
    const f = await withPromtool(t);
    if (f === undefined) return;
    const ids = readdirSync(f.b).filter((n) => n !== "wal");
    assert.ok(ids.length >= 3);
    for (const id of ids) {
      const meta = JSON.parse(readFileSync(join(f.b, id, "meta.json"), "utf8"));
      assert.equal(meta.ulid, id);
      assert.deepEqual(meta.compaction, { level: 1, sources: [id] });
    }
  });
});

describe("vigil tsdb dump, against promtool", () => {
  it("prints what promtool prints, for promtool's and Vigil's blocks, and that is the input", async (t) => {
    const f = await withPromtool(t);
    if (f === undefined) return;
    const a = await both("dump", f.a);
    const b = await both("dump", f.b);
    assert.equal(a.v, a.p, "vigil dump A = promtool dump A");
    assert.equal(b.p, a.p, "promtool dump B = promtool dump A");
    assert.equal(b.v, a.p, "vigil dump B = promtool dump A");
    assert.equal(a.p, dumpLines(f.gen.samples), "the generated samples, exactly");
    assert.equal(a.p.split("\n").length - 1, f.gen.samples.length);
  });

  const variants: string[][] = [
    ["--min-time=1700003600000", "--max-time=1700010000123"],
    ["--min-time", "1700006390124", "--max-time", "1700006405000"],
    ["--match=temperature_celsius"],
    ['--match=http_requests_total{code="200"}', '--match={method="GET"}', '--match={quantile=~"0.9.*"}'],
    ['--match={room=~".*ünï.*"}', "--min-time=1700010000000"],
    ["--match={__name__=~'request_duration.*', le!='+Inf'}", "--max-time=1700001000000"],
    ["--match={}"],
    [`--sandbox-dir-root=${tmp.dir}`, "--match=rpc_seconds"],
    ['--match={nothing="here"}'],
  ];
  for (const args of variants) {
    it(`dump ${args.join(" ")}`, async (t) => {
      const f = await withPromtool(t);
      if (f === undefined) return;
      for (const dir of [f.a, f.b]) {
        const { p, v } = await both("dump", ...args, dir);
        assert.equal(v, p);
      }
    });
  }

  it("dump-openmetrics prints what promtool prints", async (t) => {
    const f = await withPromtool(t);
    if (f === undefined) return;
    for (const args of [[], ["--match=rpc_seconds", "--max-time=1700003600000"]]) {
      const a = await both("dump-openmetrics", ...args, f.a);
      assert.equal(a.v, a.p);
      assert.match(a.v, /\n# EOF\n$/);
      const b = await both("dump-openmetrics", ...args, f.b);
      assert.equal(b.v, a.p);
    }
  });
});

describe("vigil tsdb list, against promtool", () => {
  it("prints promtool's table, plain and human readable", async (t) => {
    const f = await withPromtool(t);
    if (f === undefined) return;
    for (const dir of [f.a, f.b]) {
      for (const flags of [[], ["-r"], ["--human-readable"]]) {
        const { p, v } = await both("list", ...flags, dir);
        assert.equal(v, p, `list ${flags.join(" ")} ${dir}`);
      }
    }
  });
});

/** An analyze report: lines outside lists, and each list as [n, key] pairs. */
interface Report {
  plain: string[];
  lists: Map<string, [number, string][]>;
}

function parseReport(text: string): Report {
  const plain: string[] = [];
  const lists = new Map<string, [number, string][]>();
  let list: [number, string][] | undefined;
  let compaction = false;
  for (const line of text.split("\n")) {
    if (line === "Compaction analysis:") compaction = true;
    if (!compaction && line.endsWith(":") && !line.includes(": ")) {
      list = [];
      lists.set(line, list);
      continue;
    }
    if (list !== undefined && line !== "") {
      const m = /^(\d+) (.*)$/s.exec(line);
      // Keys are printed raw: a label value's newline continues the previous entry.
      if (m === null) list[list.length - 1]![1] += `\n${line}`;
      else list.push([Number(m[1]), m[2]!]);
      continue;
    }
    list = undefined;
    plain.push(line);
  }
  return { plain, lists };
}

/**
 * Equal reports, up to the order of entries with equal numbers (promtool's
 * is random). Where a list is cut at `limit` inside a run of equal numbers,
 * that run's keys may differ.
 */
function assertSameReport(v: string, p: string, limit: number): void {
  const rv = parseReport(v);
  const rp = parseReport(p);
  assert.deepEqual(rv.plain, rp.plain);
  assert.deepEqual([...rv.lists.keys()], [...rp.lists.keys()]);
  for (const [title, lp] of rp.lists) {
    const lv = rv.lists.get(title)!;
    assert.deepEqual(
      lv.map(([n]) => n),
      lp.map(([n]) => n),
      title,
    );
    const cut = lp.length >= limit ? lp[lp.length - 1]?.[0] : undefined;
    const keys = (l: [number, string][], n: number): string[] =>
      l
        .filter(([m]) => m === n)
        .map(([, k]) => k)
        .sort();
    for (const n of new Set(lp.map(([m]) => m))) {
      if (n !== cut) assert.deepEqual(keys(lv, n), keys(lp, n), `${title} ${n}`);
    }
  }
}

describe("vigil tsdb analyze, against promtool", () => {
  const variants: [string[], number][] = [
    [[], 20],
    [["--limit=1000"], 1000],
    [["--extended", "--limit=1000"], 1000],
    [["--limit", "3"], 3],
    [['--match={code="200"}', "--limit=1000", "--extended"], 1000],
    [["--match=temperature_celsius", "--limit=1000"], 1000],
  ];
  for (const [args, limit] of variants) {
    it(`analyze ${args.join(" ")} reports promtool's numbers`, async (t) => {
      const f = await withPromtool(t);
      if (f === undefined) return;
      for (const dir of [f.a, f.b]) {
        const { p, v } = await both("analyze", ...args, dir);
        assertSameReport(v, p, limit);
        assert.match(v, /^Block ID: [0-9A-Z]{26}\nDuration: \S+\nTotal Series: \d+\n/);
      }
    });
  }

  it("analyzes the block named, every one of them", async (t) => {
    const f = await withPromtool(t);
    if (f === undefined) return;
    const ids = readdirSync(f.a).filter((n) => n !== "wal");
    for (const id of ids) {
      const { p, v } = await both("analyze", "--extended", "--limit=1000", f.a, id);
      assert.ok(v.startsWith(`Block ID: ${id}\n`));
      assertSameReport(v, p, 1000);
    }
  });

  it("fails as promtool fails on a missing database, block or blocks", async (t) => {
    const f = await withPromtool(t);
    if (f === undefined) return;
    const empty = join(f.dir, "empty");
    mkdirSync(empty, { recursive: true });
    const cases: string[][] = [
      ["analyze", join(f.dir, "nonexistent")],
      ["analyze", f.a, "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      ["analyze", empty],
      ["list", join(f.dir, "nonexistent")],
      ["dump", join(f.dir, "nonexistent")],
    ];
    for (const args of cases) {
      const p = promtool("tsdb", ...args);
      const v = await vigil("tsdb", ...args);
      assert.equal(p.code, 1, args.join(" "));
      assert.equal(v.code, 1, args.join(" "));
      assert.equal(v.stderr, `vigil tsdb: error: ${p.stderr.trim()}\n`);
      assert.equal(v.stdout, "");
    }
  });
});

describe("vigil tsdb command line", () => {
  const usage: [string[], RegExp][] = [
    [[], /must select a subcommand of 'tsdb'/],
    [["frobnicate"], /expected command but got "frobnicate"/],
    [["create-blocks-from"], /must select a subcommand of 'tsdb create-blocks-from'/],
    [["create-blocks-from", "openmetrics"], /required argument 'input file' not provided/],
    [["list", "a", "b"], /unexpected b/],
    [["list", "--frob"], /unknown long flag '--frob'/],
    [["list", "-x"], /unknown short flag '-x'/],
    [["analyze", "--limit=x"], /strconv\.ParseFloat: parsing "x": invalid syntax/],
    [["analyze", "--limit"], /expected argument for flag '--limit'/],
    [["dump", "--min-time=abc"], /strconv\.ParseInt: parsing "abc": invalid syntax/],
    [["dump", "--max-time=9223372036854775808"], /value out of range/],
    [["dump", "--match={a=", "."], /1:4: parse error: unexpected end of input inside braces/],
    [["create-blocks-from", "openmetrics", "--max-block-duration=abc", "x"], /time: invalid duration "abc"/],
    [["create-blocks-from", "openmetrics", "--label=xy", "x"], /expected KEY=VALUE got 'xy'/],
    [["create-blocks-from", "openmetrics", "--label==y", "x"], /empty label name/],
  ];
  for (const [args, message] of usage) {
    it(`tsdb ${args.join(" ")} is a usage error (exit 2)`, async () => {
      const r = await vigil("tsdb", ...args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^vigil tsdb: error: .*, try --help\n$/);
      assert.match(r.stderr, message);
    });
  }

  it("refuses the sub-commands it does not have with exit 1", async () => {
    const r = await vigil("tsdb", "create-blocks-from", "rules", "--start=1", "x.yml");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /create-blocks-from rules needs PromQL/);
  });

  it("tsdb --help lists the sub-commands and their flags", async () => {
    const r = await vigil("tsdb", "--help");
    assert.equal(r.code, 0);
    for (const want of [
      /tsdb list \[<flags>\] \[<db path>\]/,
      /tsdb analyze \[<flags>\] \[<db path>\] \[<block id>\]/,
      /--limit=20/,
      /--match=\{__name__=~'\(\?s:\.\*\)'\} \.\.\./,
      /tsdb create-blocks-from openmetrics \[<flags>\] <input file> \[<output directory>\]/,
      /-q, --\[no-\]quiet/,
    ]) {
      assert.match(r.stdout, want);
    }
    assert.doesNotMatch(r.stdout, /max-block-duration/, "hidden, as upstream");
  });

  it("accepts kingpin's flag spellings", async () => {
    const dir = join(tmp.dir, "flags");
    mkdirSync(dir, { recursive: true });
    for (const args of [
      ["list", "--no-human-readable", dir],
      ["list", "--human-readable=false", dir],
      ["list", dir, "-r"],
      ["list", "--", dir],
    ]) {
      const r = await vigil("tsdb", ...args);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stdout, /^BLOCK ULID {3}MIN TIME/);
    }
  });
});
