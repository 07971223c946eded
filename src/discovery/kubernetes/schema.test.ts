import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LineCounter, type Node, parseDocument } from "yaml";
import { emitYAML } from "../../config/decode.ts";
import type { DecodeContext } from "../../config/schema.ts";
import { type KubernetesSDConfig, kubernetesSDSchema } from "./schema.ts";

function decode(text: string): KubernetesSDConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const ctx: DecodeContext = {
    file: "prometheus.yml",
    dir: "/etc/prometheus",
    position: (node: Node) => {
      const p = lc.linePos(node.range?.[0] ?? 0);
      return { line: p.line, column: p.col };
    },
    warnings: [],
  };
  return kubernetesSDSchema.decode(
    doc.contents as Node | null,
    ctx,
    "scrape_configs[0].kubernetes_sd_configs[0]",
  );
}

// [entry, marshalled YAML as Prometheus 3.5.3 serves it at /api/v1/status/config]
const GOOD: [yaml: string, encoded: string][] = [
  ["role: pod\n", 'role: pod\nkubeconfig_file: ""\nfollow_redirects: true\nenable_http2: true\n'],
  [
    "role: endpoints\napi_server: https://k:6443\nbearer_token_file: /var/tok\ntls_config: {ca_file: /ca.pem}\nnamespaces: {names: [shop]}\nselectors: [{role: pod, label: a=b, field: spec.nodeName=x}]\nattach_metadata: {node: true}\n",
    'api_server: https://k:6443\nrole: endpoints\nkubeconfig_file: ""\nauthorization:\n  type: Bearer\n  credentials_file: /var/tok\ntls_config:\n  ca_file: /ca.pem\n  insecure_skip_verify: false\nfollow_redirects: true\nenable_http2: true\nnamespaces:\n  own_namespace: false\n  names:\n  - shop\nselectors:\n- role: pod\n  label: a=b\n  field: spec.nodeName=x\nattach_metadata:\n  node: true\n',
  ],
  ["role: node\nkubeconfig_file: /kc.yml\n", "role: node\nkubeconfig_file: /kc.yml\nfollow_redirects: true\nenable_http2: true\n"],
  [
    "role: service\nnamespaces: {own_namespace: true}\n",
    'role: service\nkubeconfig_file: ""\nfollow_redirects: true\nenable_http2: true\nnamespaces:\n  own_namespace: true\n  names: []\n',
  ],
]; // biome-ignore format: a table

// Upstream's messages (config_test.go's kubernetes_*.bad.yml and kubernetes.go).
const BAD: [yaml: string, error: string][] = [
  ["api_server: http://k\n", "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)"],
  ["role: deployment\n", 'unknown Kubernetes SD role "deployment"'],
  ["role: pod\nbearer_token: x\n", "to use custom HTTP client configuration please provide the 'api_server' URL explicitly"],
  ["role: pod\napi_server: http://k\nkubeconfig_file: /kc\n", "cannot use 'kubeconfig_file' and 'api_server' simultaneously"],
  ["role: pod\nkubeconfig_file: /kc\nbasic_auth: {username: u}\n", "cannot use a custom HTTP client configuration together with 'kubeconfig_file'"],
  ["role: pod\napi_server: http://k\nnamespaces: {own_namespace: true}\n", "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously"],
  ["role: pod\nkubeconfig_file: /kc\nnamespaces: {own_namespace: true}\n", "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously"],
  ["role: pod\napi_server: http://k\nbearer_token: a\nbearer_token_file: b\n", "at most one of bearer_token & bearer_token_file must be configured"],
  ["role: endpoints\nselectors: [{role: node, label: a=b}]\n", "endpoints role supports only pod, service, endpoints selectors"],
  ["role: ingress\nselectors: [{role: node}]\n", "ingress role supports only ingress selectors"],
  ["role: node\nselectors: [{role: pod}]\n", "node role supports only node selectors"],
  ["role: pod\nselectors: [{role: node}]\n", "pod role supports only pod selectors"],
  ["role: service\nselectors: [{role: pod}]\n", "service role supports only service selectors"],
  ["role: pod\nselectors: [{role: pod, label: a=b}, {role: pod, field: x=y}]\n", "duplicated selector role: pod"],
  ["role: pod\nselectors: [{role: pod, field: nofield}]\n", "invalid selector: 'nofield'; can't understand 'nofield'"],
  ["role: pod\nselectors: [{role: pod, label: 'a in (b'}]\n", "unable to parse requirement"],
  ["role: pod\nfoo: 1\n", "field foo not found in type kubernetes.plain"],
  ["role: pod\nattach_metadata: {nodes: true}\n", "field nodes not found in type kubernetes.AttachMetadataConfig"],
]; // biome-ignore format: a table

describe("kubernetes_sd_configs schema", () => {
  for (const [yaml, encoded] of GOOD) {
    it(`decodes and encodes ${JSON.stringify(yaml)}`, () => {
      const got = decode(yaml);
      assert.equal(got.kind, "kubernetes");
      assert.equal(emitYAML(kubernetesSDSchema.encode(got)), encoded);
    });
  }
  for (const [yaml, error] of BAD) {
    it(`rejects ${JSON.stringify(yaml)}`, () => {
      assert.throws(
        () => decode(yaml),
        (err: Error) => {
          assert.equal(err.name, "ConfigError");
          assert.ok(err.message.includes(error), `${err.message}\n  does not include\n${error}`);
          return true;
        },
      );
    });
  }

  it("accepts attach_metadata.namespace (newer upstream) and defaults", () => {
    const c = decode("role: pod\nattach_metadata: {namespace: true}\n");
    assert.deepEqual(c.attach_metadata, { node: false, namespace: true });
    assert.deepEqual(c.namespaces, { own_namespace: false, names: [] });
    assert.deepEqual(c.selectors, []);
  });
});
