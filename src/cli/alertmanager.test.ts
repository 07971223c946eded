import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { metricValue, waitFor } from "../alertmanager/server/testing.ts";
import { main } from "./main.ts";
import { capture } from "./testing.ts";

const GOOD = "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n";
const BAD = "route:\n  receiver: nope\nreceivers:\n  - name: blackhole\n";

describe("vigil alertmanager (command)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-cli-am-"));
    writeFileSync(join(dir, "am.yml"), GOOD);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refused: [string, string[], number, RegExp][] = [
    [
      "a bad duration",
      ["--data.retention=5x"],
      2,
      /invalid value "5x" for flag --data.retention: time: unknown unit "x"/,
    ],
    ["an unknown flag", ["--nope"], 2, /unknown flag '--nope'/],
    ["a cluster address", ["--cluster.listen-address=0.0.0.0:9999"], 1, /clustering is not supported/],
    [
      "an unknown feature",
      ["--cluster.listen-address=", "--enable-feature=nope"],
      1,
      /Unknown option 'nope'/,
    ],
    [
      "both matcher modes",
      ["--cluster.listen-address=", "--enable-feature=classic-mode,utf8-strict-mode"],
      1,
      /cannot have both classic and UTF-8 modes enabled/,
    ],
  ];
  for (const [what, flags, code, message] of refused) {
    it(`refuses ${what}`, async () => {
      const stderr = capture();
      const got = await main(["alertmanager", `--config.file=${join(dir, "am.yml")}`, ...flags], {
        stdout: capture(),
        stderr,
        signal: AbortSignal.abort(),
      });
      assert.equal(got, code, stderr.text());
      assert.match(stderr.text(), message);
    });
  }

  it("exits 1 when the config does not load, naming file and line", async () => {
    writeFileSync(join(dir, "bad.yml"), BAD);
    const stderr = capture();
    const got = await main(
      [
        "alertmanager",
        `--config.file=${join(dir, "bad.yml")}`,
        `--storage.path=${join(dir, "data-bad")}`,
        "--web.listen-address=127.0.0.1:0",
        "--cluster.listen-address=",
      ],
      { stdout: capture(), stderr, signal: new AbortController().signal },
    );
    assert.equal(got, 1);
    assert.match(stderr.text(), /bad\.yml:2:\d+: .*undefined receiver \\"nope\\" used in route/);
  });

  it("reloads on SIGHUP, keeps a bad config out, writes snapshots on SIGTERM", {
    timeout: 20_000,
  }, async () => {
    const stderr = capture();
    const stop = new AbortController();
    const data = join(dir, "data");
    const done = main(
      [
        "alertmanager",
        `--config.file=${join(dir, "am.yml")}`,
        `--storage.path=${data}`,
        "--web.listen-address=127.0.0.1:0",
        "--cluster.listen-address=",
        "--cluster.peer=10.0.0.1:9094",
      ],
      { stdout: capture(), stderr, signal: stop.signal },
    );
    const address = await waitFor(
      "listening",
      () => /msg="Listening on" address=(\S+)/.exec(stderr.text())?.[1],
    );
    const url = `http://${address}`;
    assert.match(stderr.text(), /Ignoring cluster flag.*flag=--cluster.peer/);
    writeFileSync(join(dir, "am.yml"), BAD);
    process.kill(process.pid, "SIGHUP");
    await waitFor("failed reload", async () =>
      (await metricValue(url, "alertmanager_config_last_reload_successful")) === 0 ? true : undefined,
    );
    assert.equal((await fetch(`${url}/-/healthy`)).status, 200);
    writeFileSync(join(dir, "am.yml"), GOOD);
    process.kill(process.pid, "SIGHUP");
    await waitFor("good reload", async () =>
      (await metricValue(url, "alertmanager_config_last_reload_successful")) === 1 ? true : undefined,
    );
    stop.abort("SIGTERM");
    assert.equal(await done, 0);
    assert.ok(existsSync(join(data, "silences")), "silences snapshot");
    assert.ok(existsSync(join(data, "nflog")), "nflog snapshot");
    assert.match(stderr.text(), /Received SIGTERM, exiting gracefully/);
  });
});
