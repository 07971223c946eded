import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatBuildDate, readGitState } from "./git.ts";
import { type BuildInfo, buildContext, buildInfo, goarch, goos, printVersion, versionInfo } from "./info.ts";

const INFO: BuildInfo = {
  version: "0.1.0",
  revision: "0123456789abcdef0123456789abcdef01234567",
  branch: "main",
  buildUser: "ci@build",
  buildDate: "20261122-02:08:26",
  nodeVersion: "v24.9.0",
  goos: "linux",
  goarch: "amd64",
  tags: "none",
};

describe("version", () => {
  it("prints upstream's --version layout", () => {
    assert.equal(
      printVersion("vigil", INFO),
      [
        "vigil, version 0.1.0 (branch: main, revision: 0123456789abcdef0123456789abcdef01234567)",
        "  build user:       ci@build",
        "  build date:       20261122-02:08:26",
        "  node version:     v24.9.0",
        "  platform:         linux/amd64",
        "  tags:             none",
      ].join("\n"),
    );
  });

  it("has upstream's one-line Info and BuildContext forms", () => {
    assert.equal(
      versionInfo(INFO),
      "(version=0.1.0, branch=main, revision=0123456789abcdef0123456789abcdef01234567)",
    );
    assert.equal(
      buildContext(INFO),
      "(node=v24.9.0, platform=linux/amd64, user=ci@build, date=20261122-02:08:26, tags=none)",
    );
  });

  it("maps Node platforms and architectures to Go's names", () => {
    assert.equal(goos("linux"), "linux");
    assert.equal(goos("darwin"), "darwin");
    assert.equal(goos("win32"), "windows");
    assert.equal(goarch("x64"), "amd64");
    assert.equal(goarch("arm64"), "arm64");
    assert.equal(goarch("ia32"), "386");
    assert.equal(goarch("ppc64", "LE"), "ppc64le");
    assert.equal(goarch("ppc64", "BE"), "ppc64");
    assert.equal(goarch("s390x"), "s390x");
  });

  it("takes the version from package.json and is frozen", () => {
    const info = buildInfo();
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.equal(info.nodeVersion, process.version);
    assert.ok(Object.isFrozen(info));
    assert.equal(buildInfo(), info);
  });

  it("formats build dates in UTC with Go's 20060102-15:04:05 layout", () => {
    assert.equal(formatBuildDate(new Date("2026-01-02T03:04:05.678Z")), "20260102-03:04:05");
  });
});

describe("readGitState", () => {
  it("reports unknown outside a git checkout", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-nogit-"));
    try {
      assert.deepEqual(readGitState(dir), { revision: "unknown", branch: "unknown", commitDate: "unknown" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads revision, branch and commit date, and marks local changes", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-git-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      GIT_COMMITTER_DATE: "2026-11-22T02:08:26Z",
      GIT_AUTHOR_DATE: "2026-11-22T02:08:26Z",
    };
    const git = (...args: string[]): string =>
      execFileSync("git", ["-C", dir, ...args], { env, encoding: "utf8", timeout: 5000 }).trim();
    try {
      git("init", "-q", "-b", "trunk");
    } catch {
      t.skip("git is not available");
      return;
    }
    assert.deepEqual(readGitState(dir), { revision: "unknown", branch: "trunk", commitDate: "unknown" });
    writeFileSync(join(dir, "a.txt"), "a\n");
    git("add", "a.txt");
    git("commit", "-q", "-m", "first");
    const sha = git("rev-parse", "HEAD");
    assert.deepEqual(readGitState(dir), { revision: sha, branch: "trunk", commitDate: "20261122-02:08:26" });
    writeFileSync(join(dir, "a.txt"), "changed\n");
    assert.equal(readGitState(dir).revision, `${sha}-modified`);
    git("checkout", "-q", "--detach");
    assert.equal(readGitState(dir).branch, "HEAD");
  });
});
