/**
 * Reads a PromQL test script into commands (`load`, `load_with_nhcb`,
 * `clear`, `eval…`), with the meaning upstream's promqltest gives them:
 * lines are trimmed, a `#` line counts as blank, a command's body runs to the
 * next blank line. Malformed scripts throw a ScriptError naming file:line.
 * Queries are kept as text here; the runner parses them.
 */
import { RE2JS } from "re2js";
import type { Labels } from "../../model/labels/labels.ts";
import { parseDuration } from "../parser/index.ts";
import { parseGoNumber } from "../strconv.ts";
import { OMITTED, parseSeriesDesc, type SequenceValues } from "./series.ts";

export class ScriptError extends Error {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "ScriptError";
    this.file = file;
    this.line = line;
  }
}

/** Series of a `load` body, in file order; a repeated series keeps its last definition. */
export interface LoadCmd {
  kind: "load";
  line: number;
  stepMs: number;
  withNHCB: boolean;
  series: LoadSeries[];
}

export interface LoadSeries {
  labels: Labels;
  values: SequenceValues;
  line: number;
}

export interface ClearCmd {
  kind: "clear";
  line: number;
}

/** An expected message: exact text or an RE2 pattern searched anywhere in the text. */
export type Expectation = { message: string } | { pattern: string; regex: RE2JS };

export function expectationMatches(e: Expectation, text: string): boolean {
  return "message" in e ? e.message === text : e.regex.matcher(text).find();
}

export function describeExpectation(e: Expectation): string {
  return "message" in e ? `message ${JSON.stringify(e.message)}` : `pattern ${JSON.stringify(e.pattern)}`;
}

/** An expected result series; `pos` is its 1-based position among the series lines. */
export interface ExpectedSeries {
  labels: Labels;
  values: SequenceValues;
  pos: number;
  line: number;
}

export interface EvalCmd {
  kind: "eval";
  line: number;
  expr: string;
  range: boolean;
  /** Instant: the evaluation time. Range: the first step. Ms since the epoch. */
  start: number;
  /** Range only (instant: equals start). */
  end: number;
  /** Range only (instant: 0). */
  step: number;
  /** Legacy header modifiers (`eval_fail`, `eval_warn`, `eval_info`, `eval_ordered`). */
  legacyFail: boolean;
  legacyWarn: boolean;
  legacyInfo: boolean;
  legacyOrdered: boolean;
  /** `expected_fail_message` / `expected_fail_regexp` (after `eval_fail` only). */
  expectedFailMessage: string;
  expectedFailRegexp: Expectation | null;
  /** `expect` lines, by kind. */
  expectFail: Expectation[];
  expectWarn: Expectation[];
  expectInfo: Expectation[];
  expectNoWarn: boolean;
  expectNoInfo: boolean;
  expectOrdered: boolean;
  /** A bare number line: the result must be this scalar. */
  expectScalar: boolean;
  scalar: number;
  /** Expected series by label-set key (see `labelsKey`). */
  expected: Map<string, ExpectedSeries>;
  /** Whether any expected value is a histogram literal. */
  expectsHistograms: boolean;
}

export function isFail(ev: EvalCmd): boolean {
  return ev.legacyFail || ev.expectFail.length > 0;
}

export function isOrdered(ev: EvalCmd): boolean {
  return ev.legacyOrdered || ev.expectOrdered;
}

export type Command = LoadCmd | ClearCmd | EvalCmd;

/** A key identifying a label set exactly (hashes can collide). */
export function labelsKey(l: Labels): string {
  return JSON.stringify(l.flat());
}

const PAT_SPACE = /[\t ]+/;
const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;

/** Trimmed lines with comment lines blanked, as upstream's runner sees them. */
export function scriptLines(text: string): string[] {
  return text.split("\n").map((l) => {
    const t = l.trim();
    return t.startsWith("#") ? "" : t;
  });
}

/** Parses a whole script. `file` names it in error messages. */
export function parseScript(text: string, file = "script"): Command[] {
  const lines = scriptLines(text);
  const cmds: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === "") continue;
    const word = l.split(PAT_SPACE, 1)[0]!.toLowerCase();
    if (word === "clear") {
      cmds.push({ kind: "clear", line: i + 1 });
    } else if (word.startsWith("load")) {
      const r = parseLoad(lines, i, file);
      cmds.push(r.cmd);
      i = r.last;
    } else if (word.startsWith("eval")) {
      const r = parseEval(lines, i, file);
      cmds.push(r.cmd);
      i = r.last;
    } else {
      throw new ScriptError(file, i + 1, `invalid command ${JSON.stringify(l)}`);
    }
  }
  return cmds;
}

function duration(file: string, line: number, what: string, s: string): number {
  try {
    return parseDuration(s);
  } catch (e) {
    throw new ScriptError(file, line, `invalid ${what} ${JSON.stringify(s)}: ${(e as Error).message}`);
  }
}

function parseLoad(lines: string[], i: number, file: string): { cmd: LoadCmd; last: number } {
  const m = PAT_LOAD.exec(lines[i]!);
  if (m === null)
    throw new ScriptError(file, i + 1, "invalid load command. (load[_with_nhcb] <step:duration>)");
  const cmd: LoadCmd = {
    kind: "load",
    line: i + 1,
    stepMs: duration(file, i + 1, "step definition", m[2]!),
    withNHCB: m[1] === "with_nhcb",
    series: [],
  };
  const byKey = new Map<string, number>();
  while (i + 1 < lines.length && lines[i + 1] !== "") {
    i++;
    let desc: ReturnType<typeof parseSeriesDesc>;
    try {
      desc = parseSeriesDesc(lines[i]!);
    } catch (e) {
      throw new ScriptError(file, i + 1, (e as Error).message);
    }
    const s: LoadSeries = { labels: desc.labels, values: desc.values, line: i + 1 };
    const key = labelsKey(desc.labels);
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, cmd.series.length);
      cmd.series.push(s);
    } else {
      cmd.series[at] = s;
    }
  }
  return { cmd, last: i };
}

function compileRegex(file: string, line: number, pattern: string): Expectation {
  try {
    return { pattern, regex: RE2JS.compile(pattern) };
  } catch (e) {
    throw new ScriptError(file, line, `invalid regexp ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

function parseEval(lines: string[], i: number, file: string): { cmd: EvalCmd; last: number } {
  const header = lines[i]!;
  const line = i + 1;
  const inst = PAT_EVAL_INSTANT.exec(header);
  const rng = inst === null ? PAT_EVAL_RANGE.exec(header) : null;
  if (inst === null && rng === null) {
    throw new ScriptError(
      file,
      line,
      "invalid evaluation command. Must be either 'eval[_fail|_warn|_info|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn|_info] range from <from> to <to> step <step> <query>'",
    );
  }
  const mod = (inst ?? rng)![1] ?? "";
  const cmd: EvalCmd = {
    kind: "eval",
    line,
    expr: "",
    range: inst === null,
    start: 0,
    end: 0,
    step: 0,
    legacyFail: mod === "fail",
    legacyWarn: mod === "warn",
    legacyInfo: mod === "info",
    legacyOrdered: mod === "ordered",
    expectedFailMessage: "",
    expectedFailRegexp: null,
    expectFail: [],
    expectWarn: [],
    expectInfo: [],
    expectNoWarn: false,
    expectNoInfo: false,
    expectOrdered: false,
    expectScalar: false,
    scalar: 0,
    expected: new Map(),
    expectsHistograms: false,
  };
  if (inst !== null) {
    cmd.expr = inst[3]!;
    cmd.start = cmd.end = duration(file, line, "timestamp definition", inst[2] ?? "");
  } else {
    cmd.expr = rng![5]!;
    cmd.start = duration(file, line, "start timestamp definition", rng![2]!);
    cmd.end = duration(file, line, "end timestamp definition", rng![3]!);
    if (cmd.end < cmd.start) {
      throw new ScriptError(
        file,
        line,
        `invalid test definition, end timestamp (${rng![3]}) is before start timestamp (${rng![2]})`,
      );
    }
    cmd.step = duration(file, line, "step definition", rng![4]!);
  }

  let pos = 1;
  while (i + 1 < lines.length && lines[i + 1] !== "") {
    i++;
    const def = lines[i]!;
    if (cmd.legacyFail && def.startsWith("expected_fail_message")) {
      cmd.expectedFailMessage = def.slice("expected_fail_message".length).trim();
      break;
    }
    if (cmd.legacyFail && def.startsWith("expected_fail_regexp")) {
      cmd.expectedFailRegexp = compileRegex(file, i + 1, def.slice("expected_fail_regexp".length).trim());
      break;
    }
    if (def.split(" ", 1)[0] === "expect") {
      parseExpect(cmd, def, file, i + 1);
      continue;
    }
    const num = parseGoNumber(def);
    if (num !== null) {
      cmd.expectScalar = true;
      cmd.scalar = num;
      cmd.expected.clear();
      break;
    }
    let desc: ReturnType<typeof parseSeriesDesc>;
    try {
      desc = parseSeriesDesc(def);
    } catch (e) {
      throw new ScriptError(file, i + 1, (e as Error).message);
    }
    if (desc.values.length > 1 && !cmd.range) {
      throw new ScriptError(file, i + 1, "expecting multiple values in instant evaluation not allowed");
    }
    if (desc.values.hasHistograms()) cmd.expectsHistograms = true;
    cmd.expectScalar = false;
    cmd.expected.set(labelsKey(desc.labels), { labels: desc.labels, values: desc.values, pos, line: i + 1 });
    pos++;
  }
  return { cmd, last: i };
}

function parseExpect(cmd: EvalCmd, def: string, file: string, line: number): void {
  const m = PAT_EXPECT.exec(def.trim());
  if (m === null) {
    throw new ScriptError(
      file,
      line,
      "invalid expect statement, must match `expect <type> <match_type>: <string>` format",
    );
  }
  const kind = m[1]!;
  let e: Expectation = { pattern: ".*", regex: RE2JS.compile("^.*$") };
  if (m[2] === "msg") e = { message: m[3]!.trim() };
  else if (m[2] === "regex") e = compileRegex(file, line, m[3]!.trim());
  switch (kind) {
    case "fail":
      cmd.expectFail.push(e);
      break;
    case "warn":
      cmd.expectWarn.push(e);
      break;
    case "info":
      cmd.expectInfo.push(e);
      break;
    case "no_warn":
      cmd.expectNoWarn = true;
      break;
    case "no_info":
      cmd.expectNoInfo = true;
      break;
    case "ordered":
      cmd.expectOrdered = true;
      break;
  }
  if (cmd.expectInfo.length > 0 && cmd.expectNoInfo) {
    throw new ScriptError(file, line, "invalid expect lines, info and no_info cannot be used together");
  }
  if (cmd.expectWarn.length > 0 && cmd.expectNoWarn) {
    throw new ScriptError(file, line, "invalid expect lines, warn and no_warn cannot be used together");
  }
  if (cmd.expectFail.length > 1) {
    throw new ScriptError(file, line, "invalid expect lines, multiple expect fail lines are not allowed");
  }
}

/** The value an instant expectation compares against: its first slot (omitted counts as 0, as upstream). */
export function firstValue(v: SequenceValues): { kind: number; value: number } {
  if (v.length === 0) return { kind: OMITTED, value: 0 };
  return { kind: v.kinds[0]!, value: v.kinds[0] === OMITTED ? 0 : v.floats[0]! };
}
