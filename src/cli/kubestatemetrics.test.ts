import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "./flags.ts";
import { kubeStateMetricsCommand } from "./kubestatemetrics.ts";
import { capture } from "./testing.ts";

const STARTED = /msg="Started metrics server" address=(127\.0\.0\.1:\d+)/;

function run(args: string[], signal = new AbortController().signal) {
  const stderr = capture();
  return { stderr, done: kubeStateMetricsCommand.run(args, { stdout: capture(), stderr, signal }) };
}

describe("vigil kube-state-metrics", () => {
  const bad: [string[], RegExp][] = [
    [["--resources=pods,widgets"], /resource widgets does not exist/],
    [["--metric-labels-allowlist=pods=app"], /invalid allowlist/],
    [["--port=http"], /invalid argument "http" for "--port" flag/],
    [["--no-such-flag"], /no-such-flag/],
  ];
  for (const [args, message] of bad) {
    it(`rejects ${args.join(" ")}`, async () => {
      await assert.rejects(
        run(args).done,
        (err: unknown) => err instanceof UsageError && message.test(err.message),
      );
    });
  }

  it("serves /metrics and /healthz until aborted, with an unreachable API server", {
    timeout: 10_000,
  }, async () => {
    const controller = new AbortController();
    const { stderr, done } = run(
      [
        "--apiserver=http://127.0.0.1:1",
        "--host=127.0.0.1",
        "--port=0",
        "--telemetry-host=127.0.0.1",
        "--telemetry-port=0",
        "--resources=pods,secrets",
        "--log.level=info",
      ],
      controller.signal,
    );
    const deadline = Date.now() + 5000;
    let address: string | undefined;
    while ((address = STARTED.exec(stderr.text())?.[1]) === undefined) {
      assert.ok(Date.now() < deadline, `not started: ${stderr.text()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const body = await (await fetch(`http://${address}/metrics`)).text();
    assert.match(
      body,
      /# HELP kube_pod_info \[STABLE\] Information about pod\.\n# TYPE kube_pod_info gauge\n/,
    );
    assert.equal(await (await fetch(`http://${address}/healthz`)).text(), "OK");
    assert.match(stderr.text(), /Resources not implemented in Vigil, skipped" resources=secrets/);
    controller.abort();
    assert.equal(await done, 0);
  });
});
