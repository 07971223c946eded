/**
 * `vigil tsdb create-blocks-from openmetrics`: OpenMetrics text with
 * timestamps into TSDB blocks, one per aligned block range, as promtool's
 * backfill does.
 *
 * Memory stays bounded by one block range's samples, whatever the input
 * size: a first pass reads the file in segments of whole lines, checks the
 * syntax and notes each segment's time span; then, for each range, only the
 * segments overlapping it are read again and parsed (promtool re-parses the
 * whole input per range), their samples appended to an in-memory head that
 * is written out as a block.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { newParser } from "../../exposition/newparser.ts";
import { Entry, ParseError, type Parser } from "../../exposition/parser.ts";
import type { MetricType } from "../../exposition/types.ts";
import { type Labels, LabelsBuilder } from "../../model/labels/labels.ts";
import { StorageError } from "../../storage/errors.ts";
import type { Appender } from "../../storage/interface.ts";
import { writeBlock } from "../../tsdb/compact.ts";
import { dirSize } from "../../tsdb/db.ts";
import { Head, sameBits } from "../../tsdb/head/head.ts";
import { RangeHead } from "../../tsdb/head/reader.ts";
import { ulid } from "../../tsdb/ulid.ts";
import { describeFsError, formatDuration, formatGoFloat } from "./format.ts";
import { formatBlocks } from "./list.ts";

const HOUR = 3600 * 1000;
/** Upstream's default (and smallest) block range. */
export const DEFAULT_BLOCK_DURATION = 2 * HOUR;
/** Samples per appender commit, as promtool. */
const SAMPLES_PER_COMMIT = 5000;
/** Target size of a segment of the input; a segment always ends at a newline. */
const SEGMENT_BYTES = 64 * 1024;
/** Inputs at least this large report progress. */
const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

export interface BackfillOptions {
  readonly input: string;
  readonly outputDir: string;
  /** `--max-block-duration`, ms; ranges shorter than 2h are ignored (0: default). */
  readonly maxBlockDuration: number;
  readonly humanReadable: boolean;
  readonly quiet: boolean;
  /** `--label name=value` pairs, set on every series (an empty value removes the label). */
  readonly labels: ReadonlyMap<string, string>;
  /** Receives the block table (stdout). */
  readonly out: (text: string) => void;
  /** Receives progress lines (stderr). */
  readonly progress?: (text: string) => void;
  /** Report progress every this many bytes read (default 64 MiB, for inputs of at least that size). */
  readonly progressEvery?: number;
  /** Segment size, for tests. */
  readonly segmentBytes?: number;
}

/** What is known of one segment of the input after the first pass. */
interface Segment {
  /** Byte offset and length in the file. */
  start: number;
  length: number;
  /** 1-based line number of its first line. */
  line: number;
  /** The metric type in force where it starts (it decides how `le`/`quantile` read). */
  type: MetricType;
  /** Oldest and newest sample timestamps in it (Infinity/-Infinity without samples). */
  minT: number;
  maxT: number;
}

/** The block range promtool uses for `--max-block-duration`: the largest of 2h·3^i (i < 10) not above it. */
export function compatibleBlockDuration(maxBlockDuration: number): number {
  if (maxBlockDuration <= DEFAULT_BLOCK_DURATION) return DEFAULT_BLOCK_DURATION;
  let d = DEFAULT_BLOCK_DURATION;
  for (let i = 1; i < 10; i++) {
    const next = d * 3;
    if (next > maxBlockDuration) break;
    d = next;
  }
  return d;
}

/** Runs the backfill; throws an Error whose message is what promtool prints. */
export function backfillOpenMetrics(opts: BackfillOptions): void {
  try {
    statSync(opts.input);
  } catch (e) {
    throw new Error(describeFsError(e, "stat", opts.input));
  }
  try {
    mkdirSync(opts.outputDir, { recursive: true });
  } catch (e) {
    throw new Error(`create output dir: ${describeFsError(e, "mkdir", opts.outputDir)}`);
  }
  let fd: number;
  try {
    fd = openSync(opts.input, "r");
  } catch (e) {
    throw new Error(describeFsError(e, "open", opts.input));
  }
  try {
    const input = new Input(fd, opts.input, fstatSync(fd).size);
    const progress = makeProgress(opts, input.size);
    let scan: { segments: Segment[]; minT: number; maxT: number };
    try {
      scan = scanInput(input, opts.segmentBytes ?? SEGMENT_BYTES, progress);
    } catch (e) {
      throw new Error(`getting min and max timestamp: ${(e as Error).message}`, { cause: e });
    }
    try {
      createBlocks(input, scan, opts, progress);
    } catch (e) {
      throw new Error(`block creation: ${(e as Error).message}`, { cause: e });
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads byte ranges of the input file. */
class Input {
  readonly fd: number;
  readonly path: string;
  readonly size: number;
  constructor(fd: number, path: string, size: number) {
    this.fd = fd;
    this.path = path;
    this.size = size;
  }

  /** Reads `[pos, pos + length)` into `buf` at `at`; returns the bytes read (short at the end). */
  read(buf: Uint8Array, at: number, length: number, pos: number): number {
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(this.fd, buf, at + done, length - done, pos + done);
      } catch (e) {
        throw new Error(describeFsError(e, "read", this.path));
      }
      if (n === 0) break;
      done += n;
    }
    return done;
  }
}

type Progress = (phase: "scan" | "range", bytes: number, detail?: string) => void;

function makeProgress(opts: BackfillOptions, total: number): Progress {
  const write = opts.progress;
  const every = opts.progressEvery ?? PROGRESS_MIN_BYTES;
  if (write === undefined || opts.quiet || total < every) return () => {};
  let next = every;
  return (phase, bytes, detail) => {
    if (phase === "range") {
      write(`${detail}\n`);
      return;
    }
    if (bytes < next && bytes < total) return;
    while (next <= bytes) next += every;
    const pct = total > 0 ? Math.floor((100 * bytes) / total) : 100;
    write(`Scanned ${mib(bytes)} of ${mib(total)} (${pct}%)\n`);
  };
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

const NL = 0x0a;
const EOF_SUFFIX = Buffer.from("# EOF\n");

/** A segment's bytes made parseable alone: its type context before it, `# EOF` after it unless last. */
function segmentBody(
  input: Input,
  start: number,
  length: number,
  type: MetricType,
  last: boolean,
): { body: Buffer; prefixLength: number; prefixLines: number; got: number } {
  const prefix = type === "unknown" ? "" : `# TYPE x ${type}\n`;
  const suffix = last ? 0 : EOF_SUFFIX.length;
  const body = Buffer.allocUnsafe(prefix.length + length + suffix);
  body.write(prefix, 0, "latin1");
  const got = input.read(body, prefix.length, length, start);
  if (!last) EOF_SUFFIX.copy(body, prefix.length + got);
  return {
    body: got === length ? body : body.subarray(0, prefix.length + got + suffix),
    prefixLength: prefix.length,
    prefixLines: prefix === "" ? 0 : 1,
    got,
  };
}

function openParser(body: Buffer): Parser {
  return newParser(body, "openmetrics", {
    maxBodyBytes: Number.MAX_SAFE_INTEGER,
    maxLineBytes: Number.MAX_SAFE_INTEGER,
  });
}

/** A parse error of a segment, positioned in the whole file. */
function fileParseError(e: ParseError, seg: { line: number }, prefixLines: number): ParseError {
  return new ParseError(seg.line + e.line - 1 - prefixLines, e.column, e.detail);
}

/**
 * The first pass: splits the input into segments of whole lines, parses each
 * (so every syntax error is found before anything is written) and notes the
 * time span of its samples.
 */
function scanInput(
  input: Input,
  segmentBytes: number,
  progress: Progress,
): { segments: Segment[]; minT: number; maxT: number } {
  const segments: Segment[] = [];
  let minT = Infinity;
  let maxT = -Infinity;
  let pos = 0;
  let line = 1;
  let type: MetricType = "unknown";
  const probe = { buf: Buffer.allocUnsafe(segmentBytes) };
  while (pos < input.size || segments.length === 0) {
    let length = segmentLength(input, probe, pos, segmentBytes);
    for (;;) {
      const last = pos + length >= input.size;
      const { body, prefixLength, prefixLines, got } = segmentBody(input, pos, length, type, last);
      const segLines = countLines(body, prefixLength, prefixLength + got);
      const seg: Segment = { start: pos, length, line, type, minT: Infinity, maxT: -Infinity };
      const p = openParser(body);
      try {
        for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
          if (e !== Entry.Series) continue;
          const t = p.timestampMs;
          if (t === undefined) throw new Error("expected timestamp for series got none");
          if (t < seg.minT) seg.minT = t;
          if (t > seg.maxT) seg.maxT = t;
        }
      } catch (e) {
        if (!(e instanceof ParseError)) {
          throw new Error(`line ${seg.line + p.currentLine() - 1 - prefixLines}: ${(e as Error).message}`);
        }
        const err = fileParseError(e, seg, prefixLines);
        // A cut inside a quoted name with a raw newline shows on the last line or
        // after it: read a longer segment. Errors before that are the input's own.
        if (!last && err.line >= line + segLines - 1) {
          length = segmentLength(input, probe, pos, length + segmentBytes, length);
          continue;
        }
        throw new Error(`next: ${err.message}`);
      }
      type = p.type;
      segments.push(seg);
      if (seg.minT < minT) minT = seg.minT;
      if (seg.maxT > maxT) maxT = seg.maxT;
      line += segLines;
      pos += length;
      progress("scan", pos);
      break;
    }
    if (input.size === 0) break;
  }
  return { segments, minT, maxT };
}

/** Newlines in `b[start, end)`. */
function countLines(b: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = b.indexOf(NL, start); i >= 0 && i < end; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/**
 * The length of the segment starting at `pos`: through the last newline
 * before `pos + target` that leaves something after it and makes the
 * segment longer than `min` bytes, or the rest of the file; longer when no
 * such newline comes before the target.
 */
function segmentLength(input: Input, probe: { buf: Buffer }, pos: number, target: number, min = 0): number {
  for (;;) {
    if (pos + target >= input.size) return input.size - pos;
    if (probe.buf.length < target) probe.buf = Buffer.allocUnsafe(target);
    const got = input.read(probe.buf, 0, target, pos);
    if (pos + got >= input.size) return input.size - pos;
    const cut = probe.buf.lastIndexOf(NL, got - 2);
    if (cut + 1 > min) return cut + 1;
    target *= 2;
  }
}

/** Where a series' samples go in the current range: its labels (custom labels applied) and head ref. */
interface CachedSeries {
  labels: Labels;
  ref: number;
}

/** The second pass: one block per range that has samples. */
function createBlocks(
  input: Input,
  scan: { segments: Segment[]; minT: number; maxT: number },
  opts: BackfillOptions,
  progress: Progress,
): void {
  const { segments } = scan;
  if (segments.every((s) => s.maxT === -Infinity)) return;
  const duration = compatibleBlockDuration(opts.maxBlockDuration);
  // Aligned as promtool aligns (Go's division truncates toward zero).
  const first = duration * Math.trunc(scan.minT / duration);
  const maxT = scan.maxT;
  let wroteHeader = false;
  let t = first;
  const ranges = Math.floor((maxT - first) / duration) + 1;
  while (t <= maxT) {
    const upper = t + duration;
    const picked: number[] = [];
    let next = Infinity;
    segments.forEach((s, i) => {
      if (s.maxT < t) return;
      if (s.minT >= upper) {
        if (s.minT < next) next = s.minT;
        return;
      }
      picked.push(i);
      if (s.maxT >= upper) next = Math.min(next, upper);
    });
    if (picked.length > 0) {
      const bytes = picked.reduce((n, i) => n + segments[i]!.length, 0);
      progress(
        "range",
        0,
        `Block range ${Math.floor((t - first) / duration) + 1} of ${ranges} (${formatDuration(duration)} from ${isoTime(t)}): parsing ${mib(bytes)}`,
      );
      const meta = writeRange(input, segments, picked, t, upper, duration, opts);
      if (meta !== null && !opts.quiet) {
        const size = dirSize(join(opts.outputDir, meta.ulid));
        opts.out(formatBlocks([{ meta, size }], !wroteHeader, opts.humanReadable));
        wroteHeader = true;
      }
    }
    if (next === Infinity) break;
    t = next <= upper ? upper : first + Math.floor((next - first) / duration) * duration;
  }
}

/** Appends the samples in `[t, upper)` of the picked segments to a head and writes it as a block. */
function writeRange(
  input: Input,
  segments: Segment[],
  picked: number[],
  t: number,
  upper: number,
  duration: number,
  opts: BackfillOptions,
): ReturnType<typeof writeBlock> {
  // Chunks are cut at twice the block range, so samples anywhere in the range
  // are accepted (promtool's block writer does the same).
  const head = new Head({ chunkRange: 2 * duration });
  const cache = new Map<string, CachedSeries>();
  const builder = new LabelsBuilder();
  let app: Appender = head.appender();
  let pending = 0;
  for (const i of picked) {
    const seg = segments[i]!;
    const last = seg.start + seg.length >= input.size;
    const { body, prefixLines } = segmentBody(input, seg.start, seg.length, seg.type, last);
    const p = openParser(body);
    const lineOf = (): number => seg.line + p.currentLine() - 1 - prefixLines;
    // The segment's oldest sample after this range: where it is needed next.
    let later = Infinity;
    try {
      for (let e = p.next(); e !== Entry.EOF; e = p.next()) {
        if (e !== Entry.Series) continue;
        const ts = p.timestampMs!;
        if (ts >= upper) {
          if (ts < later) later = ts;
          continue;
        }
        if (ts < t) continue;
        // Same text under the same type context means the same labels.
        const key = `${p.type}\n${body.toString("latin1", p.seriesStart, p.seriesEnd)}`;
        let s = cache.get(key);
        if (s === undefined) {
          let labels = p.labels();
          if (opts.labels.size > 0) {
            builder.reset(labels);
            for (const [n, v] of opts.labels) builder.set(n, v);
            labels = builder.labels();
          }
          s = { labels, ref: 0 };
          cache.set(key, s);
        }
        const v = p.value;
        try {
          s.ref = app.append(s.ref, s.labels, ts, v);
        } catch (err) {
          if (!(err instanceof StorageError)) throw err;
          checkAgainstCommitted(head, s.labels, ts, v, err);
        }
        if (++pending >= SAMPLES_PER_COMMIT) {
          app.commit();
          app = head.appender();
          pending = 0;
        }
      }
    } catch (err) {
      if (err instanceof ParseError) {
        throw new Error(`process blocks: add sample: line ${lineOf()}: ${err.detail}`, { cause: err });
      }
      if (err instanceof StorageError) {
        throw new Error(`process blocks: add sample: line ${lineOf()}: ${err.message}`, { cause: err });
      }
      throw new Error(`process blocks: ${(err as Error).message}`, { cause: err });
    }
    // Everything before `upper` is done: ranges in between need not read it again.
    seg.minT = later;
    if (later === Infinity) seg.maxT = -Infinity;
  }
  app.commit();
  if (head.numSeries() === 0 || head.minT === Infinity) {
    head.close();
    return null;
  }
  const id = ulid();
  const mint = head.minT;
  const maxt = head.maxT + 1;
  try {
    return writeBlock(opts.outputDir, [new RangeHead(head, mint, maxt - 1)], mint, maxt, {
      level: 1,
      sources: [id],
      ulid: id,
    });
  } catch (err) {
    throw new Error(`process blocks: flush: ${(err as Error).message}`, { cause: err });
  } finally {
    head.close();
  }
}

/**
 * promtool's block writer checks a sample only against what earlier commits
 * stored; one that clashes with an uncommitted sample of its own batch is
 * silently dropped at commit. Vigil's appender checks the batch too, so its
 * error is re-judged here: rethrown (with upstream's wording) only when the
 * committed data rejects the sample.
 */
function checkAgainstCommitted(head: Head, labels: Labels, t: number, v: number, err: StorageError): void {
  if (err.kind !== "out_of_order" && err.kind !== "duplicate_sample") throw err;
  const s = head.getByLabels(labels);
  if (s === undefined || s.head < 0 || t > s.maxT) return;
  if (t < s.maxT)
    throw err.kind === "out_of_order" ? err : new StorageError("out_of_order", "out of order sample");
  if (!sameBits(v, s.lastV)) {
    throw new StorageError(
      "duplicate_sample",
      `duplicate sample for timestamp ${t}; overrides not allowed: existing ${formatGoFloat(s.lastV)}, new value ${formatGoFloat(v)}`,
    );
  }
}
