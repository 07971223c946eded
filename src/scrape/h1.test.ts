import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { fetchBody, newBodyBuffer } from "./fetch.ts";
import { H1Agent } from "./h1.ts";

/** A raw TCP server: `answer` writes the response bytes for each request it reads. */
async function rawServer(
  answer: (sock: Socket, request: string, n: number) => void,
): Promise<{ server: Server; port: number; sockets: Set<Socket>; requests: string[] }> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server = createServer((sock) => {
    sockets.add(sock);
    let pending = "";
    sock.on("data", (d) => {
      pending += d.toString("latin1");
      for (let at = pending.indexOf("\r\n\r\n"); at >= 0; at = pending.indexOf("\r\n\r\n")) {
        const req = pending.slice(0, at);
        pending = pending.slice(at + 4);
        requests.push(req);
        answer(sock, req, requests.length);
      }
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { server, port, sockets, requests };
}

/** Writes `bytes` one byte per write, so every parser state meets a split. */
function trickle(sock: Socket, bytes: string): void {
  for (const c of Buffer.from(bytes, "latin1")) sock.write(Buffer.of(c));
}

const get = (agent: H1Agent, port: number, path: string, timeoutMs = 2000) =>
  fetchBody(agent, {
    url: `http://127.0.0.1:${port}${path}`,
    headers: { Accept: "text/plain" },
    timeoutMs,
    shutdown: new AbortController().signal,
    maxBytes: 1 << 20,
    into: newBodyBuffer(),
  });

describe("H1Agent (plain-HTTP scrape client)", () => {
  const agent = new H1Agent(90_000);
  let srv: Awaited<ReturnType<typeof rawServer>>;

  before(async () => {
    srv = await rawServer((sock, req) => {
      const path = req.split(" ")[1];
      if (path === "/len")
        sock.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\na 1\n");
      else if (path === "/chunked")
        trickle(
          sock,
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "4;ext=1\r\na 1\n\r\n4\r\nb 2\n\r\n0\r\nX-Trailer: t\r\n\r\n",
        );
      else if (path === "/close") {
        sock.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nc 3\n");
        sock.end();
      } else if (path === "/then-close") {
        sock.end("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nd 4\n");
      } else if (path === "/garbage") sock.end("SSH-2.0-OpenSSH\r\n\r\n");
      else if (path === "/bad-chunk") sock.end("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
      else if (path === "/404") sock.write("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n");
      else sock.destroy();
    });
  });
  after(async () => {
    await agent.close();
    for (const s of srv.sockets) s.destroy();
    await new Promise((r) => srv.server.close(r));
  });

  it("reads a Content-Length body and keeps the connection for the next request", async () => {
    const before = srv.sockets.size;
    const a = await get(agent, srv.port, "/len");
    assert.equal(a.body.toString(), "a 1\n");
    assert.equal(a.contentType, "text/plain");
    const b = await get(agent, srv.port, "/len");
    assert.equal(b.body.toString(), "a 1\n");
    assert.equal(srv.sockets.size, before + 1, "one connection for both");
    assert.match(
      srv.requests.at(-1)!,
      /^GET \/len HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nAccept: text\/plain$/,
    );
  });

  it("decodes chunked bodies with extensions and trailers, one byte per read", async () => {
    const r = await get(agent, srv.port, "/chunked");
    assert.equal(r.body.toString(), "a 1\nb 2\n");
    // The connection is still usable after the trailers.
    assert.equal((await get(agent, srv.port, "/len")).body.toString(), "a 1\n");
  });

  it("reads an HTTP/1.0 body until the connection closes", async () => {
    assert.equal((await get(agent, srv.port, "/close")).body.toString(), "c 3\n");
  });

  it("retries once on a new connection when a kept-alive one was closed by the server", async () => {
    await get(agent, srv.port, "/len");
    for (const s of srv.sockets) s.destroy(); // the server drops its idle connections
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await get(agent, srv.port, "/len")).body.toString(), "a 1\n");
    assert.equal((await get(agent, srv.port, "/then-close")).body.toString(), "d 4\n");
    assert.equal((await get(agent, srv.port, "/len")).body.toString(), "a 1\n");
  });

  it("returns other statuses to the caller", async () => {
    await assert.rejects(get(agent, srv.port, "/404"), {
      message: "server returned HTTP status 404 Not Found",
    });
  });

  const broken: { path: string; message: RegExp }[] = [
    { path: "/garbage", message: /malformed HTTP response "SSH-2.0-OpenSSH"/ },
    { path: "/bad-chunk", message: /malformed chunked encoding/ },
    { path: "/drop", message: /EOF$/ },
  ];
  for (const c of broken) {
    it(`fails cleanly on ${c.path}`, async () => {
      await assert.rejects(get(agent, srv.port, c.path), { message: c.message });
    });
  }

  it("refuses header values that would split the request", () => {
    assert.throws(
      () =>
        agent.dispatch(
          { origin: `http://127.0.0.1:${srv.port}`, path: "/", method: "GET", headers: { X: "a\r\nB: c" } },
          {},
        ),
      /invalid header/,
    );
  });
});
