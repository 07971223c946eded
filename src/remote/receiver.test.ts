import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { compressSync } from "snappy";
import { newLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { Matcher } from "../model/labels/matcher.ts";
import { ValueType } from "../storage/interface.ts";
import { DB } from "../tsdb/db.ts";
import { encodeWriteV1, encodeWriteV2 } from "./prompb.ts";
import { PROTO_V2, parseProtoMsg, remoteWriteHandler } from "./receiver.ts";

const quiet = newLogger({ write: () => {} });
const V2_TYPE = `application/x-protobuf;proto=${PROTO_V2}`;

function series(name: string, ts: number[], vs: number[], extra: string[] = []) {
  return { labels: Labels.fromStrings("__name__", name, ...extra), ts, vs };
}

describe("remote write receiver", () => {
  let dir: string;
  let db: DB;
  let server: Server;
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-recv-"));
    db = DB.open(dir, { logger: quiet });
    server = createServer(remoteWriteHandler({ appendable: db, logger: quiet, maxBodyBytes: 1 << 20 }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: Uint8Array, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy", ...headers },
    });

  function stored(name: string): [number, number][] {
    const q = db.querier(0, Number.MAX_SAFE_INTEGER);
    const set = q.select(false, undefined, Matcher.create("=", "__name__", name));
    const out: [number, number][] = [];
    while (set.next()) {
      const it = set.at().iterator();
      while (it.next() === ValueType.Float) out.push([it.atT(), it.atV()]);
    }
    q.close();
    return out;
  }

  // Order matters: later rows check that earlier rows' data survived.
  const table: {
    name: string;
    body: () => Uint8Array;
    headers?: Record<string, string>;
    status: number;
    text?: RegExp;
    written?: string;
    after?: () => void;
  }[] = [
    {
      name: "1.0 write",
      body: () => compressSync(encodeWriteV1([series("a", [1000, 2000], [1, 2])])),
      status: 204,
      after: () =>
        assert.deepEqual(stored("a"), [
          [1000, 1],
          [2000, 2],
        ]),
    },
    {
      name: "2.0 write sets the written headers",
      body: () => compressSync(encodeWriteV2([series("b", [1000], [7], ["job", "x"])])),
      headers: { "Content-Type": V2_TYPE },
      status: 204,
      written: "1",
      after: () => assert.deepEqual(stored("b"), [[1000, 7]]),
    },
    {
      name: "no content type means 1.0",
      body: () => compressSync(encodeWriteV1([series("c", [1000], [3])])),
      headers: { "Content-Type": "" },
      status: 204,
    },
    { name: "corrupt snappy", body: () => Buffer.from([0xff, 0xff, 0xff, 0x01, 2, 3]), status: 400 },
    { name: "wrong protobuf", body: () => compressSync(Buffer.from([0x0a, 0xff, 0x01, 0x02])), status: 400 },
    {
      name: "2.0 body sent as 1.0 is unreadable",
      body: () => compressSync(Buffer.from([0x22, 0x05, 0x61])),
      status: 400,
    },
    {
      name: "unsupported content type",
      body: () => compressSync(encodeWriteV1([])),
      headers: { "Content-Type": "application/json" },
      status: 415,
      text: /expected application\/x-protobuf as the first \(media\) part/,
    },
    {
      name: "unknown proto message",
      body: () => compressSync(encodeWriteV1([])),
      headers: { "Content-Type": "application/x-protobuf;proto=foo.Bar" },
      status: 415,
      text: /unknown remote write protobuf message foo.Bar/,
    },
    {
      name: "unsupported encoding",
      body: () => compressSync(encodeWriteV1([])),
      headers: { "Content-Encoding": "gzip" },
      status: 415,
      text: /gzip encoding \(compression\) is not accepted/,
    },
    {
      name: "1.0 out-of-order sample rolls the request back",
      body: () => compressSync(encodeWriteV1([series("d", [5000], [1]), series("a", [500], [9])])),
      status: 400,
      text: /out of order sample/,
      after: () => {
        assert.deepEqual(stored("d"), []);
        assert.deepEqual(stored("a"), [
          [1000, 1],
          [2000, 2],
        ]);
      },
    },
    {
      name: "2.0 out-of-order sample is a partial write",
      body: () => compressSync(encodeWriteV2([series("e", [5000], [1]), series("a", [500], [9])])),
      headers: { "Content-Type": V2_TYPE },
      status: 400,
      written: "1",
      text: /out of order sample for series \{__name__="a"\}/,
      after: () => {
        assert.deepEqual(stored("e"), [[5000, 1]]);
        assert.deepEqual(stored("a"), [
          [1000, 1],
          [2000, 2],
        ]);
      },
    },
    {
      name: "huge request",
      body: () => Buffer.alloc(2 << 20, 1),
      status: 413,
      after: () =>
        assert.deepEqual(stored("a"), [
          [1000, 1],
          [2000, 2],
        ]),
    },
    {
      name: "a decoded size beyond the limit is refused before decoding",
      body: () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
      status: 400,
    },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.status}`, async () => {
      const res = await post(row.body(), row.headers);
      const text = await res.text();
      assert.equal(res.status, row.status, text);
      if (row.text !== undefined) assert.match(text, row.text);
      if (row.written !== undefined) {
        assert.equal(res.headers.get("x-prometheus-remote-write-samples-written"), row.written);
      }
      row.after?.();
    });
  }
});

describe("parseProtoMsg", () => {
  const rows: [string | undefined, string | RegExp][] = [
    [undefined, "prometheus.WriteRequest"],
    ["application/x-protobuf", "prometheus.WriteRequest"],
    ["application/x-protobuf;proto=prometheus.WriteRequest", "prometheus.WriteRequest"],
    [`application/x-protobuf;proto=${PROTO_V2}`, PROTO_V2],
    ["application/x-protobuf;charset=utf-8", "prometheus.WriteRequest"],
    ["application/x-protobuf;broken", /expected parameters to be key-values/],
    ["text/plain", /expected application\/x-protobuf/],
  ];
  for (const [ct, want] of rows) {
    it(String(ct), () => {
      if (typeof want === "string") assert.equal(parseProtoMsg(ct), want);
      else assert.throws(() => parseProtoMsg(ct), want);
    });
  }
});
