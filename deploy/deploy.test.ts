/**
 * The Kubernetes manifests of deploy/kubernetes: every kustomization renders,
 * every object passes the Kubernetes OpenAPI schemas, the objects are wired
 * to each other, RBAC is exactly what the API clients use, the bundled
 * configs pass promtool/amtool and `vigil check`, and the loader used
 * without kubectl renders what kubectl renders.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import type { IContainer } from "kubernetes-models/v1";
import { commands } from "../src/cli/main.ts";
import { hasKubectl, type K8sObject, kubectlKustomize, loadKustomization, render } from "./kustomize.ts";
import { validateObject } from "./validate.ts";
import {
  checkProbes,
  checkReferences,
  checkServices,
  diffPermissions,
  expectedKsmRbac,
  expectedServerRbac,
  grantedTo,
  podTemplates,
} from "./wiring.ts";

const ROOT = join(import.meta.dirname, "kubernetes");
const kubectl = await hasKubectl();

/** A kustomization in a temporary directory: the base plus the storage-class component. */
function withComponent(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-kustomize-"));
  const rel = (p: string) => relative(dir, join(ROOT, p));
  writeFileSync(
    join(dir, "kustomization.yaml"),
    `resources: [${rel("base")}]\ncomponents: [${rel("components/storage-class")}]\n`,
  );
  return dir;
}

const TARGETS: Record<string, string> = {
  root: ROOT,
  base: join(ROOT, "base"),
  "overlays/emptydir": join(ROOT, "overlays/emptydir"),
  "overlays/nodeport": join(ROOT, "overlays/nodeport"),
  "overlays/loadbalancer": join(ROOT, "overlays/loadbalancer"),
  "base + components/storage-class": withComponent(),
};

const rendered = new Map<string, K8sObject[]>();
for (const [name, dir] of Object.entries(TARGETS)) rendered.set(name, await render(dir));

const get = (objs: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind} ${name} not rendered`);
  return o;
};
const base = rendered.get("base")!;
const configMapData = (objs: readonly K8sObject[], name: string) =>
  (objs.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith(name))?.data ?? {}) as Record<
    string,
    string
  >;

describe(`kustomizations render (${kubectl ? "kubectl kustomize" : "own loader"}) and validate`, () => {
  for (const [name, objs] of rendered) {
    test(name, async () => {
      assert.ok(objs.length >= 25, `only ${objs.length} objects`);
      const problems = (await Promise.all(objs.map(validateObject))).filter((p) => p !== undefined);
      assert.deepEqual(problems, []);
      assert.deepEqual([...checkServices(objs), ...checkReferences(objs), ...checkProbes(objs)], []);
      for (const o of objs) {
        if (!["Namespace", "ClusterRole", "ClusterRoleBinding"].includes(o.kind)) {
          assert.equal(o.metadata.namespace, "monitoring", `${o.kind} ${o.metadata.name}`);
        }
      }
    });
  }
});

test("the base installs every component the way DESIGN.md lists them", () => {
  const kinds = (kind: string) =>
    base
      .filter((o) => o.kind === kind)
      .map((o) => o.metadata.name)
      .sort();
  assert.deepEqual(kinds("StatefulSet"), ["vigil-server"]);
  assert.deepEqual(kinds("DaemonSet"), ["vigil-node-exporter"]);
  assert.deepEqual(kinds("Deployment"), [
    "vigil-alertmanager",
    "vigil-dashboards",
    "vigil-kube-state-metrics",
    "vigil-pushgateway",
  ]);
  const ports = Object.fromEntries(
    base
      .filter((o) => o.kind === "Service")
      .map((o) => [o.metadata.name, (o.spec as { ports: { port: number }[] }).ports[0]!.port]),
  );
  assert.deepEqual(ports, {
    "vigil-server": 9090,
    "vigil-alertmanager": 9093,
    "vigil-pushgateway": 9091,
    "vigil-node-exporter": 9100,
    "vigil-kube-state-metrics": 8080,
    "vigil-dashboards": 3000,
  });
  const sts = get(base, "StatefulSet", "vigil-server").spec as { volumeClaimTemplates?: unknown[] };
  assert.equal(sts.volumeClaimTemplates?.length, 1);
  const ds = podTemplates(base).find((p) => p.owner.kind === "DaemonSet")!.spec;
  assert.equal(ds.hostPID, true);
  assert.equal(ds.hostNetwork, true);
  assert.ok(ds.tolerations?.some((t) => t.key === "node-role.kubernetes.io/control-plane"));
  const mounts = ds.containers[0]!.volumeMounts!;
  assert.deepEqual(
    mounts.map((m) => [m.mountPath, m.readOnly]),
    [
      ["/host/proc", true],
      ["/host/sys", true],
      ["/host/root", true],
    ],
  );
});

describe("overlays change only what they are for", () => {
  const serviceTypes = (objs: readonly K8sObject[]) =>
    Object.fromEntries(
      objs
        .filter((o) => o.kind === "Service")
        .map((o) => [o.metadata.name, (o.spec as { type?: string }).type]),
    );
  for (const [overlay, type] of [
    ["overlays/nodeport", "NodePort"],
    ["overlays/loadbalancer", "LoadBalancer"],
  ] as const) {
    test(overlay, () => {
      assert.deepEqual(serviceTypes(rendered.get(overlay)!), {
        ...serviceTypes(base),
        "vigil-server": type,
        "vigil-alertmanager": type,
        "vigil-pushgateway": type,
        "vigil-dashboards": type,
      });
    });
  }
  test("overlays/emptydir", () => {
    const sts = get(rendered.get("overlays/emptydir")!, "StatefulSet", "vigil-server");
    const spec = sts.spec as { volumeClaimTemplates?: unknown; template: { spec: { volumes: unknown[] } } };
    assert.equal(spec.volumeClaimTemplates, undefined);
    assert.deepEqual(spec.template.spec.volumes.at(-1), { name: "data", emptyDir: {} });
  });
  test("components/storage-class", () => {
    const sts = get(rendered.get("base + components/storage-class")!, "StatefulSet", "vigil-server");
    const claim = (sts.spec as { volumeClaimTemplates: { spec: Record<string, unknown> }[] })
      .volumeClaimTemplates[0]!;
    assert.equal(claim.spec.storageClassName, "standard");
    assert.deepEqual(claim.spec.resources, { requests: { storage: "50Gi" } });
  });
});

describe("RBAC grants exactly what discovery and kube-state-metrics use", () => {
  test("server", () => {
    const { want, problems } = expectedServerRbac(
      configMapData(base, "vigil-server-config")["prometheus.yml"]!,
    );
    assert.deepEqual(problems, []);
    assert.ok(want.has("/nodes/metrics:get") && want.has("url:/metrics:get"));
    assert.deepEqual(
      diffPermissions("vigil-server", want, grantedTo(base, "monitoring", "vigil-server")),
      [],
    );
  });
  test("kube-state-metrics", () => {
    const ksm = podTemplates(base).find((p) => p.owner.metadata.name === "vigil-kube-state-metrics")!;
    const flag = ksm.spec.containers[0]!.args!.find((a) => a.startsWith("--resources="))!;
    const { want, problems } = expectedKsmRbac(flag.slice("--resources=".length));
    assert.deepEqual(problems, []);
    assert.equal(want.size, 30); // 15 resources × list, watch
    const got = grantedTo(base, "monitoring", "vigil-kube-state-metrics");
    assert.deepEqual(diffPermissions("vigil-kube-state-metrics", want, got), []);
  });
  test("the other components have no API access and no token", () => {
    for (const p of podTemplates(base)) {
      const sa = p.spec.serviceAccountName!;
      if (sa === "vigil-server" || sa === "vigil-kube-state-metrics") continue;
      assert.equal(grantedTo(base, "monitoring", sa).size, 0, sa);
      assert.equal(p.spec.automountServiceAccountToken, false, sa);
    }
  });
});

test("containers run non-root, read-only, with requests and limits", () => {
  for (const p of podTemplates(base)) {
    assert.equal(p.spec.securityContext?.runAsNonRoot, true, p.owner.metadata.name);
    for (const c of p.spec.containers) {
      const where = `${p.owner.metadata.name}/${c.name}`;
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true, where);
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false, where);
      for (const kind of ["requests", "limits"] as const) {
        assert.ok(c.resources?.[kind]?.cpu && c.resources[kind]?.memory, `${where} ${kind}`);
      }
      assert.match(c.image ?? "", /^vigil:/, where);
    }
  }
});

/** The `vigil <command>` a container runs and its flags, or undefined for the reloader sidecars. */
function vigilCommand(c: IContainer): { name: string; flags: string[] } | undefined {
  if (c.command !== undefined) return undefined;
  const [name, ...rest] = c.args ?? [];
  return { name: name!, flags: rest.map((a) => a.replace(/^--/, "").split("=")[0]!) };
}

test("containers run vigil commands with flags those commands accept", async (t) => {
  const known = new Set([
    "server",
    "alertmanager",
    "pushgateway",
    "node-exporter",
    "kube-state-metrics",
    "dashboards",
  ]);
  const probes: Record<string, string> = {};
  for (const p of podTemplates(base)) {
    for (const c of p.spec.containers) {
      const cmd = vigilCommand(c);
      if (cmd === undefined) {
        assert.deepEqual(c.command, ["node", "/app/deploy/config-reloader.ts"]);
        continue;
      }
      assert.ok(known.has(cmd.name), cmd.name);
      probes[cmd.name] = c.readinessProbe?.httpGet?.path ?? "";
      const load = Object.hasOwn(commands, cmd.name) ? commands[cmd.name] : undefined;
      if (load === undefined) {
        t.diagnostic(`vigil ${cmd.name} is not registered yet: its flags are not checked`);
        continue;
      }
      const command = await load();
      for (const f of cmd.flags)
        assert.ok(Object.hasOwn(command.flags, f), `vigil ${cmd.name} has no flag --${f}`);
    }
  }
  assert.deepEqual(probes, {
    server: "/-/ready",
    alertmanager: "/-/ready",
    pushgateway: "/-/ready",
    "node-exporter": "/",
    "kube-state-metrics": "/readyz",
    dashboards: "/api/health",
  });
});

test("kubectl kustomize and the own loader render the same objects", {
  skip: !kubectl && "no kubectl",
}, async () => {
  for (const [name, dir] of Object.entries(TARGETS)) {
    const own = loadKustomization(dir);
    // kubectl suffixes hashed ConfigMap names; the loader does not.
    const strip = (objs: K8sObject[]) =>
      JSON.parse(
        JSON.stringify(objs).replaceAll(/(vigil-dashboards-datasources)-[a-z0-9]{10}/g, "$1"),
      ) as K8sObject[];
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
    const byKey = (objs: K8sObject[]) => new Map(objs.map((o) => [key(o), o]));
    const want = byKey(strip(await kubectlKustomize(dir)));
    const got = byKey(own);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), name);
    for (const [k, o] of want) assert.deepEqual(got.get(k), o, `${name}: ${k}`);
  }
});

/** One bad edit per check, each of which must be reported. */
const MUTATIONS: {
  name: string;
  mutate: (objs: K8sObject[]) => void;
  report: (objs: K8sObject[]) => string[];
  /** The problem lines the check must print, all of them. */
  want: RegExp;
  count: number;
}[] = [
  {
    name: "Service selector with a typo",
    mutate: (o) => {
      (get(o, "Service", "vigil-pushgateway").spec as { selector: Record<string, string> }).selector[
        "app.kubernetes.io/name"
      ] = "vigil-pushgatway";
    },
    report: checkServices,
    want: /^Service monitoring\/vigil-pushgateway selects no pods$/,
    count: 1,
  },
  {
    name: "ConfigMap volume naming a missing ConfigMap",
    mutate: (o) => {
      podTemplates(o).find((p) => p.owner.kind === "StatefulSet")!.spec.volumes![0]!.configMap!.name = "nope";
    },
    report: checkReferences,
    want: /^StatefulSet monitoring\/vigil-server: ConfigMap monitoring\/nope does not exist$/,
    count: 1,
  },
  {
    name: "probe on an undeclared port",
    mutate: (o) => {
      podTemplates(o).find((p) => p.owner.kind === "DaemonSet")!.spec.containers[0]!.livenessProbe!
        .httpGet!.port = 9101;
    },
    report: checkProbes,
    want: /^DaemonSet monitoring\/vigil-node-exporter: liveness probe of node-exporter uses undeclared port 9101$/,
    count: 1,
  },
  {
    name: "ClusterRole without watch on pods",
    mutate: (o) => {
      const rules = get(o, "ClusterRole", "vigil-server").rules as { verbs: string[] }[];
      rules[0]!.verbs = ["get", "list"];
    },
    report: (o) =>
      diffPermissions(
        "s",
        expectedServerRbac(configMapData(o, "vigil-server-config")["prometheus.yml"]!).want,
        grantedTo(o, "monitoring", "vigil-server"),
      ),
    want: /^s: missing \/(endpoints|nodes|pods|services):watch$/,
    count: 4,
  },
  {
    name: "kube-state-metrics granted secrets it does not export",
    mutate: (o) => {
      (
        get(o, "ClusterRole", "vigil-kube-state-metrics").rules as { resources: string[] }[]
      )[0]!.resources.push("secrets");
    },
    report: (o) => {
      const ksm = podTemplates(o).find((p) => p.owner.metadata.name === "vigil-kube-state-metrics")!;
      const flag = ksm.spec.containers[0]!.args![1]!.slice("--resources=".length);
      return diffPermissions(
        "k",
        expectedKsmRbac(flag).want,
        grantedTo(o, "monitoring", "vigil-kube-state-metrics"),
      );
    },
    want: /^k: grants unused \/secrets:(list|watch)$/,
    count: 2,
  },
];

describe("the checks catch broken wiring", () => {
  for (const m of MUTATIONS) {
    test(m.name, () => {
      const objs = structuredClone(base);
      assert.deepEqual(m.report(objs), []);
      m.mutate(objs);
      const lines = m.report(objs);
      assert.equal(lines.length, m.count, lines.join("\n"));
      for (const line of lines) assert.match(line, m.want);
    });
  }
  test("a schema violation", async () => {
    const bad = structuredClone(get(base, "Deployment", "vigil-pushgateway")) as K8sObject & {
      spec: { replicas: unknown };
    };
    bad.spec.replicas = "one";
    assert.match((await validateObject(bad)) ?? "", /replicas must be integer/);
  });
});
