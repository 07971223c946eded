import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** What a git checkout says about the code it holds; "unknown" where git cannot tell. */
export interface GitState {
  /** Full commit id of HEAD, suffixed with `-modified` when the work tree differs from it. */
  readonly revision: string;
  /** Checked-out branch; `HEAD` when detached. */
  readonly branch: string;
  /** Committer date of HEAD in UTC, upstream's `YYYYMMDD-HH:MM:SS` build-date layout. */
  readonly commitDate: string;
}

const UNKNOWN: GitState = { revision: "unknown", branch: "unknown", commitDate: "unknown" };

/** Upper bound for each git call, so a slow or hung git never delays start-up for long. */
const GIT_TIMEOUT_MS = 2000;

/**
 * Reads revision, branch and commit date from the checkout at `root`, by
 * running `git`. Returns "unknown" for every field when `root` holds no `.git`
 * (an installed package) and for any field git fails to report (no git on the
 * PATH, no commit yet, timeout): never a guessed value.
 */
export function readGitState(root: string): GitState {
  if (!existsSync(join(root, ".git"))) return UNKNOWN;
  const head = git(root, ["log", "-1", "--format=%H %ct"]);
  const [sha, seconds] = head === undefined ? [] : head.split(" ");
  const status = sha === undefined ? undefined : git(root, ["status", "--porcelain"]);
  const branch = git(root, ["symbolic-ref", "--short", "-q", "HEAD"]);
  return {
    revision: sha === undefined ? "unknown" : status ? `${sha}-modified` : sha,
    branch: branch ?? (sha === undefined ? "unknown" : "HEAD"),
    commitDate: seconds === undefined ? "unknown" : formatBuildDate(new Date(Number(seconds) * 1000)),
  };
}

/** Formats `date` in UTC with Go's `20060102-15:04:05` layout, as promu stamps `BuildDate`. */
export function formatBuildDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, "0");
  const day = `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}`;
  return `${day}-${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

/** Runs git in `root`; its trimmed stdout, or undefined on any failure. */
function git(root: string, args: readonly string[]): string | undefined {
  const result = spawnSync("git", ["-C", root, ...args], {
    encoding: "utf8",
    timeout: GIT_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "ignore"],
  });
  if (result.error !== undefined || result.status !== 0) return undefined;
  return result.stdout.trim();
}
