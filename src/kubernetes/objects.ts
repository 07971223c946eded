/**
 * The wire shapes shared by every resource: object metadata, lists, watch
 * events and `Status` errors, as the API server sends them in JSON (timestamps
 * stay strings). Role-specific object types come from `@kubernetes/client-node`'s
 * models where a caller needs them (`import type { V1Pod } …`); note that those
 * declare timestamps as `Date`, which raw JSON never holds.
 */

/** An `ownerReferences` entry. */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** `metadata` of any object (the fields Vigil reads; others pass through). */
export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
}

/** Any API object: `kind`/`apiVersion` are absent on list items. */
export interface KubeObject {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata: ObjectMeta;
}

/** A list answer: `{kind: "PodList", metadata: {resourceVersion, continue}, items}`. */
export interface KubeList<T extends KubeObject = KubeObject> {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata: {
    readonly resourceVersion?: string;
    readonly continue?: string;
    readonly remainingItemCount?: number;
  };
  readonly items: readonly T[];
}

/** The API server's error object (`kind: Status`). */
export interface Status {
  readonly kind?: "Status";
  readonly apiVersion?: string;
  readonly metadata?: Record<string, unknown>;
  readonly status?: "Success" | "Failure";
  readonly message?: string;
  /** `NotFound`, `Forbidden`, `Expired`, `Gone`, … */
  readonly reason?: string;
  readonly details?: Record<string, unknown>;
  readonly code?: number;
}

/** One line of a watch stream. */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { readonly type: "ADDED" | "MODIFIED" | "DELETED"; readonly object: T }
  /** Only `metadata.resourceVersion` (and annotations) are filled. */
  | { readonly type: "BOOKMARK"; readonly object: KubeObject }
  | { readonly type: "ERROR"; readonly object: Status };

/** The store key of an object: `namespace/name`, or `name` for cluster-scoped objects (client-go's `MetaNamespaceKeyFunc`). */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace ?? "";
  const name = obj.metadata.name ?? "";
  return ns === "" ? name : `${ns}/${name}`;
}

/** The owner reference with `controller: true`, if any (apimachinery's `GetControllerOf`). */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}
