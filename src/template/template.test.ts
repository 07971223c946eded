import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { TemplateError } from "./errors.ts";
import { goFunc } from "./funcs.ts";
import { Template } from "./template.ts";

test("parse, lookup, templates and definedTemplates", async () => {
  const t = Template.new("root").parse('{{define "a"}}A{{end}}{{define "b"}}B{{.}}{{end}}root');
  assert.equal(t.name, "root");
  assert.equal(t.lookup("a")?.name, "a");
  assert.equal(t.lookup("zzz"), undefined);
  assert.deepEqual(
    t.templates().map((x) => x.name),
    ["a", "b", "root"],
  );
  assert.equal(t.definedTemplates(), '; defined templates are: "a", "b", "root"');
  assert.equal(Template.new("empty").definedTemplates(), "");
  assert.equal(await t.execute(null), "root");
  assert.equal(await t.executeTemplate("b", 1n), "B1");
  await assert.rejects(t.executeTemplate("nope", null), {
    message: 'template: no template "nope" associated with template "root"',
  });
});

test("redefinition replaces, empty redefinition does not", async () => {
  const t = Template.new("r").parse('{{define "a"}}1{{end}}{{template "a"}}');
  t.new("other").parse('{{define "a"}}2{{end}}');
  assert.equal(await t.execute(null), "2");
  t.new("x").parse('{{define "a"}}  {{end}}');
  assert.equal(await t.execute(null), "2");
});

test("clone isolates later definitions and resets missingkey", async () => {
  const base = Template.new("").option("missingkey=error").parse('{{define "a"}}base{{end}}');
  const c = base.clone();
  c.new("x").parse('{{define "a"}}clone{{end}}');
  assert.equal(await base.executeTemplate("a", null), "base");
  assert.equal(await c.executeTemplate("a", null), "clone");
  assert.equal(c.missingKey, "invalid");
  assert.equal(base.missingKey, "error");
});

test("options and function names are validated", () => {
  assert.throws(() => Template.new("t").option("missingkey=bogus"), {
    message: "unrecognized option: missingkey=bogus",
  });
  assert.throws(() => Template.new("t").option(""), { message: "empty option string" });
  assert.throws(() => Template.new("t").funcs({ "bad-name": () => 1 }), TemplateError);
  assert.throws(() => Template.new("t").parse("{{ nofunc }}"), {
    name: "TemplateError",
    message: 'template: t:1: function "nofunc" not defined',
  });
});

test("user functions shadow builtins; plain functions are variadic", async () => {
  const t = Template.new("f").funcs({
    len: goFunc(["interface {}"], () => "mine"),
    join: (...a: never[]) => (a as unknown[]).join("+"),
  });
  assert.equal(await t.parse('{{len 1}} {{join 1 "a" 2.5}}').execute(null), "mine 1+a+2.5");
});

test("delims", async () => {
  const t = Template.new("d").delims("[[", "]]").parse("[[ .a ]] {{ .a }}");
  assert.equal(await t.execute({ a: 1n }), "1 {{ .a }}");
});

test("executing an unparsed template fails like Go", async () => {
  const t = Template.new("root");
  await assert.rejects(t.execute(null), {
    message: 'template: root: "root" is an incomplete or empty template',
  });
});

test("parseFiles and parseGlob name templates by base name", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-tmpl-"));
  try {
    writeFileSync(join(dir, "a.tmpl"), '{{define "x"}}X{{end}}A{{template "x"}}');
    writeFileSync(join(dir, "b.tmpl"), "B{{.}}");
    const t = Template.new("root");
    await t.parseGlob(join(dir, "*.tmpl"));
    assert.equal(await t.executeTemplate("a.tmpl", null), "AX");
    assert.equal(await t.executeTemplate("b.tmpl", 2n), "B2");
    await assert.rejects(t.parseGlob(join(dir, "*.none")), /pattern matches no files/);
    writeFileSync(join(dir, "bad.tmpl"), "{{ end }}");
    await assert.rejects(t.parseFiles(join(dir, "bad.tmpl")), {
      message: "template: bad.tmpl:1: unexpected {{end}}",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
