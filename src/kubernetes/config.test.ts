import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { requestHeaders } from "../config/client.ts";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../config/httpclient.ts";
import { newKubeClient } from "./client.ts";
import { resolveConnection } from "./config.ts";
import { type FakeAPIServer, startFakeAPIServer } from "./testing/fake_apiserver.ts";

describe("connection config", () => {
  let dir: string;
  let server: FakeAPIServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-kubeconfig-"));
    server = await startFakeAPIServer({ token: "s3cret" });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("uses api_server with the HTTP client's bearer token, and fails without it", async () => {
    const withToken = resolveConnection({
      apiServer: `${server.url}/`,
      http: { ...DEFAULT_HTTP_CLIENT_CONFIG, authorization: { type: "Bearer", credentials: "s3cret" } },
    });
    assert.equal(withToken.server, server.url);
    assert.equal(withToken.via, "api_server");
    const ok = newKubeClient(withToken);
    const bad = newKubeClient(resolveConnection({ apiServer: server.url }));
    try {
      const list = await ok.list("/api/v1/nodes", {}, AbortSignal.timeout(2000));
      assert.equal(list.items.length, 3);
      assert.match(String(server.requests.at(-1)?.headers["user-agent"]), /^Vigil\//);
      await assert.rejects(bad.list("/api/v1/nodes", {}, AbortSignal.timeout(2000)), { status: 401 });
    } finally {
      await ok.close();
      await bad.close();
    }
  });

  it("speaks TLS to an https api_server trusted through tls_config.ca_file", async () => {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], { stdio: "ignore" }); // biome-ignore format: argv
    const tlsServer = await startFakeAPIServer({
      tls: { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") },
    });
    const trusted = newKubeClient(
      resolveConnection({
        apiServer: tlsServer.url,
        http: { ...DEFAULT_HTTP_CLIENT_CONFIG, tls_config: { insecure_skip_verify: false, ca_file: cert } },
      }),
    );
    const untrusted = newKubeClient(resolveConnection({ apiServer: tlsServer.url }));
    try {
      assert.match(tlsServer.url, /^https:/);
      const list = await trusted.list("/api/v1/nodes", {}, AbortSignal.timeout(2000));
      assert.equal(list.items.length, 3);
      await assert.rejects(
        untrusted.list("/api/v1/nodes", {}, AbortSignal.timeout(2000)),
        /self.signed|certificate/i,
      );
    } finally {
      await trusted.close();
      await untrusted.close();
      await tlsServer.close();
    }
  });

  it("loads the current context of a kubeconfig file (token user, CA data, namespace)", async () => {
    const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const file = join(dir, "config");
    await writeFile(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "current-context: fake",
        "clusters:",
        `- name: fake\n  cluster:\n    server: ${server.url}\n    certificate-authority-data: ${Buffer.from(ca).toString("base64")}`,
        "- name: other\n  cluster:\n    server: https://10.0.0.1:6443",
        "users:",
        "- name: robot\n  user:\n    token: s3cret",
        "contexts:",
        "- name: fake\n  context:\n    cluster: fake\n    user: robot\n    namespace: shop",
        "- name: other\n  context:\n    cluster: other\n    user: robot",
      ].join("\n"),
    );
    const conn = resolveConnection({ kubeconfigFile: file });
    assert.equal(conn.via, "kubeconfig");
    assert.equal(conn.server, server.url);
    assert.equal(conn.namespace, "shop");
    assert.equal(conn.http.tls_config.ca, ca);
    assert.deepEqual(conn.http.authorization, { type: "Bearer", credentials: "s3cret" });
    const client = newKubeClient(conn);
    try {
      const list = await client.list("/api/v1/namespaces/shop/services", {}, AbortSignal.timeout(2000));
      assert.deepEqual(list.items.map((s) => s.metadata.name).sort(), ["cart", "frontend"]);
    } finally {
      await client.close();
    }
  });

  it("maps basic auth and client certificate files from a kubeconfig user", async () => {
    const file = join(dir, "basic");
    await writeFile(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "current-context: c",
        "clusters: [{name: k, cluster: {server: 'https://k.example:6443', insecure-skip-tls-verify: true, tls-server-name: api.k}}]",
        "users: [{name: u, user: {username: admin, password: pw, client-certificate: /etc/k/cert.pem, client-key: /etc/k/key.pem}}]",
        "contexts: [{name: c, context: {cluster: k, user: u}}]",
      ].join("\n"),
    );
    const conn = resolveConnection({ kubeconfigFile: file });
    assert.deepEqual(conn.http.basic_auth, { username: "admin", password: "pw" });
    assert.equal(conn.http.tls_config.insecure_skip_verify, true);
    assert.equal(conn.http.tls_config.server_name, "api.k");
    assert.equal(conn.http.tls_config.cert_file, "/etc/k/cert.pem");
    assert.equal(conn.http.tls_config.key_file, "/etc/k/key.pem");
  });

  it("builds the in-cluster config from the service account and re-reads a rotated token", async () => {
    const sa = join(dir, "sa");
    await rm(sa, { recursive: true, force: true });
    await mkdir(sa);
    await writeFile(join(sa, "token"), "first\n");
    await writeFile(join(sa, "ca.crt"), "pem");
    await writeFile(join(sa, "namespace"), "monitoring");
    const env = { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" };
    const conn = resolveConnection({ serviceAccountDir: sa, env });
    assert.equal(conn.via, "in-cluster");
    assert.equal(conn.server, "https://[fd00::1]:443");
    assert.equal(conn.namespace, "monitoring");
    assert.equal(conn.http.tls_config.ca_file, join(sa, "ca.crt"));
    assert.equal((await requestHeaders(conn.http)).Authorization, "Bearer first");
    await writeFile(join(sa, "token"), "second\n");
    assert.equal((await requestHeaders(conn.http)).Authorization, "Bearer second");
    assert.throws(
      () => resolveConnection({ serviceAccountDir: sa, env: {} }),
      /unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/,
    );
    assert.throws(() => resolveConnection({ serviceAccountDir: join(dir, "missing"), env }), /ENOENT/);
  });
});
