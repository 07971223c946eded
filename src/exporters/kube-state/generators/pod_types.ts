/** The fields of a Pod the pod generators read. */
import type { Condition, KubeObject } from "../common.ts";

/** A resource list (`requests`, `limits`, `overhead`). */
export type Resources = Readonly<Record<string, string | number>>;

/** A container's state (one of the three set). */
export interface ContainerState {
  readonly waiting?: { readonly reason?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: {
    readonly reason?: string;
    readonly exitCode?: number;
    readonly startedAt?: string;
    readonly finishedAt?: string;
  };
}

/** An entry of `status.containerStatuses` / `initContainerStatuses`. */
export interface ContainerStatus {
  readonly name: string;
  readonly image?: string;
  readonly imageID?: string;
  readonly containerID?: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

/** An entry of `spec.containers` / `initContainers`. */
export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly restartPolicy?: string;
  readonly resources?: { readonly requests?: Resources; readonly limits?: Resources };
}

/** The fields of a Pod the generators read. */
export interface Pod extends KubeObject {
  readonly spec?: {
    readonly nodeName?: string;
    readonly hostNetwork?: boolean;
    readonly priorityClassName?: string;
    readonly restartPolicy?: string;
    readonly runtimeClassName?: string;
    readonly schedulerName?: string;
    readonly serviceAccountName?: string;
    readonly overhead?: Resources;
    readonly containers?: readonly Container[];
    readonly initContainers?: readonly Container[];
    readonly volumes?: readonly {
      readonly name: string;
      readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
    }[];
    readonly tolerations?: readonly {
      readonly key?: string;
      readonly operator?: string;
      readonly value?: string;
      readonly effect?: string;
      readonly tolerationSeconds?: number;
    }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly qosClass?: string;
    readonly hostIP?: string;
    readonly podIP?: string;
    readonly podIPs?: readonly { readonly ip: string }[];
    readonly startTime?: string;
    readonly conditions?: readonly Condition[];
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
  };
}
