/**
 * Test helpers of the rules package: captured command output, the
 * reference `promtool` from `.reference/bin` (tests skip when it is absent),
 * and an in-memory storage with an engine.
 */
import { execFile } from "node:child_process";
import type { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { isStaleNaN } from "../model/value/value.ts";
import { Engine } from "../promql/engine.ts";
import { type Appendable, type Queryable, ValueType } from "../storage/interface.ts";
import { referenceBin, referenceSkip } from "../testing/reference.ts";
import { Head } from "../tsdb/head/head.ts";
import { RangeHead } from "../tsdb/head/reader.ts";
import { BlockQuerier } from "../tsdb/querier.ts";
import type { CommandOutput } from "./check.ts";

/** The reference promtool (3.5.3). */
export const PROMTOOL = referenceBin("promtool");

/** Why a differential test skips, or false when promtool is there. */
export function promtoolMissing(): string | false {
  return referenceSkip("promtool");
}

/** What a command printed and returned. */
export interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** A {@link CommandOutput} writing into strings. */
export function captured(): CommandOutput & { text(): { stdout: string; stderr: string } } {
  let stdout = "";
  let stderr = "";
  return {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    text: () => ({ stdout, stderr }),
  };
}

/** Runs a command, capturing its output (never rejects on a non-zero exit); 60 s timeout. */
export function runCommand(bin: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(bin, [...args], { cwd, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== "number") reject(err);
      else resolve({ stdout, stderr, code: err === null ? 0 : (err.code as number) });
    });
  });
}

/** Runs `promtool <args>` in `cwd`. */
export function promtool(args: readonly string[], cwd: string): Promise<Run> {
  return runCommand(PROMTOOL, args, cwd);
}

/** An in-memory head with the views rules need, and an engine over it. */
export interface MemStorage {
  readonly queryable: Queryable;
  readonly appendable: Appendable;
  readonly engine: Engine;
  /** Appends one sample now (committed). */
  add(labels: Labels, t: number, v: number): void;
  /**
   * Every sample of the series with exactly these labels, in time order;
   * staleness markers read `"stale"` (a NaN payload would not survive a JS array).
   */
  samples(labels: Labels, mint?: number, maxt?: number): [number, number | "stale"][];
}

/** A fresh {@link MemStorage}. */
export function memStorage(): MemStorage {
  const head = new Head({ chunkRange: 24 * 3600_000 });
  const queryable: Queryable = {
    querier: (mint, maxt) => new BlockQuerier(new RangeHead(head, mint, maxt), mint, maxt),
  };
  return {
    queryable,
    appendable: { appender: () => head.appender() },
    engine: new Engine(),
    add(labels, t, v) {
      const app = head.appender();
      app.append(0, labels, t, v);
      app.commit();
    },
    samples(labels, mint = 0, maxt = Number.MAX_SAFE_INTEGER) {
      const q = queryable.querier(mint, maxt);
      try {
        const matchers = labels.names().map((n) => Matcher.create("=", n, labels.get(n)));
        const set = q.select(true, undefined, ...matchers);
        const out: [number, number | "stale"][] = [];
        while (set.next()) {
          const s = set.at();
          if (!s.labels.equals(labels)) continue;
          const it = s.iterator();
          while (it.next() !== ValueType.None)
            out.push([it.atT(), isStaleNaN(it.atV()) ? "stale" : it.atV()]);
        }
        return out;
      } finally {
        q.close();
      }
    },
  };
}
