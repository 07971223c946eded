/**
 * Test helpers for Kubernetes SD: configs with upstream's defaults, the fake
 * API server loaded with the SD extras, and flattening groups into the
 * per-target label sets Prometheus shows as `discoveredLabels`.
 */
import { resolve } from "node:path";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../../config/httpclient.ts";
import {
  EXTRA_FIXTURES_DIR,
  type FakeAPIServer,
  FIXTURES_DIR,
  startFakeAPIServer,
} from "../../kubernetes/testing/fake_apiserver.ts";
import type { LabelSet, TargetGroup } from "../discovery.ts";
import type { KubernetesSDConfig, Role } from "./schema.ts";

/** This folder's extra fixtures (a pod with init containers). */
export const SD_EXTRA_DIR = resolve(import.meta.dirname, "testdata/extra");

/** The fake API server with the shared fixtures, ingresses and the SD extras. */
export function startSDFakeServer(): Promise<FakeAPIServer> {
  return startFakeAPIServer({ dirs: [FIXTURES_DIR, EXTRA_FIXTURES_DIR, SD_EXTRA_DIR] });
}

/** A `kubernetes_sd_configs` entry for `role` against `apiServer`, with upstream's defaults and `over` applied. */
export function k8sConfig(
  role: Role,
  apiServer: string,
  over: Partial<KubernetesSDConfig> = {},
): KubernetesSDConfig {
  return {
    ...DEFAULT_HTTP_CLIENT_CONFIG,
    kind: "kubernetes",
    role,
    api_server: apiServer,
    kubeconfig_file: "",
    namespaces: { own_namespace: false, names: [] },
    selectors: [],
    attach_metadata: { node: false, namespace: false },
    ...over,
  };
}

/** Each target's labels merged over its group's, without empty values (as Prometheus' label sets hold them). */
export function flatten(groups: readonly TargetGroup[]): LabelSet[] {
  return groups.flatMap((g) =>
    g.targets.map((t) =>
      Object.fromEntries(Object.entries({ ...g.labels, ...t }).filter(([, v]) => v !== "")).valueOf(),
    ),
  ) as LabelSet[];
}

/** A label set as sorted JSON, for multiset comparisons. */
export function canonical(ls: LabelSet): string {
  return JSON.stringify(Object.entries(ls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
