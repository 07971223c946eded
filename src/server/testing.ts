/**
 * Test helpers for `vigil server`: run it in process through the CLI on
 * 127.0.0.1:0 and wait for conditions with a deadline.
 */
import { join } from "node:path";
import { main } from "../cli/main.ts";
import { type Captured, capture } from "../cli/testing.ts";
import { waitFor } from "../testing/wait.ts";

/** The shared bounded poll (`src/testing/wait.ts`), re-exported for the server tests. */
export { waitFor };

const LISTENING = /msg="Listening on" component=web address=(127\.0\.0\.1:\d+)/;

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
