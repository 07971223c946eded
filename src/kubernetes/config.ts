/**
 * Where the API server is and how to authenticate, upstream's three ways
 * (Prometheus' `kubernetes_sd_configs`, client-go): an explicit `api_server`
 * with a prometheus/common HTTP client config; a kubeconfig file (loaded by
 * `@kubernetes/client-node`'s `KubeConfig`); or the pod's service account
 * (in-cluster: `KUBERNETES_SERVICE_HOST`/`_PORT`, the mounted CA and token,
 * the token file re-read on every request so projected tokens rotate).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { KubeConfig } from "@kubernetes/client-node";
import { DEFAULT_HTTP_CLIENT_CONFIG } from "../config/httpclient.ts";
import type { HTTPClientConfig, TLSConfig } from "../config/types.ts";

/** The service account mount, client-go's `rest.InClusterConfig` paths. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** What to connect to: exactly one of `apiServer`, `kubeconfigFile` or neither (in-cluster). */
export interface ConnectionSource {
  /** The API server's URL; `http` then applies. */
  readonly apiServer?: string;
  /** A kubeconfig file; its current context is used. */
  readonly kubeconfigFile?: string;
  /** Client settings used with `apiServer` (TLS, bearer token, basic auth, proxy). */
  readonly http?: HTTPClientConfig;
  /** Test seam: the service account directory (default {@link SERVICE_ACCOUNT_DIR}). */
  readonly serviceAccountDir?: string;
  /** Test seam: the environment (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A resolved connection: base URL, HTTP client settings, and extra auth for exec/auth-provider users. */
export interface Connection {
  /** Base URL without a trailing slash, e.g. `https://10.96.0.1:443`. */
  readonly server: string;
  readonly http: HTTPClientConfig;
  /** Headers computed per request by `@kubernetes/client-node` (exec plugins, OIDC), when needed. */
  readonly authHeaders?: () => Promise<Record<string, string>>;
  /** The namespace of the current context or of the service account, when known. */
  readonly namespace?: string;
  /** How it was resolved, for logs: `api_server`, `kubeconfig`, `in-cluster`. */
  readonly via: "api_server" | "kubeconfig" | "in-cluster";
}

/**
 * A `KubeConfig` from `@kubernetes/client-node`, loaded on first use: the
 * package is large (~30 MB of heap), and a server without a kubeconfig-based
 * `kubernetes_sd_configs` must not pay for it.
 */
export function newKubeConfig(): KubeConfig {
  const { KubeConfig } = createRequire(import.meta.url)(
    "@kubernetes/client-node",
  ) as typeof import("@kubernetes/client-node");
  return new KubeConfig();
}

/** Resolves `src` to a connection; throws upstream's errors (missing in-cluster env, unreadable files). */
export function resolveConnection(src: ConnectionSource): Connection {
  if (src.apiServer !== undefined && src.apiServer !== "") {
    return {
      server: trimSlash(src.apiServer),
      http: src.http ?? DEFAULT_HTTP_CLIENT_CONFIG,
      via: "api_server",
    };
  }
  if (src.kubeconfigFile !== undefined && src.kubeconfigFile !== "") {
    const kc = newKubeConfig();
    kc.loadFromFile(src.kubeconfigFile);
    return fromKubeConfig(kc, "kubeconfig");
  }
  return inCluster(src.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, src.env ?? process.env);
}

function inCluster(dir: string, env: Readonly<Record<string, string | undefined>>): Connection {
  const host = env.KUBERNETES_SERVICE_HOST ?? "";
  const port = env.KUBERNETES_SERVICE_PORT ?? "";
  if (host === "" || port === "") {
    throw new Error(
      "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined",
    );
  }
  // Fail now, as client-go does, when the token is missing.
  readFileSync(`${dir}/token`);
  const h = host.includes(":") ? `[${host}]` : host;
  let namespace: string | undefined;
  try {
    namespace = readFileSync(`${dir}/namespace`, "utf8").trim();
  } catch {
    namespace = undefined;
  }
  return {
    server: `https://${h}:${port}`,
    http: {
      ...DEFAULT_HTTP_CLIENT_CONFIG,
      tls_config: { insecure_skip_verify: false, ca_file: `${dir}/ca.crt` },
      authorization: { type: "Bearer", credentials_file: `${dir}/token` },
    },
    namespace,
    via: "in-cluster",
  };
}

function b64(s: string | undefined): string | undefined {
  return s === undefined || s === "" ? undefined : Buffer.from(s, "base64").toString("utf8");
}

/** Maps a loaded `KubeConfig`'s current cluster and user onto an HTTP client config. */
export function fromKubeConfig(kc: KubeConfig, via: Connection["via"]): Connection {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error("invalid configuration: no configuration has been provided");
  const user = kc.getCurrentUser();
  const tls: { -readonly [K in keyof TLSConfig]: TLSConfig[K] } = {
    insecure_skip_verify: cluster.skipTLSVerify === true,
  };
  if (cluster.caData) tls.ca = b64(cluster.caData);
  else if (cluster.caFile) tls.ca_file = cluster.caFile;
  if (cluster.tlsServerName) tls.server_name = cluster.tlsServerName;
  let http: HTTPClientConfig = { ...DEFAULT_HTTP_CLIENT_CONFIG, tls_config: tls };
  let authHeaders: Connection["authHeaders"];
  if (user !== null) {
    if (user.certData) tls.cert = b64(user.certData);
    else if (user.certFile) tls.cert_file = user.certFile;
    if (user.keyData) tls.key = b64(user.keyData);
    else if (user.keyFile) tls.key_file = user.keyFile;
    if (user.token) http = { ...http, authorization: { type: "Bearer", credentials: user.token } };
    else if (user.username) {
      http = { ...http, basic_auth: { username: user.username, password: user.password ?? "" } };
    } else if (user.authProvider?.name === "tokenFile") {
      const file = String(user.authProvider.config?.tokenFile ?? "");
      http = { ...http, authorization: { type: "Bearer", credentials_file: file } };
    } else if (user.exec !== undefined || user.authProvider !== undefined) {
      authHeaders = async () => {
        const opts: { headers: Record<string, string> } = { headers: {} };
        await kc.applyToHTTPSOptions(opts);
        return opts.headers;
      };
    }
  }
  if (cluster.proxyUrl) http = { ...http, proxy_url: cluster.proxyUrl };
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return { server: trimSlash(cluster.server), http, authHeaders, namespace: ctx?.namespace, via };
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, "");
}
