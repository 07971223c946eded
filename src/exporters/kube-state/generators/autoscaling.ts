/**
 * HorizontalPodAutoscaler (autoscaling/v2) and PodDisruptionBudget (policy/v1)
 * metrics (upstream `internal/store/{horizontalpodautoscaler,poddisruptionbudget}.go`).
 */
import { type Condition, conditionMetrics, type KubeObject, optional } from "../common.ts";
import { type FamilyGenerator, family, type Metric, m } from "../metric.ts";
import { parseQuantity } from "../quantity.ts";
import { defineResource, type GeneratorOptions, type ResourceDef } from "../resource.ts";
import { annotationsFamily, createdFamily, labelsFamily } from "./meta.ts";

interface Target {
  readonly type?: string;
  readonly value?: string;
  readonly averageValue?: string;
  readonly averageUtilization?: number;
}
interface MetricSource {
  readonly type?: string;
  readonly resource?: { readonly name?: string; readonly target?: Target; readonly current?: Target };
  readonly containerResource?: {
    readonly name?: string;
    readonly container?: string;
    readonly target?: Target;
    readonly current?: Target;
  };
  readonly pods?: {
    readonly metric?: { readonly name?: string };
    readonly target?: Target;
    readonly current?: Target;
  };
  readonly object?: {
    readonly metric?: { readonly name?: string };
    readonly target?: Target;
    readonly current?: Target;
  };
  readonly external?: {
    readonly metric?: { readonly name?: string };
    readonly target?: Target;
    readonly current?: Target;
  };
}

interface HorizontalPodAutoscaler extends KubeObject {
  readonly spec?: {
    readonly minReplicas?: number;
    readonly maxReplicas?: number;
    readonly scaleTargetRef?: {
      readonly apiVersion?: string;
      readonly kind?: string;
      readonly name?: string;
    };
    readonly metrics?: readonly MetricSource[];
  };
  readonly status?: {
    readonly currentReplicas?: number;
    readonly desiredReplicas?: number;
    readonly conditions?: readonly Condition[];
    readonly currentMetrics?: readonly MetricSource[];
  };
}

interface PodDisruptionBudget extends KubeObject {
  readonly status?: {
    readonly currentHealthy?: number;
    readonly desiredHealthy?: number;
    readonly disruptionsAllowed?: number;
    readonly expectedPods?: number;
    readonly observedGeneration?: number;
  };
}

const S = { stable: true };

function source(
  s: MetricSource,
  which: "target" | "current",
): { name: string; container: string; t: Target | undefined } {
  const inner = s.resource ?? s.containerResource ?? s.pods ?? s.object ?? s.external;
  const name =
    s.resource?.name ??
    s.containerResource?.name ??
    (inner && "metric" in inner ? inner.metric?.name : undefined) ??
    "";
  return { name, container: s.containerResource?.container ?? "", t: inner?.[which] };
}

/** One sample per set field of a target: `value`, `average` (averageValue) and `utilization`. */
function targetMetrics(
  sources: readonly MetricSource[] | undefined,
  which: "target" | "current",
  withContainer: boolean,
): Metric[] {
  const out: Metric[] = [];
  for (const s of sources ?? []) {
    const { name, container, t } = source(s, which);
    if (t === undefined) continue;
    const fields: [string, number | undefined][] = [
      ["value", t.value === undefined ? undefined : parseQuantity(t.value)],
      ["average", t.averageValue === undefined ? undefined : parseQuantity(t.averageValue)],
      ["utilization", t.averageUtilization],
    ];
    for (const [type, v] of fields) {
      if (v === undefined) continue;
      const labels: Record<string, string> = { metric_name: name, metric_target_type: type };
      if (withContainer) labels.container = container;
      out.push(m(v, labels));
    }
  }
  return out;
}

function hpaFamilies(o: GeneratorOptions): FamilyGenerator<HorizontalPodAutoscaler>[] {
  type H = HorizontalPodAutoscaler;
  return [
    family<H>("kube_horizontalpodautoscaler_info", "Information about this autoscaler.", (h) => [
      m(1, {
        scaletargetref_api_version: h.spec?.scaleTargetRef?.apiVersion ?? "",
        scaletargetref_kind: h.spec?.scaleTargetRef?.kind ?? "",
        scaletargetref_name: h.spec?.scaleTargetRef?.name ?? "",
      }),
    ]),
    family<H>(
      "kube_horizontalpodautoscaler_metadata_generation",
      "The generation observed by the HorizontalPodAutoscaler controller.",
      (h) => optional(h.metadata?.generation),
      S,
    ),
    family<H>(
      "kube_horizontalpodautoscaler_spec_max_replicas",
      "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.",
      (h) => optional(h.spec?.maxReplicas),
      S,
    ),
    family<H>(
      "kube_horizontalpodautoscaler_spec_min_replicas",
      "Lower limit for the number of pods that can be set by the autoscaler, default 1.",
      (h) => [m(h.spec?.minReplicas ?? 1)],
      S,
    ),
    family<H>(
      "kube_horizontalpodautoscaler_spec_target_metric",
      "The metric specifications used by this autoscaler when calculating the desired replica count.",
      (h) => targetMetrics(h.spec?.metrics, "target", false),
    ),
    family<H>(
      "kube_horizontalpodautoscaler_status_target_metric",
      "The current metric status used by this autoscaler when calculating the desired replica count.",
      (h) => targetMetrics(h.status?.currentMetrics, "current", true),
      S,
    ),
    family<H>(
      "kube_horizontalpodautoscaler_status_current_replicas",
      "Current number of replicas of pods managed by this autoscaler.",
      (h) => [m(h.status?.currentReplicas ?? 0)],
      S,
    ),
    family<H>(
      "kube_horizontalpodautoscaler_status_desired_replicas",
      "Desired number of replicas of pods managed by this autoscaler.",
      (h) => [m(h.status?.desiredReplicas ?? 0)],
      S,
    ),
    annotationsFamily<H>("horizontalpodautoscaler", o),
    labelsFamily<H>("horizontalpodautoscaler", o),
    family<H>(
      "kube_horizontalpodautoscaler_status_condition",
      "The condition of this autoscaler.",
      (h) =>
        (h.status?.conditions ?? []).flatMap((c) =>
          conditionMetrics(c.status, "status").map((x) => ({
            keys: ["condition", ...x.keys],
            values: [c.type ?? "", ...x.values],
            value: x.value,
          })),
        ),
      S,
    ),
  ];
}

function pdbFamilies(o: GeneratorOptions): FamilyGenerator<PodDisruptionBudget>[] {
  type P = PodDisruptionBudget;
  const status = (f: keyof NonNullable<P["status"]>) => (p: P) => [m(p.status?.[f] ?? 0)];
  return [
    annotationsFamily<P>("poddisruptionbudget", o),
    labelsFamily<P>("poddisruptionbudget", o, false),
    createdFamily<P>("poddisruptionbudget"),
    family<P>(
      "kube_poddisruptionbudget_status_current_healthy",
      "Current number of healthy pods",
      status("currentHealthy"),
      S,
    ),
    family<P>(
      "kube_poddisruptionbudget_status_desired_healthy",
      "Minimum desired number of healthy pods",
      status("desiredHealthy"),
      S,
    ),
    family<P>(
      "kube_poddisruptionbudget_status_pod_disruptions_allowed",
      "Number of pod disruptions that are currently allowed",
      status("disruptionsAllowed"),
      S,
    ),
    family<P>(
      "kube_poddisruptionbudget_status_expected_pods",
      "Total number of pods counted by this disruption budget",
      status("expectedPods"),
      S,
    ),
    family<P>(
      "kube_poddisruptionbudget_status_observed_generation",
      "Most recent generation observed when updating this PDB status",
      status("observedGeneration"),
      S,
    ),
  ];
}

/** `horizontalpodautoscalers`: `kube_horizontalpodautoscaler_*`, labelled `namespace`, `horizontalpodautoscaler`. */
export const HORIZONTALPODAUTOSCALERS: ResourceDef = defineResource(
  {
    name: "horizontalpodautoscalers",
    kind: "HorizontalPodAutoscaler",
    group: "autoscaling",
    version: "v2",
    namespaced: true,
  },
  "horizontalpodautoscaler",
  hpaFamilies,
);

/** `poddisruptionbudgets`: `kube_poddisruptionbudget_*`, labelled `namespace`, `poddisruptionbudget`. */
export const PODDISRUPTIONBUDGETS: ResourceDef = defineResource(
  {
    name: "poddisruptionbudgets",
    kind: "PodDisruptionBudget",
    group: "policy",
    version: "v1",
    namespaced: true,
  },
  "poddisruptionbudget",
  pdbFamilies,
);
