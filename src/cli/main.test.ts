import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { main } from "./main.ts";
import { capture } from "./testing.ts";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text(), err: stderr.text() };
}

describe("vigil main", () => {
  for (const flag of ["--help", "-h", "help"]) {
    it(`${flag} lists the commands with summaries`, async () => {
      const { code, out, err } = await run(flag);
      assert.equal(code, 0);
      assert.equal(err, "");
      assert.match(out, /^usage: vigil <command>/);
      assert.match(out, /^ {2}start {2,}Run the whole stack/m);
      assert.match(out, /^ {2}version {2,}\S/m);
    });
  }

  it("lists only commands that exist", async () => {
    const { out } = await run("--help");
    for (const planned of ["top"]) {
      assert.doesNotMatch(out, new RegExp(`^ {2}${planned} `, "m"));
    }
    for (const built of ["server", "alertmanager", "pushgateway", "node-exporter", "tsdb"]) {
      assert.match(out, new RegExp(`^ {2}${built} `, "m"));
    }
  });

  it("help <command> and <command> --help show the command's flags", async () => {
    for (const argv of [
      ["help", "start"],
      ["start", "--help"],
      ["start", "-h"],
    ]) {
      const { code, out } = await run(...argv);
      assert.equal(code, 0, argv.join(" "));
      assert.match(out, /^usage: vigil start \[<flags>\]/);
      assert.match(out, /--web\.listen-address=":9090"/);
      assert.match(out, /--log\.level="info" +.*One of: \[debug, info, warn, error\]/);
    }
  });

  it("an unknown command exits 2 naming it and pointing to --help", async () => {
    const { code, out, err } = await run("frobnicate", "--x");
    assert.equal(code, 2);
    assert.equal(out, "");
    assert.equal(err, 'vigil: error: unknown command "frobnicate", try --help\n');
  });

  it("an unknown top-level flag exits 2", async () => {
    const { code, err } = await run("--frobnicate");
    assert.equal(code, 2);
    assert.equal(err, "vigil: error: unknown flag '--frobnicate', try --help\n");
  });

  it("no command prints the usage on stderr and exits 2", async () => {
    const { code, out, err } = await run();
    assert.equal(code, 2);
    assert.equal(out, "");
    assert.match(err, /^usage: vigil/);
  });

  it("a bad flag of a command exits 2 with the command named", async () => {
    const { code, err } = await run("start", "--log.level=loud");
    assert.equal(code, 2);
    assert.equal(
      err,
      'vigil start: error: invalid value "loud" for flag --log.level, one of: [debug, info, warn, error], try --help\n',
    );
  });

  it("does not treat inherited object keys as commands", async () => {
    assert.equal((await run("toString")).code, 2);
    assert.equal((await run("__proto__")).code, 2);
  });

  for (const argv of [["--version"], ["version"]]) {
    it(`${argv.join(" ")} prints build info shaped like prometheus --version`, async () => {
      const { code, out } = await run(...argv);
      assert.equal(code, 0);
      const lines = out.split("\n");
      assert.equal(lines.pop(), "");
      const want = [
        /^vigil, version \d+\.\d+\.\d+\S* \(branch: \S+, revision: (unknown|[0-9a-f]{40}(-modified)?)\)$/,
        /^ {2}build user: {7}\S+@\S+$/,
        /^ {2}build date: {7}(unknown|\d{8}-\d{2}:\d{2}:\d{2})$/,
        /^ {2}node version: {5}v24\.\d+\.\d+$/,
        /^ {2}platform: {9}[a-z0-9]+\/[a-z0-9]+$/,
        /^ {2}tags: {13}\S+$/,
      ];
      assert.equal(lines.length, want.length);
      for (const [i, line] of lines.entries()) assert.match(line, want[i]!);
    });
  }

  it("version takes no arguments", async () => {
    const { code, err } = await run("version", "extra");
    assert.equal(code, 2);
    assert.match(err, /unexpected argument 'extra'/);
  });
});
