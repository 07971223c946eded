/** Test helpers: the shared Kubernetes fixtures as objects, and a store filled from them. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { KubeObject } from "./common.ts";
import type { GeneratorOptions, ResourceDef } from "./resource.ts";
import { MetricsStore } from "./store.ts";

/** `../shared/fixtures/kubernetes/api`, from the repository root. */
export const FIXTURE_API_DIR = fileURLToPath(
  new URL("../../../../shared/fixtures/kubernetes/api/", import.meta.url),
);

/** The items of `<resource>.json` in the fixtures (an API list response). */
export function fixtureItems(resource: string): KubeObject[] {
  const list = JSON.parse(readFileSync(`${FIXTURE_API_DIR}${resource}.json`, "utf8")) as {
    items: KubeObject[];
  };
  return list.items;
}

/** Allowlists used by the golden files: every label, two annotations. */
export const GOLDEN_OPTIONS: GeneratorOptions = {
  labelsAllowed: ["*"],
  annotationsAllowed: ["prometheus.io/scrape", "kubernetes.io/config.source"],
};

/** A store for `def` holding `items`. */
export function storeOf(def: ResourceDef, items: readonly KubeObject[], opts = GOLDEN_OPTIONS): MetricsStore {
  const store = new MetricsStore(def.families(opts));
  store.replace(items);
  return store;
}
