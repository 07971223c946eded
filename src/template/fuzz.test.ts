/**
 * Bounded fuzzing of the parser and executor with mutated templates: any outcome but
 * a TemplateError (a crash in the engine) fails, and limits keep every run short.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { alertmanagerFuncs } from "./alertmanager.ts";
import { dataFromJSON } from "./amdata.ts";
import { TemplateError } from "./errors.ts";
import { Template } from "./template.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;
const ITERATIONS = 1500;

/** xorshift32: a deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const TOKENS = [
  "{{",
  "}}",
  "{{-",
  " -}}",
  " ",
  "|",
  "(",
  ")",
  "$",
  "$x",
  ":=",
  "=",
  ".",
  ".Alerts",
  '"',
  "`",
  "'",
  "x",
  "1",
  "-1",
  "1.5",
  "0x1",
  "range",
  "end",
  "if",
  "else",
  "with",
  "define",
  "template",
  "block",
  "break",
  "continue",
  "nil",
  "true",
  "printf",
  "index",
  "len",
  "eq",
  "and",
  "%",
  "%d",
  "\n",
  "é",
  "/*",
  "*/",
  ",",
  "\\",
];

function mutate(text: string, r: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.4) s = s.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + s.slice(at);
    else if (op < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 5));
    else s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(r() * 95)) + s.slice(at + 1);
  }
  return s;
}

test("mutated templates never crash the engine", async () => {
  const corpus = (JSON.parse(readFileSync(`${dir}amtool-corpus.json`, "utf8")) as { text: string }[]).map(
    (c) => c.text,
  );
  const data = dataFromJSON(JSON.parse(readFileSync(`${dir}amtool-data.json`, "utf8")));
  const funcs = alertmanagerFuncs({ now: () => 0 });
  const r = rng(0x5eed);
  const outcomes = { parsed: 0, executed: 0, parseErrors: 0, execErrors: 0 };
  const started = Date.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const base = corpus[Math.floor(r() * corpus.length)];
    const text =
      r() < 0.1
        ? Array.from({ length: 20 }, () => TOKENS[Math.floor(r() * TOKENS.length)]).join("")
        : mutate(base, r);
    let t: Template;
    try {
      t = Template.new("fuzz", { limits: { maxSteps: 20_000, maxOutput: 200_000, maxDepth: 100 } })
        .funcs(funcs)
        .option("missingkey=zero")
        .parse(text);
      outcomes.parsed++;
    } catch (err) {
      assert.ok(
        err instanceof TemplateError,
        `parse crash on ${JSON.stringify(text)}: ${(err as Error).stack}`,
      );
      outcomes.parseErrors++;
      continue;
    }
    try {
      const out = await t.execute(data);
      assert.equal(typeof out, "string");
      outcomes.executed++;
    } catch (err) {
      assert.ok(
        err instanceof TemplateError,
        `exec crash on ${JSON.stringify(text)}: ${(err as Error).stack}`,
      );
      outcomes.execErrors++;
    }
  }
  console.log(`fuzz: ${ITERATIONS} inputs in ${Date.now() - started} ms`, outcomes);
  assert.ok(outcomes.parsed > 100 && outcomes.parseErrors > 100, "both outcomes exercised");
});

test("random bytes never crash the lexer and parser", () => {
  const r = rng(42);
  for (let i = 0; i < 2000; i++) {
    const text = Array.from({ length: Math.floor(r() * 40) }, () =>
      String.fromCharCode(Math.floor(r() * 128)),
    ).join("");
    try {
      Template.new("b").parse(`{{${text}}}`);
    } catch (err) {
      assert.ok(err instanceof TemplateError, `crash on ${JSON.stringify(text)}: ${(err as Error).stack}`);
    }
  }
});
