/**
 * The `kube_pod_container_*` and `kube_pod_init_container_*` families
 * (upstream `internal/store/pod.go`). Both lists share the per-status
 * families, built once by {@link statusFamilies}; upstream differs between
 * them only in help texts, stability and the two extra last-terminated
 * families of regular containers.
 */
import { resourceAmount, sortedResources, unix } from "../common.ts";
import { b, type FamilyGenerator, family, type Metric, m } from "../metric.ts";
import type { Container, ContainerStatus, Pod } from "./pod_types.ts";

const S = { stable: true };

type StatusList = (p: Pod) => readonly ContainerStatus[];

const statuses: StatusList = (p) => p.status?.containerStatuses ?? [];
const initStatuses: StatusList = (p) => p.status?.initContainerStatuses ?? [];

/** `kube_pod_*container_resource_{requests,limits}` samples of a container list. */
function containerResources(
  p: Pod,
  containers: readonly Container[],
  which: "requests" | "limits",
): Metric[] {
  const out: Metric[] = [];
  for (const c of containers) {
    for (const [name, q] of sortedResources(c.resources?.[which])) {
      const amount = resourceAmount(name, q);
      if (amount === undefined) continue;
      const [resource, unit, value] = amount;
      out.push(m(value, { container: c.name, node: p.spec?.nodeName ?? "", resource, unit }));
    }
  }
  return out;
}

function perStatus(list: StatusList, f: (cs: ContainerStatus) => number) {
  return (p: Pod): Metric[] => list(p).map((cs) => m(f(cs), { container: cs.name }));
}

function reasonOf(list: StatusList, pick: (cs: ContainerStatus) => string | undefined) {
  return (p: Pod): Metric[] =>
    list(p).flatMap((cs) => {
      const r = pick(cs);
      return r === undefined ? [] : [m(1, { container: cs.name, reason: r })];
    });
}

/** How the two container lists differ in their status families. */
interface StatusFamilyOptions {
  /** `container` or `init_container`, as in the family names. */
  readonly prefix: string;
  /** `container` or `init container`, as in the help texts. */
  readonly noun: string;
  readonly list: StatusList;
  readonly restartsHelp: string;
  readonly waitingReasonStable: boolean;
  /** Families upstream lists right after `…_status_last_terminated_reason`. */
  readonly afterLastTerminated?: readonly FamilyGenerator<Pod>[];
}

/** `kube_pod_<prefix>_status_*`, in upstream's order. */
function statusFamilies(opts: StatusFamilyOptions): FamilyGenerator<Pod>[] {
  const { prefix, noun, list } = opts;
  const name = (s: string) => `kube_pod_${prefix}_status_${s}`;
  return [
    family<Pod>(
      name("last_terminated_reason"),
      `Describes the last reason the ${noun} was in terminated state.`,
      reasonOf(list, (cs) => (cs.lastState?.terminated ? (cs.lastState.terminated.reason ?? "") : undefined)),
    ),
    ...(opts.afterLastTerminated ?? []),
    family<Pod>(
      name("ready"),
      `Describes whether the ${noun}s readiness check succeeded.`,
      perStatus(list, (cs) => b(cs.ready === true)),
      S,
    ),
    family<Pod>(
      name("restarts_total"),
      opts.restartsHelp,
      perStatus(list, (cs) => cs.restartCount ?? 0),
      { type: "counter", stable: true },
    ),
    family<Pod>(
      name("running"),
      `Describes whether the ${noun} is currently in running state.`,
      perStatus(list, (cs) => b(cs.state?.running !== undefined)),
      S,
    ),
    family<Pod>(
      name("terminated"),
      `Describes whether the ${noun} is currently in terminated state.`,
      perStatus(list, (cs) => b(cs.state?.terminated !== undefined)),
      S,
    ),
    family<Pod>(
      name("terminated_reason"),
      `Describes the reason the ${noun} is currently in terminated state.`,
      reasonOf(list, (cs) => (cs.state?.terminated ? (cs.state.terminated.reason ?? "") : undefined)),
    ),
    family<Pod>(
      name("waiting"),
      `Describes whether the ${noun} is currently in waiting state.`,
      perStatus(list, (cs) => b(cs.state?.waiting !== undefined)),
      S,
    ),
    family<Pod>(
      name("waiting_reason"),
      `Describes the reason the ${noun} is currently in waiting state.`,
      reasonOf(list, (cs) => (cs.state?.waiting ? (cs.state.waiting.reason ?? "") : undefined)),
      { stable: opts.waitingReasonStable },
    ),
  ];
}

/** Upstream's started-at time of a container: running, else terminated. */
function startedAt(cs: ContainerStatus): number | undefined {
  return unix(cs.state?.running?.startedAt ?? cs.state?.terminated?.startedAt);
}

/** `kube_pod_container_*`: info, resources, state started, statuses. */
export function containerFamilies(): FamilyGenerator<Pod>[] {
  return [
    family<Pod>(
      "kube_pod_container_info",
      "Information about a container in a pod.",
      (p) =>
        statuses(p).map((cs) =>
          m(1, {
            container: cs.name,
            image_spec: p.spec?.containers?.find((c) => c.name === cs.name)?.image ?? "",
            image: cs.image ?? "",
            image_id: cs.imageID ?? "",
            container_id: cs.containerID ?? "",
          }),
        ),
      S,
    ),
    family<Pod>(
      "kube_pod_container_resource_limits",
      "The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.",
      (p) => containerResources(p, p.spec?.containers ?? [], "limits"),
      S,
    ),
    family<Pod>(
      "kube_pod_container_resource_requests",
      "The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.",
      (p) => containerResources(p, p.spec?.containers ?? [], "requests"),
      S,
    ),
    family<Pod>(
      "kube_pod_container_state_started",
      "Start time in unix timestamp for a pod container.",
      (p) =>
        statuses(p).flatMap((cs) => {
          const t = startedAt(cs);
          return t === undefined ? [] : [m(t, { container: cs.name })];
        }),
      S,
    ),
    ...statusFamilies({
      prefix: "container",
      noun: "container",
      list: statuses,
      restartsHelp: "The number of container restarts per container.",
      waitingReasonStable: true,
      afterLastTerminated: [
        family<Pod>(
          "kube_pod_container_status_last_terminated_exitcode",
          "Describes the exit code for the last container in terminated state.",
          (p) =>
            statuses(p).flatMap((cs) =>
              cs.lastState?.terminated
                ? [m(cs.lastState.terminated.exitCode ?? 0, { container: cs.name })]
                : [],
            ),
        ),
        family<Pod>(
          "kube_pod_container_status_last_terminated_timestamp",
          "Last terminated time for a pod container in unix timestamp.",
          (p) =>
            statuses(p).flatMap((cs) => {
              const t = unix(cs.lastState?.terminated?.finishedAt);
              return t === undefined ? [] : [m(t, { container: cs.name })];
            }),
        ),
      ],
    }),
  ];
}

/** `kube_pod_init_container_*`: info, resources, statuses. */
export function initContainerFamilies(): FamilyGenerator<Pod>[] {
  return [
    family<Pod>(
      "kube_pod_init_container_info",
      "Information about an init container in a pod.",
      (p) =>
        initStatuses(p).map((cs) => {
          const spec = p.spec?.initContainers?.find((c) => c.name === cs.name);
          return m(1, {
            container: cs.name,
            image_spec: spec?.image ?? "",
            image: cs.image ?? "",
            image_id: cs.imageID ?? "",
            container_id: cs.containerID ?? "",
            restart_policy: spec?.restartPolicy ?? "",
          });
        }),
      S,
    ),
    family<Pod>(
      "kube_pod_init_container_resource_limits",
      "The number of requested limit resource by an init container.",
      (p) => containerResources(p, p.spec?.initContainers ?? [], "limits"),
    ),
    family<Pod>(
      "kube_pod_init_container_resource_requests",
      "The number of requested request resource by an init container.",
      (p) => containerResources(p, p.spec?.initContainers ?? [], "requests"),
    ),
    ...statusFamilies({
      prefix: "init_container",
      noun: "init container",
      list: initStatuses,
      restartsHelp: "The number of restarts for the init container.",
      waitingReasonStable: false,
    }),
  ];
}
