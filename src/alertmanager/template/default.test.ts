import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dataFromJSON } from "../../template/amdata.ts";
import { BUILTIN_TEMPLATES, loadTemplates } from "./load.ts";
import { urlFilterNormalize } from "./urlescape.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;

interface Golden {
  readonly data: string;
  readonly name: string;
  readonly arg: string;
  readonly type: "text" | "html";
  readonly output: string;
}

const goldens = JSON.parse(readFileSync(`${dir}golden.json`, "utf8")) as Golden[];

test("every upstream default template renders as the reference amtool renders it", async () => {
  const templates = await loadTemplates([]);
  const failures: string[] = [];
  for (const g of goldens) {
    const data = dataFromJSON(JSON.parse(readFileSync(dir + g.data, "utf8")));
    const text = `{{ template "${g.name}" ${g.arg} }}`;
    let got: string;
    try {
      got =
        g.type === "html" ? await templates.executeHTML(text, data) : await templates.executeText(text, data);
    } catch (e) {
      got = `error: ${(e as Error).message}`;
    }
    if (got !== g.output)
      failures.push(
        `${g.name} (${g.type}, ${g.data}):\nwant ${JSON.stringify(g.output)}\ngot  ${JSON.stringify(got)}`,
      );
  }
  assert.ok(goldens.length > 150, "goldens present");
  assert.deepEqual(failures, []);
});

test("the built-in templates define every name upstream defines", async () => {
  const templates = await loadTemplates([]);
  const names = new Set(templates.templateNames());
  for (const g of goldens) assert.ok(names.has(g.name), g.name);
  assert.ok(!BUILTIN_TEMPLATES.includes("<!--"), "no HTML comment: html/template drops them");
});

test("a user template redefines a built-in one", async () => {
  const templates = await loadTemplates([`${dir}override.tmpl`]);
  const data = dataFromJSON(JSON.parse(readFileSync(`${dir}data-resolved.json`, "utf8")));
  assert.equal(
    await templates.executeText('{{ template "slack.default.title" . }}', data),
    "custom resolved",
  );
  assert.equal(await templates.executeText('{{ template "__alertmanager" . }}', data), "Alertmanager");
});

test("the URL normaliser matches html/template's", () => {
  const cases: [string, string][] = [
    ["http://a/b?c=d&e=f#g", "http://a/b?c=d&e=f#g"],
    ["javascript:alert(1)", "#ZgotmplZ"],
    ["MAILTO:x@y", "MAILTO:x@y"],
    ["/rel:ative", "/rel:ative"],
    ["a b/%41%4", "a%20b/%41%254"],
    ["x%41", "x%41"],
    ["é'()", "%c3%a9%27%28%29"],
  ];
  for (const [input, normalized] of cases) assert.equal(urlFilterNormalize(input), normalized, input);
});
