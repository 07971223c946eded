import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Registry } from "prom-client";
import { MemMarker } from "../marker/marker.ts";
import { fingerprint } from "../types/types.ts";
import { Silencer } from "./silencer.ts";
import { InvalidSilenceError, SilenceNotFoundError, Silences } from "./silences.ts";
import type { Silence } from "./types.ts";

const T = Date.parse("2026-01-01T00:00:00Z");
const H = 3_600_000;

function sil(over: Partial<Silence> = {}): Silence {
  return {
    id: "",
    matchers: [{ type: "=", name: "job", pattern: "x" }],
    startsAt: T,
    endsAt: T + H,
    updatedAt: 0,
    createdBy: "me",
    comment: "c",
    ...over,
  };
}

describe("silence validation", () => {
  const cases: [string, Partial<Silence>, string][] = [
    ["no matchers", { matchers: [] }, "invalid silence: at least one matcher set required"],
    [
      "bad name",
      { matchers: [{ type: "=", name: "", pattern: "x" }] },
      'invalid silence: invalid label matcher 0 in set 0: invalid label name ""',
    ],
    [
      "bad regex",
      { matchers: [{ type: "=~", name: "a", pattern: "(" }] },
      'invalid silence: invalid label matcher 0 in set 0: invalid regular expression "(": error parsing regexp: missing closing ): `(`',
    ],
    [
      "all match empty",
      {
        matchers: [
          { type: "=~", name: "a", pattern: "x*" },
          { type: "=", name: "b", pattern: "" },
        ],
      },
      "invalid silence: matcher set 0: at least one matcher must not match the empty string",
    ],
    ["end before start", { endsAt: T - 1 }, "invalid silence: end time must not be before start time"],
    ["no end", { endsAt: 0 }, "invalid silence: invalid zero end timestamp"],
  ];
  for (const [name, over, want] of cases) {
    it(name, () => {
      const s = new Silences({ now: () => T });
      assert.throws(
        () => s.set(sil(over)),
        (e: Error) => e instanceof InvalidSilenceError && e.message === want,
      );
    });
  }
});

describe("Silences", () => {
  it("creates, updates in place, replaces on matcher change, expires", () => {
    let now = T;
    const s = new Silences({ now: () => now });
    const id = s.set(sil());
    assert.equal(s.version, 1);
    now = T + 1000;
    // Same matchers, same start, later end: updated in place.
    assert.equal(s.set({ ...s.query({ ids: [id] })[0]!, endsAt: T + 2 * H }), id);
    assert.equal(s.query({ ids: [id] })[0]!.endsAt, T + 2 * H);
    // Changed matchers: new ID, old expired now.
    const id2 = s.set({
      ...s.query({ ids: [id] })[0]!,
      matchers: [{ type: "=", name: "job", pattern: "y" }],
    });
    assert.notEqual(id2, id);
    assert.equal(s.query({ ids: [id] })[0]!.endsAt, now);
    assert.equal(s.query({ ids: [id2] })[0]!.startsAt, now, "a replacement never starts in the past");
    assert.equal(s.version, 2);
    now += 1;
    assert.deepEqual(
      s.query({ states: ["expired"] }).map((x) => x.id),
      [id],
    );
    s.expire(id2);
    s.expire(id2); // idempotent
    now += 1;
    assert.equal(s.countState("expired"), 2);
    assert.throws(() => s.expire("nope"), SilenceNotFoundError);
    assert.throws(
      () => s.set(sil({ id: "nope" })),
      (e: Error) => e.message === "silence not found",
    );
  });

  it("expiring a pending silence makes it start and end now", () => {
    const s = new Silences({ now: () => T });
    const id = s.set(sil({ startsAt: T + H, endsAt: T + 2 * H }));
    assert.equal(s.query({ states: ["pending"] }).length, 1);
    s.expire(id);
    const x = s.query({ ids: [id] })[0]!;
    assert.equal(x.startsAt, T);
    assert.equal(x.endsAt, T);
  });

  it("queries by matching label set", () => {
    const s = new Silences({ now: () => T });
    const a = s.set(sil({ matchers: [{ type: "=~", name: "job", pattern: "x|y" }] }));
    s.set(sil({ matchers: [{ type: "!=", name: "job", pattern: "x" }] }));
    assert.deepEqual(
      s.query({ matches: { job: "x" } }).map((x) => x.id),
      [a],
    );
  });

  it("gc drops silences ended longer than the retention ago", () => {
    let now = T;
    const s = new Silences({ now: () => now, retention: H });
    s.set(sil());
    now = T + 2 * H - 1;
    assert.equal(s.gc(), 0);
    now = T + 2 * H;
    assert.equal(s.gc(), 1);
    assert.equal(s.query().length, 0);
  });

  const dir = mkdtempSync(join(tmpdir(), "vigil-sil-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("snapshots and loads its state; refuses foreign files", async () => {
    const reg = new Registry();
    const s = new Silences({ now: () => T, registry: reg });
    const id = s.set(sil({ annotations: { k: "v" } }));
    const file = join(dir, "silences");
    const size = await s.maintenance(file);
    assert.equal(size, readFileSync(file).length);
    const t = new Silences({ now: () => T });
    await t.loadSnapshot(file);
    assert.deepEqual(t.query(), s.query());
    assert.equal(t.query({ ids: [id] })[0]!.annotations!.k, "v");
    await t.loadSnapshot(join(dir, "missing"));
    assert.equal(t.query().length, 1, "a missing file keeps the state");
    writeFileSync(join(dir, "proto"), Buffer.from([0x0a, 0x02, 0x08, 0x01]));
    await assert.rejects(t.loadSnapshot(join(dir, "proto")), /invalid silences snapshot/);
    const text = await reg.metrics();
    assert.match(text, /alertmanager_silences\{state="active"\} 1/);
    assert.match(text, /alertmanager_silences_snapshot_size_bytes \d+/);
    assert.match(text, /alertmanager_silences_maintenance_total 1/);
  });
});

describe("Silencer", () => {
  it("marks alerts silenced, pending and unsilenced, re-checking after changes", () => {
    let now = T;
    const s = new Silences({ now: () => now });
    const m = new MemMarker();
    const silencer = new Silencer(s, m);
    const ls = { job: "x" };
    const fp = fingerprint(ls);
    assert.equal(silencer.mutes(ls), false);
    const pending = s.set(sil({ startsAt: T + 10, endsAt: T + H }));
    assert.equal(silencer.mutes(ls), false);
    assert.deepEqual(m.silenced(fp).pendingIDs, [pending]);
    now = T + 20;
    assert.equal(silencer.mutes(ls), true, "the recorded pending silence became active");
    assert.deepEqual(m.status(fp).silencedBy, [pending]);
    s.expire(pending);
    now += 1;
    assert.equal(silencer.mutes(ls), false);
    assert.equal(m.status(fp).state, "active");
    assert.equal(silencer.mutes({ job: "other" }), false);
  });
});
