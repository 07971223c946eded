/**
 * Golden files: each resource's exposition for the shared fixtures, plus
 * table-driven checks of the samples the kubernetes-mixin depends on.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { KubeObject } from "./common.ts";
import { RESOURCES } from "./registry.ts";
import { FIXTURE_API_DIR, fixtureItems, storeOf } from "./testing.ts";

const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));
const UPDATE = process.env.VIGIL_UPDATE_GOLDEN === "1";

function itemsFor(resource: string): KubeObject[] {
  const local = `${TESTDATA}${resource}.json`;
  if (existsSync(local)) return (JSON.parse(readFileSync(local, "utf8")) as { items: KubeObject[] }).items;
  return fixtureItems(resource);
}

describe("generators: golden files", {
  skip: !existsSync(FIXTURE_API_DIR) && "no kubernetes fixtures",
}, () => {
  for (const [name, def] of RESOURCES) {
    it(name, () => {
      const text = storeOf(def, itemsFor(name)).write();
      const golden = `${TESTDATA}${name}.golden.prom`;
      if (UPDATE) writeFileSync(golden, text);
      assert.equal(text, readFileSync(golden, "utf8"));
    });
  }
});

/** One sample line expected (or not) in a resource's output. */
interface Case {
  readonly resource: string;
  readonly line: string;
  readonly present?: boolean;
}

const CASES: readonly Case[] = [
  // The CrashLoopBackOff cart pod: waiting reason, restarts, last terminated reason.
  {
    resource: "pods",
    line: 'kube_pod_container_status_waiting_reason{namespace="shop",pod="cart-7d9f8b6c5d-q8n5m",',
  },
  { resource: "pods", line: ',container="cart",reason="CrashLoopBackOff"} 1' },
  { resource: "pods", line: ',container="cart",reason="OOMKilled"} 1' },
  {
    resource: "pods",
    line: 'kube_pod_container_status_restarts_total{namespace="shop",pod="cart-7d9f8b6c5d-q8n5m",',
  },
  // The unschedulable pod.
  { resource: "pods", line: 'condition="false"} 1' },
  { resource: "pods", line: "kube_pod_status_unschedulable{" },
  // Requests in cores and bytes.
  { resource: "pods", line: 'resource="cpu",unit="core"}' },
  { resource: "pods", line: 'resource="memory",unit="byte"}' },
  {
    resource: "nodes",
    line: 'kube_node_status_condition{node="datagen-1-35-m03",condition="Ready",status="unknown"} 1',
  },
  {
    resource: "nodes",
    line: 'kube_node_spec_taint{node="datagen-1-35-m03",key="node.kubernetes.io/unreachable",value="",effect="NoExecute"} 1',
  },
  { resource: "nodes", line: 'kube_node_role{node="datagen-1-35",role="control-plane"} 1' },
  {
    resource: "namespaces",
    line: 'kube_namespace_status_phase{namespace="legacy-billing",phase="Terminating"} 1',
  },
  { resource: "deployments", line: 'condition="Progressing",status="false"} 1' },
  { resource: "jobs", line: 'reason="BackoffLimitExceeded"} 4' },
  { resource: "cronjobs", line: 'kube_cronjob_spec_suspend{namespace="shop",cronjob="nightly-report"} 1' },
  { resource: "persistentvolumeclaims", line: 'phase="Pending"} 1' },
  { resource: "persistentvolumes", line: 'phase="Released"} 1' },
  {
    resource: "resourcequotas",
    line: 'kube_resourcequota{namespace="shop",resourcequota="compute",resource="requests.cpu",type="used"} 0.35',
  },
  { resource: "resourcequotas", line: 'resource="requests.memory",type="hard"} 8.589934592e+09' },
  { resource: "horizontalpodautoscalers", line: 'metric_name="cpu",metric_target_type="utilization"} 70' },
  { resource: "endpoints", line: 'ready="false"} 1' },
];

describe("generators: key samples", {
  skip: !existsSync(FIXTURE_API_DIR) && "no kubernetes fixtures",
}, () => {
  const cache = new Map<string, string>();
  const text = (resource: string): string => {
    let t = cache.get(resource);
    if (t === undefined)
      cache.set(resource, (t = storeOf(RESOURCES.get(resource)!, itemsFor(resource)).write()));
    return t;
  };
  for (const c of CASES) {
    it(`${c.resource}: ${c.line}`, () => {
      assert.equal(text(c.resource).includes(c.line), c.present ?? true);
    });
  }
});
