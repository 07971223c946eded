/**
 * Reading Grafana provisioning files: every `*.yaml`, `*.yml` and `*.json`
 * of a directory (JSON is YAML), parsed, with `$VAR`/`${VAR}` expanded from
 * the environment in every string value (`$$` is a literal `$`), as Grafana
 * does.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { isObject, type Json, type JsonObject } from "../model/json.ts";

/** A provisioning file that cannot be used; the message names the file. */
export class ProvisioningError extends Error {
  override readonly name = "ProvisioningError";
}

/**
 * `text` with `$VAR` and `${VAR}` replaced from `env` (unset: empty), `$$`
 * kept as `$`. Vigil extension: `${VAR:-default}` when unset or empty.
 */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, def?: string, bare?: string) => {
      if (whole === "$$") return "$";
      const value = env[(braced ?? bare)!];
      return value === undefined || value === "" ? (def ?? "") : value;
    },
  );
}

function expandAll(v: Json | undefined, env: Readonly<Record<string, string | undefined>>): Json | undefined {
  if (typeof v === "string") return expandEnv(v, env);
  if (Array.isArray(v)) return v.map((x) => expandAll(x, env) ?? null);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = expandAll(x, env);
  return out;
}

/** The config files of `dir` in name order; [] when the directory does not exist. */
export function configFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return names
    .filter((n) => /\.(ya?ml|json)$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** Parses one provisioning file into an object with environment variables expanded. */
export function readConfigFile(file: string, env: Readonly<Record<string, string | undefined>>): JsonObject {
  const text = readFileSync(file, "utf8");
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new ProvisioningError(`${file}: ${doc.errors[0]!.message}`);
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (!isObject(value)) throw new ProvisioningError(`${file}: expected a mapping at the top level`);
  const expanded = expandAll(value, env) as JsonObject;
  const apiVersion = expanded.apiVersion;
  if (apiVersion !== undefined && apiVersion !== 0 && apiVersion !== 1)
    throw new ProvisioningError(`${file}: unsupported apiVersion ${JSON.stringify(apiVersion)} (want 1)`);
  return expanded;
}
