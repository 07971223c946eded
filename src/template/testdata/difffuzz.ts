/**
 * Differential fuzzing against amtool (run by hand with the reference present):
 *
 *   SEED=5 N=500 [HTML=1] ./node_modules/.bin/node src/template/testdata/difffuzz.ts
 *
 * Mutates the amtool corpus, renders each mutant with `amtool template render` and with
 * Vigil, prints every difference and the number of identical results.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { AlertmanagerTemplates } from "../alertmanager.ts";
import { dataFromJSON } from "../amdata.ts";
const dir = new URL("./", import.meta.url).pathname;
const html = process.env.HTML === "1";
const corpus = (JSON.parse(readFileSync(dir + "amtool-corpus.json", "utf8")) as { text: string; name: string }[]).filter((c) => !c.name.includes("batch")).map((c) => c.text);
const data = dataFromJSON(JSON.parse(readFileSync(dir + "amtool-data.json", "utf8")));
const t = await AlertmanagerTemplates.fromGlobs([dir + "fixture.tmpl"]);
let x = Number(process.env.SEED ?? 99);
const r = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000; };
const TOKENS = ["{{", "}}", "{{-", " -}}", " ", "|", "(", ")", "$", "$x", ":=", "=", ".", ".Alerts", '"', "`", "x", "1", "-1", "1.5", "range", "end", "if", "else", "with", "define", "template", "break", "nil", "true", "printf", "index", "len", "eq", "and", "%", "%d", "\n", "é", ","];
function mutate(s: string): string {
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.5) s = s.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + s.slice(at);
    else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 3));
    else s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(r() * 95)) + s.slice(at + 1);
  }
  return s;
}
let same = 0; let n = 0;
for (let i = 0; i < Number(process.env.N ?? 400); i++) {
  const text = mutate(corpus[Math.floor(r() * corpus.length)]);
  if (text.includes("\0")) continue;
  const res = spawnSync(dir + "../../../.reference/bin/amtool", ["template", "render", `--template.glob=${dir}fixture.tmpl`, `--template.data=${dir}amtool-data.json`, `--template.text=${text}`, `--template.type=${html ? "html" : "text"}`], { encoding: "utf8" });
  const want = res.status === 0 ? res.stdout : "ERR " + res.stderr.replace(/^amtool: error: /, "").replace(/\n+$/, "");
  let got: string;
  try { got = html ? await t.executeHTML(text, data) : await t.executeText(text, data); } catch (e) { got = "ERR " + (e as Error).message; }
  n++;
  if (want === got) { same++; continue; }
  console.log(`--- ${JSON.stringify(text)}\n want ${JSON.stringify(want).slice(0, 400)}\n got  ${JSON.stringify(got).slice(0, 400)}`);
}
console.log(`${same}/${n}`);
