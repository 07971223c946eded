import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultRunOptions, runScript } from "./run.ts";

test("a script end to end: pass, fail, skip", async () => {
  const r = await runScript(
    `load 1m
  a{job="x"} 1 2 3
  h {{count:1}} {{count:2}}

eval instant at 1m a
  a{job="x"} 2

eval range from 0 to 2m step 1m a
  a{job="x"} 1 2 3

# Wrong value.
eval instant at 2m a
  a{job="x"} 4

# Touches a histogram series: skipped.
eval instant at 1m h

clear

# After clear, nothing is there.
eval instant at 1m a
`,
    "t.test",
  );
  assert.equal(r.error, null);
  assert.deepEqual(
    r.evals.map((e) => [e.line, e.status]),
    [
      [5, "pass"],
      [8, "pass"],
      [12, "fail"],
      [16, "skip"],
      [21, "pass"],
    ],
  );
  assert.deepEqual([r.passed, r.failed, r.skipped], [3, 1, 1]);
  assert.match(r.evals[2]!.reason, /expected 4 for \{__name__="a", job="x"\} but got 3/);
});

test("an unparsable query invalidates the file unless keepGoing", async () => {
  const script = "load 1m\n  a 1\n\neval instant at 0 a\n  a 1\n\neval instant at 0 sum(\n";
  const strict = await runScript(script, "p.test");
  assert.match(strict.error!, /invalid: p\.test:7: 1:5: parse error/);
  assert.deepEqual([strict.passed, strict.failed], [0, 2]);
  const lenient = await runScript(script, "p.test", { ...defaultRunOptions(), keepGoing: true });
  assert.deepEqual([lenient.passed, lenient.failed], [1, 1]);
});

test("script errors and failed loads", async () => {
  const bad = await runScript("eval instant at 0 a\n\nbogus\n", "b.test");
  assert.match(bad.error!, /b\.test:3: invalid command/);
  assert.equal(bad.failed, 1);

  const ooo = await runScript("load 1m\n  a 1 2\n\nload 1m\n  a 5\n\neval instant at 0 a\n  a 1\n", "o.test");
  assert.match(ooo.error!, /o\.test:4: load failed/);
  assert.deepEqual([ooo.passed, ooo.failed], [0, 1]);
});
