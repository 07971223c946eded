/** PersistentVolumeClaim and PersistentVolume metrics (upstream `internal/store/persistentvolume{,claim}.go`). */
import { type Condition, conditionMetrics, type KubeObject, timestamp } from "../common.ts";
import { b, type FamilyGenerator, family, m } from "../metric.ts";
import { quantityValue } from "../quantity.ts";
import { defineResource, type GeneratorOptions, type ResourceDef } from "../resource.ts";
import { annotationsFamily, createdFamily, labelsFamily } from "./meta.ts";

interface PersistentVolumeClaim extends KubeObject {
  readonly spec?: {
    readonly storageClassName?: string;
    readonly volumeName?: string;
    readonly volumeMode?: string;
    readonly accessModes?: readonly string[];
    readonly resources?: { readonly requests?: Readonly<Record<string, string>> };
  };
  readonly status?: { readonly phase?: string; readonly conditions?: readonly Condition[] };
}

interface PersistentVolume extends KubeObject {
  readonly spec?: {
    readonly storageClassName?: string;
    readonly capacity?: Readonly<Record<string, string>>;
    readonly persistentVolumeReclaimPolicy?: string;
    readonly claimRef?: { readonly name?: string; readonly namespace?: string };
    readonly gcePersistentDisk?: { readonly pdName?: string };
    readonly awsElasticBlockStore?: { readonly volumeID?: string };
    readonly azureDisk?: { readonly diskName?: string };
    readonly fc?: {
      readonly wwids?: readonly string[];
      readonly lun?: number;
      readonly targetWWNs?: readonly string[];
    };
    readonly iscsi?: {
      readonly targetPortal?: string;
      readonly iqn?: string;
      readonly lun?: number;
      readonly initiatorName?: string;
    };
    readonly nfs?: { readonly server?: string; readonly path?: string };
    readonly csi?: { readonly driver?: string; readonly volumeHandle?: string };
    readonly local?: { readonly path?: string; readonly fsType?: string };
    readonly hostPath?: { readonly path?: string; readonly type?: string };
  };
  readonly status?: { readonly phase?: string };
}

const S = { stable: true };
const BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

function meta<T extends KubeObject>(kind: string, o: GeneratorOptions): FamilyGenerator<T>[] {
  return [
    annotationsFamily<T>(kind, o),
    labelsFamily<T>(kind, o),
    createdFamily<T>(kind, false),
    family<T>(`kube_${kind}_deletion_timestamp`, "Unix deletion timestamp", (x) =>
      timestamp(x.metadata?.deletionTimestamp),
    ),
  ];
}

function pvcFamilies(o: GeneratorOptions): FamilyGenerator<PersistentVolumeClaim>[] {
  return [
    ...meta<PersistentVolumeClaim>("persistentvolumeclaim", o),
    family<PersistentVolumeClaim>(
      "kube_persistentvolumeclaim_info",
      "Information about persistent volume claim.",
      (c) => [
        m(1, {
          storageclass: c.spec?.storageClassName ?? c.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? "",
          volumename: c.spec?.volumeName ?? "",
          volumemode: c.spec?.volumeMode ?? "",
        }),
      ],
      S,
    ),
    family<PersistentVolumeClaim>(
      "kube_persistentvolumeclaim_status_phase",
      "The phase the persistent volume claim is currently in.",
      (c) =>
        c.status?.phase
          ? ["Lost", "Bound", "Pending"].map((p) => m(b(c.status?.phase === p), { phase: p }))
          : [],
      S,
    ),
    family<PersistentVolumeClaim>(
      "kube_persistentvolumeclaim_resource_requests_storage_bytes",
      "The capacity of storage requested by the persistent volume claim.",
      (c) => {
        const q = c.spec?.resources?.requests?.storage;
        return q === undefined ? [] : [m(quantityValue(q))];
      },
      S,
    ),
    family<PersistentVolumeClaim>(
      "kube_persistentvolumeclaim_access_mode",
      "The access mode(s) specified by the persistent volume claim.",
      (c) => (c.spec?.accessModes ?? []).map((a) => m(1, { access_mode: a })),
      S,
    ),
    family<PersistentVolumeClaim>(
      "kube_persistentvolumeclaim_status_condition",
      "Information about status of different conditions of persistent volume claim.",
      (c) =>
        (c.status?.conditions ?? []).flatMap((x) =>
          conditionMetrics(x.status, "status").map((y) => ({
            keys: ["condition", ...y.keys],
            values: [x.type ?? "", ...y.values],
            value: y.value,
          })),
        ),
    ),
  ];
}

function pvInfo(v: PersistentVolume) {
  const s = v.spec ?? {};
  return m(1, {
    storageclass: s.storageClassName ?? "",
    gce_persistent_disk_name: s.gcePersistentDisk?.pdName ?? "",
    ebs_volume_id: s.awsElasticBlockStore?.volumeID ?? "",
    azure_disk_name: s.azureDisk?.diskName ?? "",
    fc_wwids: (s.fc?.wwids ?? []).join(","),
    fc_lun: s.fc?.lun === undefined ? "" : String(s.fc.lun),
    fc_target_wwns: (s.fc?.targetWWNs ?? []).join(","),
    iscsi_target_portal: s.iscsi?.targetPortal ?? "",
    iscsi_iqn: s.iscsi?.iqn ?? "",
    iscsi_lun: s.iscsi?.lun === undefined ? "" : String(s.iscsi.lun),
    iscsi_initiator_name: s.iscsi?.initiatorName ?? "",
    nfs_server: s.nfs?.server ?? "",
    nfs_path: s.nfs?.path ?? "",
    csi_driver: s.csi?.driver ?? "",
    csi_volume_handle: s.csi?.volumeHandle ?? "",
    local_path: s.local?.path ?? "",
    local_fs: s.local?.fsType ?? "",
    host_path: s.hostPath?.path ?? "",
    host_path_type: s.hostPath?.type ?? "",
    reclaim_policy: s.persistentVolumeReclaimPolicy ?? "",
  });
}

function pvFamilies(o: GeneratorOptions): FamilyGenerator<PersistentVolume>[] {
  return [
    ...meta<PersistentVolume>("persistentvolume", o),
    family<PersistentVolume>(
      "kube_persistentvolume_claim_ref",
      "Information about the Persistent Volume Claim Reference.",
      (v) =>
        v.spec?.claimRef
          ? [m(1, { name: v.spec.claimRef.name ?? "", claim_namespace: v.spec.claimRef.namespace ?? "" })]
          : [],
      S,
    ),
    family<PersistentVolume>(
      "kube_persistentvolume_status_phase",
      "The phase indicates if a volume is available, bound to a claim, or released by a claim.",
      (v) =>
        v.status?.phase
          ? ["Pending", "Available", "Bound", "Released", "Failed"].map((p) =>
              m(b(v.status?.phase === p), { phase: p }),
            )
          : [],
      S,
    ),
    family<PersistentVolume>(
      "kube_persistentvolume_info",
      "Information about persistentvolume.",
      (v) => [pvInfo(v)],
      S,
    ),
    family<PersistentVolume>(
      "kube_persistentvolume_capacity_bytes",
      "Persistentvolume capacity in bytes.",
      (v) => {
        const q = v.spec?.capacity?.storage;
        return q === undefined ? [] : [m(quantityValue(q))];
      },
      S,
    ),
  ];
}

/** `persistentvolumeclaims`: `kube_persistentvolumeclaim_*`, labelled `namespace`, `persistentvolumeclaim`. */
export const PERSISTENTVOLUMECLAIMS: ResourceDef = defineResource(
  {
    name: "persistentvolumeclaims",
    kind: "PersistentVolumeClaim",
    group: "",
    version: "v1",
    namespaced: true,
  },
  "persistentvolumeclaim",
  pvcFamilies,
);

/** `persistentvolumes`: `kube_persistentvolume_*`, labelled `persistentvolume`. */
export const PERSISTENTVOLUMES: ResourceDef = defineResource(
  { name: "persistentvolumes", kind: "PersistentVolume", group: "", version: "v1", namespaced: false },
  "persistentvolume",
  pvFamilies,
);
