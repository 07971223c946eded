/**
 * Regenerates golden.json from the reference (run by hand):
 *
 *   ./node_modules/.bin/node src/alertmanager/template/testdata/gen.ts
 *
 * Renders every template upstream's `default.tmpl` and `email.tmpl` define
 * (the Debian package's copies of Alertmanager 0.33.1's files, which its
 * `amtool` does not load by itself) with `amtool template render`, once per
 * `data-*.json`: as text, and `email.default.*` also as HTML.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const amtool = join(here, "../../../../.reference/bin/amtool");
const upstream = "/usr/share/prometheus/alertmanager";
const files = [join(upstream, "default.tmpl"), join(upstream, "email.tmpl")];

const names = files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/define "([^"]+)"/g)].map((m) => m[1]));
const datasets = readdirSync(here).filter((f) => /^data-.*\.json$/.test(f));

/** Templates that render a list of alerts rather than the whole data. */
const LIST_TEMPLATES = new Set(["__text_alert_list", "__text_alert_list_markdown", "pagerduty.default.instances"]);

const out = [];
for (const data of datasets) {
  for (const name of names) {
    // email.default.html is only ever rendered as HTML; the subject both ways.
    const types = name === "email.default.html" ? ["html"] : name.startsWith("email.") ? ["text", "html"] : ["text"];
    // The alert-list templates render a list of alerts, the others the whole data.
    const arg = LIST_TEMPLATES.has(name) ? ".Alerts" : ".";
    for (const type of types) {
      const r = spawnSync(
        amtool,
        [
          "template",
          "render",
          ...files.map((f) => `--template.glob=${f}`),
          `--template.data=${join(here, data)}`,
          `--template.type=${type}`,
          `--template.text={{ template "${name}" ${arg} }}`,
        ],
        { encoding: "utf8", env: { ...process.env, TZ: "UTC" } },
      );
      if (r.status !== 0) throw new Error(`${name} on ${data}: ${r.stderr}`);
      out.push({ data, name, arg, type, output: r.stdout });
    }
  }
}
writeFileSync(join(here, "golden.json"), `${JSON.stringify(out, null, 1)}\n`);
console.log(`${out.length} renderings of ${names.length} templates`);
