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

/** A raw TCP server reading requests with Content-Length bodies; `answer` gets each one with its socket's request count. */
async function postServer(
  answer: (sock: Socket, head: string, body: Buffer, nth: number) => void,
): Promise<{ server: Server; port: number; sockets: Set<Socket>; bodies: Buffer[]; heads: string[] }> {
  const sockets = new Set<Socket>();
  const bodies: Buffer[] = [];
  const heads: string[] = [];
  const server = createServer((sock) => {
    sockets.add(sock);
    let pending = Buffer.alloc(0);
    let nth = 0;
    sock.on("data", (d) => {
      pending = Buffer.concat([pending, d]);
      for (;;) {
        const at = pending.indexOf("\r\n\r\n");
        if (at < 0) return;
        const head = pending.toString("latin1", 0, at);
        const len = Number(/\r\nContent-Length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < at + 4 + len) return;
        const body = Buffer.from(pending.subarray(at + 4, at + 4 + len));
        pending = pending.subarray(at + 4 + len);
        heads.push(head);
        bodies.push(body);
        answer(sock, head, body, ++nth);
      }
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port, sockets, bodies, heads };
}

/** Sends one request through `agent` with a bare dispatch handler; resolves with the status and body. */
function send(
  agent: H1Agent,
  port: number,
  path: string,
  body: Uint8Array | null,
  idempotent?: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error("test timeout")), 2000);
    agent.dispatch(
      { origin: `http://127.0.0.1:${port}`, path, method: "POST", headers: { "X-A": "b" }, body, idempotent },
      {
        onResponseStart: (_c, s) => {
          status = s;
        },
        onResponseData: (_c, chunk) => {
          chunks.push(Buffer.from(chunk)); // a view of the shared read buffer: copy
        },
        onResponseEnd: () => {
          clearTimeout(timer);
          resolve({ status, body: Buffer.concat(chunks).toString() });
        },
        onResponseError: (_c, err) => {
          clearTimeout(timer);
          reject(err);
        },
      },
    );
  });
}

describe("H1Agent POST bodies", () => {
  const agent = new H1Agent(90_000);
  let srv: Awaited<ReturnType<typeof postServer>>;

  before(async () => {
    srv = await postServer((sock, head, body, nth) => {
      const path = head.split(" ")[1];
      if (path === "/drop-reused" && nth > 1)
        sock.destroy(); // closes a kept-alive connection unanswered
      else if (path === "/half" && nth > 1) sock.write("HTTP/1.1 200 OK\r\nContent-Le", () => sock.destroy());
      else if (path === "/err")
        sock.write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nRetry-After: 3\r\n\r\nboom\n");
      else
        sock.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(body.length).length}\r\n\r\n${body.length}`);
    });
  });
  after(async () => {
    await agent.close();
    for (const s of srv.sockets) s.destroy();
    await new Promise((r) => srv.server.close(r));
  });

  it("sends the body intact with Content-Length, and keeps the connection for the next POST", async () => {
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    big.write("\r\n\r\nPOST / HTTP/1.1\r\n\r\n", 1000, "latin1"); // request-like bytes inside the body
    const before = srv.sockets.size;
    const cases: { body: Uint8Array | null; want: number }[] = [
      { body: big, want: big.length },
      { body: new Uint8Array([1, 2, 3]), want: 3 },
      { body: Buffer.alloc(0), want: 0 },
      { body: big.subarray(5, 70_005), want: 70_000 },
    ];
    for (const c of cases) {
      const r = await send(agent, srv.port, "/ok", c.body);
      assert.deepEqual(r, { status: 200, body: String(c.want) });
      assert.deepEqual(srv.bodies.at(-1), Buffer.from(c.body ?? []));
      assert.match(
        srv.heads.at(-1)!,
        new RegExp(
          `^POST /ok HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:\\d+\\r\\nX-A: b\\r\\nContent-Length: ${c.want}$`,
        ),
      );
    }
    assert.equal(srv.sockets.size, before + 1, "one connection for all");
  });

  it("reads an error answer's body and reuses the connection after it", async () => {
    const before = srv.sockets.size;
    assert.deepEqual(await send(agent, srv.port, "/err", Buffer.from("x")), { status: 500, body: "boom\n" });
    assert.deepEqual(await send(agent, srv.port, "/ok", Buffer.from("xy")), { status: 200, body: "2" });
    assert.ok(srv.sockets.size <= before + 1);
  });

  const closed: {
    name: string;
    path: string;
    idempotent: boolean | undefined;
    sent: number;
    error?: RegExp;
  }[] = [
    {
      name: "an idempotent POST is sent again on a new connection",
      path: "/drop-reused",
      idempotent: true,
      sent: 2,
    },
    {
      name: "a POST is not retried by default",
      path: "/drop-reused",
      idempotent: undefined,
      sent: 1,
      error: /other side closed|ECONNRESET/,
    },
    {
      name: "an idempotent POST with part of an answer is not retried",
      path: "/half",
      idempotent: true,
      sent: 1,
      error: /other side closed|ECONNRESET/,
    },
  ];
  for (const c of closed) {
    it(`when a kept-alive connection closes before the answer: ${c.name}`, async () => {
      const agent2 = new H1Agent(90_000);
      try {
        // The first request on a connection is answered; the second (on the reused one) is dropped or cut.
        assert.equal((await send(agent2, srv.port, c.path, Buffer.from("first"), c.idempotent)).status, 200);
        const n = srv.bodies.length;
        const p = send(agent2, srv.port, c.path, Buffer.from("second"), c.idempotent);
        if (c.error === undefined) assert.deepEqual(await p, { status: 200, body: "6" });
        else await assert.rejects(p, { message: c.error });
        assert.equal(srv.bodies.length - n, c.sent, "times the server read the request");
        for (const b of srv.bodies.slice(n)) assert.equal(b.toString(), "second");
      } finally {
        await agent2.close();
      }
    });
  }

  it("refuses a Content-Length or Transfer-Encoding header from the caller", () => {
    for (const name of ["Content-Length", "transfer-encoding"]) {
      assert.throws(
        () =>
          agent.dispatch(
            {
              origin: `http://127.0.0.1:${srv.port}`,
              path: "/",
              method: "POST",
              headers: { [name]: "1" },
              body: null,
            },
            {},
          ),
        /invalid header/,
      );
    }
  });
});
