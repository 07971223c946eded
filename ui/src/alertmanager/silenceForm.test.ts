import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Silence } from "./api.ts";
import type { Matcher } from "./matchers.ts";
import {
  formFromSilence,
  matchesEmpty,
  newForm,
  validate,
  withDuration,
  withEnd,
  withStart,
} from "./silenceForm.ts";

const NOW = Date.parse("2026-01-02T03:00:00.000Z");
const M: Matcher = { name: "alertname", op: "=", value: "Foo" };

describe("silence form", () => {
  it("starts now for two hours with one empty matcher row", () => {
    const f = newForm(NOW, []);
    assert.equal(f.startsAt, "2026-01-02T03:00:00.000Z");
    assert.equal(f.endsAt, "2026-01-02T05:00:00.000Z");
    assert.equal(f.duration, "2h");
    assert.deepEqual(f.matchers, [{ name: "", op: "=", value: "" }]);
  });

  it("keeps start, duration and end consistent", () => {
    let f = newForm(NOW, [M]);
    f = withDuration(f, "1d2h");
    assert.equal(f.endsAt, "2026-01-03T05:00:00.000Z");
    f = withStart(f, "2026-01-02T04:00:00Z");
    assert.equal(f.endsAt, "2026-01-03T06:00:00.000Z");
    f = withEnd(f, "2026-01-02T04:30:00Z");
    assert.equal(f.duration, "30m");
    // Unparsable input is kept as typed and moves nothing.
    const g = withDuration(f, "soon");
    assert.equal(g.duration, "soon");
    assert.equal(g.endsAt, f.endsAt);
  });

  it("validates into the API's postable silence", () => {
    const f = {
      ...newForm(NOW, [M, { name: " ", op: "=", value: "" } as Matcher]),
      createdBy: " me ",
      comment: "c",
    };
    assert.deepEqual(validate(f), {
      ok: true,
      silence: {
        matchers: [{ name: "alertname", value: "Foo", isRegex: false, isEqual: true }],
        startsAt: "2026-01-02T03:00:00.000Z",
        endsAt: "2026-01-02T05:00:00.000Z",
        createdBy: "me",
        comment: "c",
      },
    });
  });

  it("names every invalid field", () => {
    const f = { ...newForm(NOW, []), endsAt: "2026-01-01T00:00:00Z", duration: "x" };
    assert.deepEqual(validate(f), {
      ok: false,
      errors: {
        matchers: "am.form.errMatchers",
        endsAt: "am.form.errEndBeforeStart",
        duration: "am.form.errDuration",
        createdBy: "am.form.errRequired",
        comment: "am.form.errRequired",
      },
    });
    const all = { ...newForm(NOW, [{ name: "a", op: "=~", value: ".*" }]), createdBy: "me", comment: "c" };
    assert.deepEqual(validate(all), { ok: false, errors: { matchers: "am.form.errMatchesAll" } });
  });

  const empty: [Matcher, boolean][] = [
    [{ name: "a", op: "=", value: "" }, true],
    [{ name: "a", op: "=", value: "x" }, false],
    [{ name: "a", op: "!=", value: "x" }, true],
    [{ name: "a", op: "!=", value: "" }, false],
    [{ name: "a", op: "=~", value: "x|" }, true],
    [{ name: "a", op: "=~", value: "x+" }, false],
    [{ name: "a", op: "!~", value: "x+" }, true],
    [{ name: "a", op: "!~", value: ".*" }, false],
  ];
  for (const [m, want] of empty) {
    it(`${m.name}${m.op}"${m.value}" matches the empty value: ${want}`, () =>
      assert.equal(matchesEmpty(m), want));
  }

  it("edits an active silence and recreates an expired one", () => {
    const s: Silence = {
      id: "abc",
      status: { state: "active" },
      updatedAt: "",
      matchers: [{ name: "job", value: "n.*", isRegex: true, isEqual: false }],
      startsAt: "2026-01-02T01:00:00.000Z",
      endsAt: "2026-01-02T04:00:00.000Z",
      createdBy: "me",
      comment: "why",
    };
    const edit = formFromSilence(s, NOW);
    assert.equal(edit.id, "abc");
    assert.equal(edit.duration, "3h");
    assert.deepEqual(edit.matchers, [{ name: "job", op: "!~", value: "n.*" }]);
    const again = formFromSilence({ ...s, status: { state: "expired" } }, NOW);
    assert.equal(again.id, undefined);
    assert.equal(again.startsAt, "2026-01-02T03:00:00.000Z");
    assert.equal(again.comment, "why");
  });
});
