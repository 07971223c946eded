import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Registry } from "prom-client";
import { compressSync, uncompressSync } from "snappy";
import { newLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { Reader } from "../pushgateway/wire.ts";
import { ValueType } from "../storage/interface.ts";
import { xorIterator } from "../tsdb/chunkenc/xor.ts";
import { DB } from "../tsdb/db.ts";
import { crc32c } from "../tsdb/encoding/crc32c.ts";
import { remoteReadHandler } from "./readhandler.ts";
import { decodeReadResponse, encodeReadRequest, ResponseType } from "./readproto.ts";

const quiet = newLogger({ write: () => {} });

/** Decodes streamed frames into `labels -> [t, v][]`, checking each frame's CRC. */
function decodeStream(buf: Buffer): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  let pos = 0;
  while (pos < buf.length) {
    const r = new Reader(buf, pos);
    const len = r.varint();
    const crc = buf.readUInt32BE(r.pos);
    const msg = buf.subarray(r.pos + 4, r.pos + 4 + len);
    assert.equal(crc32c(msg), crc);
    pos = r.pos + 4 + len;
    const m = new Reader(msg);
    while (!m.done()) {
      const [f, wt] = m.tag();
      if (f !== 1) {
        m.skip(wt);
        continue;
      }
      const cs = m.message();
      const flat: string[] = [];
      const samples: [number, number][] = [];
      while (!cs.done()) {
        const [g, gwt] = cs.tag();
        if (g === 1) {
          const l = cs.message();
          l.tag();
          const n = l.string();
          l.tag();
          flat.push(n, l.string());
        } else if (g === 2) {
          const c = cs.message();
          while (!c.done()) {
            const [h, hwt] = c.tag();
            if (h === 4) {
              const [s, e] = c.bytes();
              const it = xorIterator(msg.subarray(s, e));
              while (it.next() === ValueType.Float) samples.push([it.atT(), it.atV()]);
            } else c.skip(hwt);
          }
        } else cs.skip(gwt);
      }
      const key = Labels.fromFlatUnsorted(flat).toString();
      out.set(key, [...(out.get(key) ?? []), ...samples]);
    }
  }
  return out;
}

describe("remote read handler", () => {
  let dir: string;
  let db: DB;
  let server: Server;
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-read-"));
    db = DB.open(dir, { logger: quiet });
    const app = db.appender();
    for (let i = 0; i < 300; i++) {
      app.append(0, Labels.fromStrings("__name__", "x", "job", "a"), 1000 * i, i / 2);
      if (i % 2 === 0) app.append(0, Labels.fromStrings("__name__", "x", "job", "b"), 1000 * i, -i);
    }
    app.commit();
    server = createServer(
      remoteReadHandler({
        queryable: db,
        logger: quiet,
        externalLabels: () => Labels.fromStrings("replica", "r1"),
        sampleLimit: 400,
      }),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/read`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (matchers: Matcher[], types: number[], start = 0, end = 1_000_000) =>
    fetch(url, {
      method: "POST",
      body: compressSync(
        encodeReadRequest({ queries: [{ start, end, matchers }], acceptedResponseTypes: types }),
      ),
    });

  it("SAMPLES: the range, with external labels added", async () => {
    const res = await read([Matcher.create("=", "job", "a")], [], 10_000, 19_000);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-encoding"), "snappy");
    const [series] = decodeReadResponse(uncompressSync(Buffer.from(await res.arrayBuffer())) as Buffer);
    assert.equal(series!.length, 1);
    assert.equal(series![0]!.labels.toString(), '{__name__="x", job="a", replica="r1"}');
    assert.deepEqual(
      Array.from(series![0]!.ts),
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((s) => s * 1000),
    );
  });

  it("a matcher on an external label's value selects local series", async () => {
    const res = await read([Matcher.create("=", "replica", "r1"), Matcher.create("=", "job", "b")], [0]);
    const [series] = decodeReadResponse(uncompressSync(Buffer.from(await res.arrayBuffer())) as Buffer);
    assert.equal(series!.length, 1);
    assert.equal(series![0]!.ts.length, 150);
  });

  it("SAMPLES beyond the sample limit: 400", async () => {
    const res = await read([Matcher.create("=", "__name__", "x")], [0]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /exceeded sample limit \(400\)/);
  });

  it("STREAMED_XOR_CHUNKS: every sample, in chunks, one frame per series part", async () => {
    const res = await read([Matcher.create("=", "__name__", "x")], [ResponseType.STREAMED_XOR_CHUNKS, 0]);
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get("content-type"),
      "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse",
    );
    const got = decodeStream(Buffer.from(await res.arrayBuffer()));
    assert.deepEqual(
      [...got.keys()],
      ['{__name__="x", job="a", replica="r1"}', '{__name__="x", job="b", replica="r1"}'],
    );
    const a = got.get('{__name__="x", job="a", replica="r1"}')!;
    assert.equal(a.length, 300);
    assert.deepEqual(a[299], [299_000, 149.5]);
  });

  it("unsupported response types only: 400", async () => {
    const res = await read([Matcher.create("=", "__name__", "x")], [7]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /server does not support any of the requested response types/);
  });

  it("corrupt snappy: 400", async () => {
    const res = await fetch(url, { method: "POST", body: Buffer.from([0xff, 0xff, 1]) });
    assert.equal(res.status, 400);
  });
});

describe("remote read handler concurrency limit (--storage.remote.read-concurrent-limit)", () => {
  let dir: string;
  let db: DB;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-read-gate-"));
    db = DB.open(dir, { logger: quiet });
    const app = db.appender();
    app.append(0, Labels.fromStrings("__name__", "x"), 1000, 1);
    app.commit();
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = compressSync(
    encodeReadRequest({
      queries: [{ start: 0, end: 2000, matchers: [Matcher.create("=", "__name__", "x")] }],
      acceptedResponseTypes: [],
    }),
  );

  const rows = [
    { limit: 1, secondWaits: true },
    { limit: 2, secondWaits: false },
    { limit: 0, secondWaits: false },
  ];
  for (const r of rows) {
    it(`limit ${r.limit}: a second request ${r.secondWaits ? "waits for" : "runs beside"} one whose body is still arriving`, async () => {
      const registry = new Registry();
      const server = createServer(
        remoteReadHandler({
          queryable: db,
          logger: quiet,
          externalLabels: () => Labels.EMPTY,
          concurrentLimit: r.limit,
          registry,
        }),
      );
      await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
      const port = (server.address() as AddressInfo).port;
      try {
        // The first request sends half of its body and holds the rest back.
        const first = request({ host: "127.0.0.1", port, method: "POST", path: "/api/v1/read" });
        const firstStatus = new Promise<number>((res, rej) => {
          first.on("response", (m) => {
            m.resume();
            res(m.statusCode ?? 0);
          });
          first.on("error", rej);
        });
        first.write(body.subarray(0, 4));
        await new Promise((res) => setTimeout(res, 50));
        let secondDone = false;
        const second = fetch(`http://127.0.0.1:${port}/api/v1/read`, { method: "POST", body }).then((res) => {
          secondDone = true;
          return res.status;
        });
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(secondDone, !r.secondWaits);
        const gauge = (await registry.getSingleMetric("prometheus_remote_read_handler_queries")!.get())
          .values[0]!;
        assert.equal(gauge.value, r.secondWaits ? 2 : 1);
        first.end(body.subarray(4));
        assert.equal(await firstStatus, 200);
        assert.equal(await second, 200);
      } finally {
        server.closeAllConnections();
        await new Promise((res) => server.close(res));
      }
    });
  }
});
