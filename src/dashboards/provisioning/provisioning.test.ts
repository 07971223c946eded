import assert from "node:assert/strict";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Store } from "../store/store.ts";
import { provisionDashboards, readProviders } from "./dashboards.ts";
import { provisionDataSources } from "./datasources.ts";
import { expandEnv, ProvisioningError } from "./files.ts";
import { storeMigrateOptions } from "./provisioner.ts";

const FIX = "/work/shared/fixtures/grafana";

describe("expandEnv", () => {
  const env = { A: "1", B_C: "two" };
  const cases: [string, string][] = [
    ["$A", "1"],
    ["${B_C}x", "twox"],
    ["$$A", "$A"],
    ["${MISSING}", ""],
    ["no vars", "no vars"],
    ["a$", "a$"],
    ["${MISSING:-http://x:1}", "http://x:1"],
    ["${A:-d}", "1"],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.equal(expandEnv(text, env), want));
});

describe("provisioning from the fixture files", () => {
  let root: string;
  const env = { VM_PASSWORD: "s3cret" };
  const copy = (name: string, dir: string, as = name) => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(FIX, "dashboards", name), join(dir, as));
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), "vigil-prov-"));
    mkdirSync(join(root, "prov/datasources"), { recursive: true });
    mkdirSync(join(root, "prov/dashboards"), { recursive: true });
    for (const f of ["datasources.yaml", "kube-prometheus-datasources.yaml"])
      copyFileSync(join(FIX, "provisioning/datasources", f), join(root, "prov/datasources", f));
    for (const f of ["dashboards.yaml", "kube-prometheus-dashboards.yaml"]) {
      const text = readFileSync(join(FIX, "provisioning/dashboards", f), "utf8")
        .replaceAll("/var/lib/grafana/", `${root}/var/`)
        .replaceAll("/etc/grafana/", `${root}/etc/`)
        .replaceAll("/grafana-dashboard-definitions/", `${root}/defs/`);
      writeFileSync(join(root, "prov/dashboards", f), text);
    }
    copy("node-exporter-full.json", join(root, "var/dashboards/default"));
    writeFileSync(join(root, "var/dashboards/default/broken.json"), '{"title": "broken",');
    copy("kube-prometheus-k8s-resources-cluster.json", join(root, "var/dashboards/kubernetes"));
    copy("kube-prometheus-kubelet.json", join(root, "var/dashboards/kubernetes"));
    copy("kube-prometheus-alertmanager-overview.json", join(root, "etc/dashboards"));
    copy("kube-prometheus-node-rsrc-use.json", join(root, "etc/dashboards/Node"));
    copy("kube-prometheus-prometheus.json", join(root, "etc/dashboards/Prometheus/deeper"));
    copy("kube-prometheus-nodes.json", join(root, "defs/0"));
    copy("node-exporter-full-old.rows-schema14.json", join(root, "defs/0"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("provisions the data sources with env expansion, read-only, one default", () => {
    const s = Store.open(":memory:");
    s.datasources.add({ name: "Prometheus (old)", type: "prometheus" });
    s.datasources.add({ name: "Manual", type: "prometheus" });
    const r = provisionDataSources(s, join(root, "prov/datasources"), env);
    assert.deepEqual(r.deleted, ["Prometheus (old)"]);
    assert.deepEqual(r.added.sort(), ["Alertmanager", "Prometheus", "VictoriaMetrics", "prometheus"]);
    const vm = s.datasources.byUid("victoriametrics")!;
    assert.deepEqual(
      [
        vm.basicAuth,
        vm.basicAuthUser,
        vm.secureJsonData.basicAuthPassword,
        vm.secureJsonData.httpHeaderValue1,
        vm.jsonData.httpHeaderName1,
      ],
      [true, "grafana", "s3cret", "tenant-a", "X-Scope-OrgID"],
    );
    assert.equal(s.datasources.defaultSource()!.uid, "prometheus");
    assert.equal(s.datasources.byName("prometheus")!.url, "http://prometheus-k8s.monitoring.svc:9090");
    assert.equal(vm.readOnly, true);
    assert.equal(
      s.datasources.byName("Manual")!.provisioned,
      null,
      "prune keeps data sources made through the API",
    );
    // A second run updates in place; removing one from the files prunes it.
    const yaml = readFileSync(join(root, "prov/datasources/datasources.yaml"), "utf8");
    writeFileSync(
      join(root, "prov/datasources/datasources.yaml"),
      yaml.replace(/ {2}- name: Alertmanager[\s\S]*?(?= {2}- name: VictoriaMetrics)/, ""),
    );
    try {
      const again = provisionDataSources(s, join(root, "prov/datasources"), env);
      assert.deepEqual(again.deleted, ["Alertmanager"]);
      assert.equal(again.added.length, 0);
    } finally {
      writeFileSync(join(root, "prov/datasources/datasources.yaml"), yaml);
    }
  });

  it("refuses two defaults, naming them", () => {
    const dir = join(root, "two-defaults");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "a.yaml"),
      "apiVersion: 1\ndatasources:\n  - {name: A, type: prometheus, isDefault: true}\n  - {name: B, type: prometheus, isDefault: true}\n",
    );
    assert.throws(
      () => provisionDataSources(Store.open(":memory:"), dir, {}),
      (e: unknown) =>
        e instanceof ProvisioningError &&
        /Only one datasource per organization can be marked as default \(A, B\)/.test((e as Error).message),
    );
    writeFileSync(join(dir, "a.yaml"), "apiVersion: 1\ndatasources: [{name: A\n");
    assert.throws(
      () => provisionDataSources(Store.open(":memory:"), dir, {}),
      (e: unknown) => e instanceof ProvisioningError && (e as Error).message.startsWith(join(dir, "a.yaml")),
    );
  });

  it("provisions dashboards into folders, skips bad files, is idempotent and deletes removed files", () => {
    const s = Store.open(":memory:");
    provisionDataSources(s, join(root, "prov/datasources"), env);
    const providers = readProviders(join(root, "prov/dashboards"), env);
    assert.deepEqual(
      providers.map((p) => [p.name, p.folder, p.folderUid, p.disableDeletion, p.foldersFromFilesStructure]),
      [
        ["default", "", "", false, false],
        ["kubernetes", "Kubernetes", "kubernetes", true, false],
        ["by-directory", "", "", false, true],
        ["0", "Default", "", false, false],
      ],
    );
    const r = provisionDashboards(s, providers, storeMigrateOptions(s));
    assert.equal(r.saved.length, 8);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!, /broken\.json: invalid JSON/);
    const where = Object.fromEntries(
      s.dashboards
        .list()
        .map((d) => [d.title, d.folderUid === null ? "General" : s.folders.get(d.folderUid)!.title]),
    );
    assert.deepEqual(where, {
      "Alertmanager / Overview": "General",
      "Kubernetes / Compute Resources / Cluster": "Kubernetes",
      "Kubernetes / Kubelet": "Kubernetes",
      "Node Exporter / Nodes": "Default",
      "Node Exporter Full Old": "Default",
      "Node Exporter / USE Method / Node": "Node",
      "Node Exporter Full": "General",
      "Prometheus / Overview": "deeper",
    });
    assert.equal(s.folders.byTitle("Kubernetes")!.uid, "kubernetes");
    for (const d of s.dashboards.list()) assert.equal(d.dashboard.schemaVersion, 41);
    const again = provisionDashboards(s, providers, storeMigrateOptions(s));
    assert.deepEqual([again.saved.length, again.unchanged.length], [0, 8]);
    const old = s.dashboards.list().find((d) => d.title === "Node Exporter Full Old")!;
    assert.ok(
      !JSON.stringify(old.dashboard).includes("DS_LOCALHOST"),
      "__inputs resolved to the default data source",
    );
    assert.ok(JSON.stringify(old.dashboard).includes('{"type":"prometheus","uid":"prometheus"}'));
    assert.ok(s.dashboards.list().every((d) => d.version === 1));
    unlinkSync(join(root, "var/dashboards/default/node-exporter-full.json"));
    unlinkSync(join(root, "var/dashboards/kubernetes/kube-prometheus-kubelet.json"));
    const third = provisionDashboards(s, providers, storeMigrateOptions(s));
    assert.equal(third.deleted.length, 1);
    assert.equal(s.dashboards.get("rYdddlPWk"), undefined);
    assert.ok(
      s.dashboards.get("3138fa155d5915769fbded898ac09fd9"),
      "disableDeletion keeps the kubelet dashboard",
    );
  });

  it("rejects providers mixing foldersFromFilesStructure and folder", () => {
    const dir = join(root, "mixed");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "p.yaml"),
      "apiVersion: 1\nproviders:\n  - name: x\n    folder: F\n    options: {path: /tmp, foldersFromFilesStructure: true}\n",
    );
    assert.throws(
      () => readProviders(dir, {}),
      /cannot set foldersFromFilesStructure together with folder or folderUid/,
    );
  });
});
