/**
 * The metadata families every resource has (`kube_<kind>_annotations`,
 * `kube_<kind>_labels`, `kube_<kind>_created`), with upstream's help texts.
 * Each generator places them where upstream lists them.
 */

import { type KubeObject, timestamp } from "../common.ts";
import { labelsMetric } from "../labels.ts";
import { type FamilyGenerator, family } from "../metric.ts";
import type { GeneratorOptions } from "../resource.ts";

/** `kube_<kind>_annotations`: the allowed annotations as `annotation_*` labels (experimental unless `stable`). */
export function annotationsFamily<T extends KubeObject>(
  kind: string,
  o: GeneratorOptions,
  stable = false,
): FamilyGenerator<T> {
  return family<T>(
    `kube_${kind}_annotations`,
    "Kubernetes annotations converted to Prometheus labels.",
    (x) => labelsMetric("annotation", x.metadata?.annotations, o.annotationsAllowed),
    { stable },
  );
}

/** `kube_<kind>_labels`: the allowed labels as `label_*` labels (stable unless `stable` is false). */
export function labelsFamily<T extends KubeObject>(
  kind: string,
  o: GeneratorOptions,
  stable = true,
): FamilyGenerator<T> {
  return family<T>(
    `kube_${kind}_labels`,
    "Kubernetes labels converted to Prometheus labels.",
    (x) => labelsMetric("label", x.metadata?.labels, o.labelsAllowed),
    { stable },
  );
}

/** `kube_<kind>_created`: the creation time in Unix seconds (stable unless `stable` is false). */
export function createdFamily<T extends KubeObject>(kind: string, stable = true): FamilyGenerator<T> {
  return family<T>(
    `kube_${kind}_created`,
    "Unix creation timestamp",
    (x) => timestamp(x.metadata?.creationTimestamp),
    { stable },
  );
}

/** The three in upstream's usual order: annotations, labels (stable), created (stable). */
export function metaFamilies<T extends KubeObject>(kind: string, o: GeneratorOptions): FamilyGenerator<T>[] {
  return [annotationsFamily<T>(kind, o), labelsFamily<T>(kind, o), createdFamily<T>(kind)];
}
