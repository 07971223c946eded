/**
 * Differential tests against Go: outputs recorded from the reference binaries by
 * `testdata/gen.ts` (amtool template render, promtool test rules, promtool check
 * rules) must be reproduced exactly.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { AlertmanagerTemplates } from "./alertmanager.ts";
import { dataFromJSON } from "./amdata.ts";
import { ALERT_TEMPLATE_DEFS, checkTemplate, expandTemplate, type QueryFunc } from "./prometheus.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;
const load = (name: string) => JSON.parse(readFileSync(dir + name, "utf8"));

interface AmCase {
  readonly name: string;
  readonly text: string;
  readonly type: "text" | "html";
  readonly output?: string;
  readonly error?: string;
}

test("amtool template render goldens", async () => {
  const golden = load("amtool-golden.json") as AmCase[];
  const data = dataFromJSON(load("amtool-data.json"));
  const tmpl = await AlertmanagerTemplates.fromGlobs([`${dir}fixture.tmpl`]);
  const failures: string[] = [];
  for (const c of golden) {
    let got: { output?: string; error?: string };
    try {
      got = {
        output:
          c.type === "html" ? await tmpl.executeHTML(c.text, data) : await tmpl.executeText(c.text, data),
      };
    } catch (err) {
      got = { error: (err as Error).message };
    }
    const want = c.error === undefined ? { output: c.output } : { error: c.error };
    if (JSON.stringify(got) !== JSON.stringify(want))
      failures.push(`${c.name}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  console.log(`amtool goldens: ${golden.length - failures.length}/${golden.length} templates match`);
  assert.ok(golden.length >= 150, "corpus present");
  assert.deepEqual(failures, []);
});

const A = { job: "node", instance: "host-a.example.com:9100" };
const B = { job: "node", instance: "host-b.example.com:9100" };
const RESULTS: Record<string, { labels: Record<string, string>; value: number }[]> = {
  up: [
    { labels: { __name__: "up", ...B }, value: 1 },
    { labels: { __name__: "up", ...A }, value: 0 },
  ],
  node_load1: [{ labels: { __name__: "node_load1", ...A }, value: 1.5 }],
  "up{instance='host-a.example.com:9100'}": [{ labels: { __name__: "up", ...A }, value: 0 }],
  "sum(up)": [{ labels: {}, value: 1 }],
  nonexistent_metric: [],
};

/** The vector promtool's engine returned at t=5m for the corpus' queries (see gen.ts input series). */
const fakeQuery: QueryFunc = async (q, ts) => {
  assert.equal(ts, 300_000);
  if (q === "up{") throw new Error("1:4: parse error: unexpected end of input inside braces");
  const r = RESULTS[q];
  if (r === undefined) throw new Error(`unexpected query ${q}`);
  return r;
};

test("promtool test rules goldens (alert annotations)", async () => {
  const golden = load("promtool-golden.json") as { name: string; text: string; outputs: string[] }[];
  const failures: string[] = [];
  let total = 0;
  for (const [i, c] of golden.entries()) {
    for (const [k, labels] of [A, B].entries()) {
      total++;
      let out: string;
      try {
        out = await expandTemplate(ALERT_TEMPLATE_DEFS + c.text, {
          name: `__alert_A${i}`,
          data: { labels, externalLabels: {}, externalURL: "", value: k === 0 ? 1234.5678 : 1235.5678 },
          timestampMs: 300_000,
          query: fakeQuery,
          externalURL: null,
        });
      } catch (err) {
        out = `<error expanding template: ${(err as Error).message}>`;
      }
      if (out !== c.outputs[k])
        failures.push(`${c.name}[${k}]: want ${JSON.stringify(c.outputs[k])} got ${JSON.stringify(out)}`);
    }
  }
  console.log(`promtool goldens: ${total - failures.length}/${total} annotations match`);
  assert.ok(total >= 70);
  assert.deepEqual(failures, []);
});

test("promtool check rules goldens (template parse errors)", () => {
  const golden = load("promtool-check-golden.json") as { name: string; text: string; error: string | null }[];
  const failures: string[] = [];
  for (const c of golden) {
    let err: string | null = null;
    try {
      checkTemplate(ALERT_TEMPLATE_DEFS + c.text, "__alert_Check");
    } catch (e) {
      err = (e as Error).message;
    }
    if (err !== c.error) failures.push(`${c.name}: want ${c.error} got ${err}`);
  }
  console.log(`promtool check goldens: ${golden.length - failures.length}/${golden.length} match`);
  assert.deepEqual(failures, []);
});
