import { endianness, hostname, userInfo } from "node:os";
import { fileURLToPath } from "node:url";
import pkg from "../../package.json" with { type: "json" };
import { readGitState } from "./git.ts";

/**
 * Build information, upstream's `common/version` variables. Vigil has no build
 * step: Node strips the TypeScript when the process starts, so the "build" is
 * this process's start from the checkout it runs in. Fields that cannot be
 * known read "unknown"; nothing is made up.
 */
export interface BuildInfo {
  /** Release version from package.json, e.g. `0.1.0`. */
  readonly version: string;
  /** Commit id of the checkout (`-modified` when git reports local changes), or "unknown". */
  readonly revision: string;
  /** Branch of the checkout, `HEAD` when detached, or "unknown". */
  readonly branch: string;
  /** `user@host` that built the code: the user running it, since the build happens at start. */
  readonly buildUser: string;
  /** Commit date of the checkout in UTC, `YYYYMMDD-HH:MM:SS`, or "unknown". */
  readonly buildDate: string;
  /** The running Node.js version, e.g. `v24.9.0` (upstream's `goVersion`). */
  readonly nodeVersion: string;
  /** Operating system in Go's `GOOS` names (`linux`, `darwin`, `windows`, …). */
  readonly goos: string;
  /** CPU architecture in Go's `GOARCH` names (`amd64`, `arm64`, …). */
  readonly goarch: string;
  /** Build tags; Vigil has none, so always `none`. */
  readonly tags: string;
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

let cached: BuildInfo | undefined;

/** This process's build information, computed once (it runs git the first time). */
export function buildInfo(): BuildInfo {
  if (cached === undefined) {
    const git = readGitState(REPO_ROOT);
    cached = Object.freeze({
      version: pkg.version,
      revision: git.revision,
      branch: git.branch,
      buildUser: `${currentUser()}@${hostname()}`,
      buildDate: git.commitDate,
      nodeVersion: process.version,
      goos: goos(process.platform),
      goarch: goarch(process.arch),
      tags: "none",
    });
  }
  return cached;
}

/**
 * The multi-line text of `--version`, shaped like upstream's `version.Print`:
 * `vigil, version 0.1.0 (branch: main, revision: …)` then indented fields.
 */
export function printVersion(program: string, info: BuildInfo = buildInfo()): string {
  return [
    `${program}, version ${info.version} (branch: ${info.branch}, revision: ${info.revision})`,
    `  build user:       ${info.buildUser}`,
    `  build date:       ${info.buildDate}`,
    `  node version:     ${info.nodeVersion}`,
    `  platform:         ${info.goos}/${info.goarch}`,
    `  tags:             ${info.tags}`,
  ].join("\n");
}

/** Upstream's `version.Info()`: `(version=…, branch=…, revision=…)`, for the start-up log line. */
export function versionInfo(info: BuildInfo = buildInfo()): string {
  return `(version=${info.version}, branch=${info.branch}, revision=${info.revision})`;
}

/** Upstream's `version.BuildContext()`, with `node=` in place of `go=`. */
export function buildContext(info: BuildInfo = buildInfo()): string {
  const platform = `${info.goos}/${info.goarch}`;
  return `(node=${info.nodeVersion}, platform=${platform}, user=${info.buildUser}, date=${info.buildDate}, tags=${info.tags})`;
}

const GOOS: Readonly<Record<string, string>> = { win32: "windows", sunos: "solaris" };

/** Maps Node's `process.platform` to Go's `GOOS` name. */
export function goos(platform: string): string {
  return GOOS[platform] ?? platform;
}

const GOARCH: Readonly<Record<string, string>> = { x64: "amd64", ia32: "386", mipsel: "mipsle" };

/** Maps Node's `process.arch` to Go's `GOARCH` name (`ppc64` is `ppc64le` on little-endian). */
export function goarch(arch: string, byteOrder: "BE" | "LE" = endianness()): string {
  if (arch === "ppc64" && byteOrder === "LE") return "ppc64le";
  return GOARCH[arch] ?? arch;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (common in containers).
    return process.env.USER ?? "unknown";
  }
}
