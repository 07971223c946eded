/** The command line of `vigil kube-state-metrics`: upstream's flag names, defaults and help texts. */
import { LOG_FLAGS } from "../../log/log.ts";

interface KsmFlagSpec {
  readonly type: "string" | "boolean";
  readonly help: string;
  readonly default?: string;
}

const S = (help: string, def?: string): KsmFlagSpec => ({
  type: "string",
  help,
  ...(def === undefined ? {} : { default: def }),
});

/** Flags of kube-state-metrics v2 that Vigil implements. */
export const KUBE_STATE_METRICS_FLAGS: Readonly<Record<string, KsmFlagSpec>> = {
  apiserver: S("The URL of the apiserver to use as a master", ""),
  kubeconfig: S("Absolute path to the kubeconfig file", ""),
  host: S("Host to expose metrics on.", "::"),
  port: S("Port to expose metrics on.", "8080"),
  "telemetry-host": S("Host to expose kube-state-metrics self metrics on.", "::"),
  "telemetry-port": S("Port to expose kube-state-metrics self metrics on.", "8081"),
  resources: S("Comma-separated list of Resources to be enabled. Defaults to all default resources.", ""),
  namespaces: S("Comma-separated list of namespaces to be enabled. Defaults to all namespaces.", ""),
  "namespaces-denylist": S(
    "Comma-separated list of namespaces not to be enabled. If namespaces and namespaces-denylist are both set, only namespaces that are excluded in namespaces-denylist will be used.",
    "",
  ),
  "metric-labels-allowlist": S(
    "Comma-separated list of additional Kubernetes label keys that will be used in the resource' labels metric. By default the labels metrics are not exposed. To include them, provide a list of resource names in their plural form and Kubernetes label keys you would like to allow for them (Example: '=namespaces=[k8s-label-1,k8s-label-n,...],pods=[app],...)'. A single '*' can be provided per resource instead to allow any labels, but that has severe performance implications (Example: '=pods=[*]').",
    "",
  ),
  "metric-annotations-allowlist": S(
    "Comma-separated list of Kubernetes annotations keys that will be used in the resource' labels metric. By default the annotations metrics are not exposed. To include them, provide a list of resource names in their plural form and Kubernetes annotation keys you would like to allow for them (Example: '=namespaces=[kubernetes.io/team,...],pods=[kubernetes.io/team],...)'. A single '*' can be provided per resource instead to allow any annotations, but that has severe performance implications (Example: '=pods=[*]').",
    "",
  ),
  "enable-gzip-encoding": {
    type: "boolean",
    help: "Gzip responses when requested by clients via 'Accept-Encoding: gzip' header.",
  },
  ...LOG_FLAGS,
};

/** Splits a comma-separated flag value, dropping empty items. */
export function commaList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * The field selector excluding denied namespaces (`metadata.namespace!=a,…`),
 * as upstream builds it for namespaced resources; "" when none.
 */
export function denylistSelector(denied: readonly string[]): string {
  return denied.map((ns) => `metadata.namespace!=${ns}`).join(",");
}
