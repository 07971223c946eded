/**
 * Validates rendered objects against the Kubernetes OpenAPI schemas, through
 * the model classes of `kubernetes-models` (one per apiVersion and kind).
 */
import type { K8sObject } from "./kustomize.ts";

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** The `kubernetes-models` module of a kind: `kubernetes-models/v1/Service`, `kubernetes-models/apps/v1/Deployment`. */
export function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/**
 * Validates one object; resolves to undefined when it conforms, else to the
 * validator's message prefixed with the object's kind and name. An unknown
 * apiVersion/kind is a problem too.
 */
export async function validateObject(o: K8sObject): Promise<string | undefined> {
  const where = `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  let Model: ModelClass | undefined;
  try {
    const mod = (await import(modelModule(o.apiVersion, o.kind))) as Record<string, ModelClass>;
    Model = mod[o.kind];
  } catch {
    Model = undefined;
  }
  if (Model === undefined) return `${where}: no schema for this apiVersion and kind`;
  try {
    new Model(o).validate();
    return undefined;
  } catch (err) {
    return `${where}: ${(err as Error).message}`;
  }
}
