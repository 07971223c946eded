/**
 * Test helpers for `vigil server`: run it in process through the CLI on
 * 127.0.0.1:0 and wait for conditions with a deadline.
 */
import { join } from "node:path";
import { main } from "../cli/main.ts";
import { type Captured, capture } from "../cli/testing.ts";

const LISTENING = /msg="Listening on" component=web address=(127\.0\.0\.1:\d+)/;

/** Polls `probe` every 20 ms until it returns a value; fails after `ms`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 8000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Running {
  readonly url: string;
  readonly stderr: Captured;
  readonly done: Promise<number>;
  stop(): void;
}

/** Starts `vigil server` with `config` and data under `dir`; resolves once it is ready. */
export async function runServer(dir: string, config: string, ...flags: string[]): Promise<Running> {
  const stdout = capture();
  const stderr = capture();
  const controller = new AbortController();
  const done = main(
    [
      "server",
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      "--web.listen-address=127.0.0.1:0",
      // Apply new targets quickly (upstream's default throttle is 5s).
      "--scrape.discovery-reload-interval=100ms",
      ...flags,
    ],
    { stdout, stderr, signal: controller.signal },
  );
  const address = await waitFor("listening", () => LISTENING.exec(stderr.text())?.[1]);
  const url = `http://${address}`;
  await waitFor("ready", async () => ((await fetch(`${url}/-/ready`)).status === 200 ? true : undefined));
  return { url, stderr, done, stop: () => controller.abort("SIGTERM") };
}
