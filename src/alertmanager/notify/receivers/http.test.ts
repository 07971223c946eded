import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { freePort } from "../../../testing/net.ts";
import { HTTPClient, inlineOrFile } from "./http.ts";
import { startSink } from "./testing.ts";

describe("HTTPClient.sendChecked", async () => {
  const sink = await startSink((c) => ({ status: Number(c.path.slice(1)), body: "nope" }));
  after(() => sink.close());
  const client = new HTTPClient(undefined);
  const send = (path: string, codes?: number[]) =>
    client.sendChecked(
      { url: `${sink.url}${path}`, body: "{}", signal: AbortSignal.timeout(5000) },
      { retryCodes: codes },
      "pre: ",
    );

  it("2xx succeeds, 5xx and retry codes retry, other codes fail for good", async () => {
    assert.deepEqual(await send("/200"), { retry: false });
    const r500 = await send("/500");
    assert.equal(r500.retry, true);
    assert.equal(r500.error?.message, "unexpected status code 500: nope");
    assert.equal((await send("/429", [429])).retry, true);
    assert.equal((await send("/400")).retry, false);
    assert.equal(sink.requests[0]?.headers["content-type"], "application/json");
  });

  it("a failure before a response is retried with the transport prefix", async () => {
    const port = await freePort();
    const r = await client.sendChecked(
      { url: `http://127.0.0.1:${port}/`, body: "", signal: AbortSignal.timeout(5000) },
      {},
      "pre: ",
    );
    assert.equal(r.retry, true);
    assert.match(r.error?.message ?? "", /^pre: /);
  });
});

describe("inlineOrFile", () => {
  it("prefers the inline value and words an unreadable file with the field name", async () => {
    assert.equal(await inlineOrFile("x", "/nonexistent"), "x");
    await assert.rejects(
      inlineOrFile("", "/nonexistent/f", "webhook_url_file"),
      /^Error: read webhook_url_file: ENOENT/,
    );
    await assert.rejects(inlineOrFile("", "/nonexistent/f"), { code: "ENOENT" });
  });
});
