import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { referenceBin, referenceSkip } from "./reference.ts";
import { waitFor } from "./wait.ts";

describe("waitFor", () => {
  it("resolves with the first defined value", async () => {
    let n = 0;
    assert.equal(await waitFor("three", () => (++n >= 3 ? n : undefined), 2000, 1), 3);
  });
  it("times out naming what it waited for", async () => {
    await assert.rejects(
      waitFor("never", () => undefined, 30, 5),
      /timed out waiting for never/,
    );
  });
});

describe("referenceBin", () => {
  it("points into .reference/bin and skip reasons name what is missing", () => {
    assert.match(referenceBin("amtool"), /\/\.reference\/bin\/amtool$/);
    const skip = referenceSkip("amtool");
    assert.ok(skip === false || skip.includes("amtool"));
  });
});
