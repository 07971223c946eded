/**
 * Renders the kustomizations of deploy/kubernetes for the tests: with
 * `kubectl kustomize` when kubectl is on the PATH, else with
 * {@link loadKustomization}, a loader for the subset of kustomize these
 * manifests use, so CI without kubectl still tests them.
 */
import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments, parse as parseYaml } from "yaml";

/** A Kubernetes object as rendered: plain JSON data. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** Kinds the namespace transformer leaves alone. */
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "PersistentVolume",
  "StorageClass",
  "CustomResourceDefinition",
]);

/** Parses a multi-document YAML stream into objects (empty documents skipped). */
export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** Whether `kubectl` runs here. */
export async function hasKubectl(): Promise<boolean> {
  try {
    await promisify(execFile)("kubectl", ["version", "--client"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** `kubectl kustomize <dir>`, parsed. */
export async function kubectlKustomize(dir: string): Promise<K8sObject[]> {
  const { stdout } = await promisify(execFile)("kubectl", ["kustomize", dir], {
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  return parseObjects(stdout);
}

/** Renders `dir` with kubectl when available, else with {@link loadKustomization}. */
export async function render(dir: string): Promise<K8sObject[]> {
  return (await hasKubectl()) ? kubectlKustomize(dir) : loadKustomization(dir);
}

interface Patch {
  readonly target: { readonly kind?: string; readonly name?: string };
  readonly patch: string;
}

interface Generator {
  readonly name: string;
  readonly files?: readonly string[];
  readonly options?: { readonly disableNameSuffixHash?: boolean };
}

interface Kustomization {
  readonly kind?: string;
  readonly namespace?: string;
  readonly labels?: readonly { readonly pairs: Readonly<Record<string, string>> }[];
  readonly resources?: readonly string[];
  readonly components?: readonly string[];
  readonly configMapGenerator?: readonly Generator[];
  readonly patches?: readonly Patch[];
}

const SUPPORTED = new Set([
  "apiVersion",
  "kind",
  "namespace",
  "labels",
  "resources",
  "components",
  "configMapGenerator",
  "patches",
]);

/**
 * Kustomize's subset used by deploy/kubernetes: `resources` (files and
 * directories), `components`, `namespace`, `labels` (metadata only),
 * `configMapGenerator` from files, and inline JSON 6902 `patches` whose
 * target is a kind and an anchored name regex. Generated ConfigMaps keep
 * their plain name (no content hash suffix). Any other field is an error,
 * so the loader never silently renders something kubectl would not.
 */
export function loadKustomization(dir: string): K8sObject[] {
  const k = parseYaml(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization;
  for (const key of Object.keys(k)) {
    if (!SUPPORTED.has(key))
      throw new Error(`${dir}/kustomization.yaml: field ${key} not supported by the loader`);
  }
  let objects: K8sObject[] = [];
  for (const res of k.resources ?? []) {
    const path = resolve(dir, res);
    objects.push(
      ...(statSync(path).isDirectory() ? loadKustomization(path) : parseObjects(readFileSync(path, "utf8"))),
    );
  }
  for (const gen of k.configMapGenerator ?? []) objects.push(configMap(dir, gen));
  for (const comp of k.components ?? []) objects = applyOverlay(resolve(dir, comp), objects);
  objects = applyPatches(k.patches ?? [], objects);
  return objects.map((o) => transform(o, k));
}

function applyOverlay(dir: string, objects: K8sObject[]): K8sObject[] {
  const k = parseYaml(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization;
  if (k.kind !== "Component") throw new Error(`${dir}: not a kustomize Component`);
  return applyPatches(k.patches ?? [], objects);
}

function configMap(dir: string, gen: Generator): K8sObject {
  const data: Record<string, string> = {};
  for (const file of gen.files ?? []) data[basename(file)] = readFileSync(resolve(dir, file), "utf8");
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: gen.name }, data };
}

function transform(o: K8sObject, k: Kustomization): K8sObject {
  const labels = Object.assign({}, o.metadata.labels, ...(k.labels ?? []).map((l) => l.pairs));
  const metadata = { ...o.metadata, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
  if (k.namespace !== undefined && !CLUSTER_SCOPED.has(o.kind)) metadata.namespace = k.namespace;
  return { ...o, metadata };
}

function applyPatches(patches: readonly Patch[], objects: K8sObject[]): K8sObject[] {
  return objects.map((o) => {
    let out = o;
    for (const p of patches) {
      const nameOk =
        p.target.name === undefined || new RegExp(`^(?:${p.target.name})$`).test(o.metadata.name);
      if ((p.target.kind === undefined || p.target.kind === o.kind) && nameOk) out = jsonPatch(out, p.patch);
    }
    return out;
  });
}

interface Op {
  readonly op: "add" | "remove" | "replace";
  readonly path: string;
  readonly value?: unknown;
}

/** Applies an RFC 6902 patch (add, remove, replace) given as YAML; returns a new object. */
export function jsonPatch<T>(doc: T, patchYaml: string): T {
  const out = structuredClone(doc) as unknown;
  for (const op of parseYaml(patchYaml) as Op[]) {
    const keys = op.path
      .split("/")
      .slice(1)
      .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop()!;
    let parent = out as Record<string, unknown>;
    for (const key of keys) {
      const next = parent[key];
      if (typeof next !== "object" || next === null) throw new Error(`json patch: path ${op.path} not found`);
      parent = next as Record<string, unknown>;
    }
    if (Array.isArray(parent)) {
      const at = last === "-" ? parent.length : Number(last);
      if (op.op === "remove") parent.splice(at, 1);
      else parent.splice(at, op.op === "replace" ? 1 : 0, op.value);
    } else if (op.op === "remove") {
      if (!(last in parent)) throw new Error(`json patch: path ${op.path} not found`);
      delete parent[last];
    } else {
      if (op.op === "replace" && !(last in parent)) throw new Error(`json patch: path ${op.path} not found`);
      parent[last] = op.value;
    }
  }
  return out as T;
}
