/**
 * The configs the manifests ship (prometheus.yml, rules, alertmanager.yml),
 * taken from the rendered ConfigMaps, pass upstream's promtool/amtool
 * (`.reference/bin`, when installed) and `vigil check`.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { main } from "../src/cli/main.ts";
import { sdMechanismByKey } from "../src/discovery/discovery.ts";
import "../src/discovery/all.ts";
import { render } from "./kustomize.ts";

const REF = join(import.meta.dirname, "..", ".reference", "bin");
const objects = await render(join(import.meta.dirname, "kubernetes", "base"));
const dir = mkdtempSync(join(tmpdir(), "vigil-deploy-configs-"));

/** Writes every key of the ConfigMap to `dir`; returns the paths. */
function writeConfigMap(name: string): string[] {
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === name);
  assert.ok(cm, `ConfigMap ${name}`);
  return Object.entries(cm.data as Record<string, string>).map(([key, text]) => {
    writeFileSync(join(dir, key), text);
    return join(dir, key);
  });
}

const [prometheusYml] = writeConfigMap("vigil-server-config");
const rules = writeConfigMap("vigil-rules");
const [alertmanagerYml] = writeConfigMap("vigil-alertmanager-config");

async function vigil(...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const sink = {
    write: (s: string) => {
      out += s;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  const code = await main(args, { stdout: sink, stderr: sink });
  return { code, out };
}

const TOOLS: { name: string; tool: string; args: () => string[]; vigil: () => string[]; want: RegExp }[] = [
  {
    name: "prometheus.yml",
    tool: "promtool",
    args: () => ["check", "config", "--syntax-only", prometheusYml!],
    vigil: () => ["check", "config", "--syntax-only", prometheusYml!],
    want: /SUCCESS/,
  },
  {
    name: "rules",
    tool: "promtool",
    args: () => ["check", "rules", ...rules],
    vigil: () => ["check", "rules", ...rules],
    want: /SUCCESS: 41 rules found/,
  },
  {
    name: "alertmanager.yml",
    tool: "amtool",
    args: () => ["check-config", alertmanagerYml!],
    vigil: () => ["check", "alertmanager-config", alertmanagerYml!],
    want: /SUCCESS/,
  },
];

for (const t of TOOLS) {
  test(`${t.name} passes ${t.tool}`, { skip: !existsSync(join(REF, t.tool)) && `no ${t.tool}` }, async () => {
    const { stdout, stderr } = await promisify(execFile)(join(REF, t.tool), t.args(), { timeout: 30_000 });
    assert.match(stdout + stderr, t.want);
  });
  const pendingSd = t.name === "prometheus.yml" && sdMechanismByKey("kubernetes_sd_configs") === undefined;
  test(`${t.name} passes vigil ${t.vigil()[0]}`, {
    skip: pendingSd && "kubernetes_sd_configs not registered",
  }, async () => {
    const { code, out } = await vigil(...t.vigil());
    assert.equal(code, 0, out);
    assert.match(out, t.want);
  });
}
