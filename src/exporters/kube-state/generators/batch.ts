/** Job and CronJob metrics (upstream `internal/store/{job,cronjob}.go`). */
import {
  type Condition,
  conditionMetrics,
  type KubeObject,
  optional,
  ownerMetrics,
  timestamp,
} from "../common.ts";
import { b, type FamilyGenerator, family, type Metric, m } from "../metric.ts";
import { defineResource, type GeneratorOptions, type ResourceDef } from "../resource.ts";
import { annotationsFamily, createdFamily, labelsFamily } from "./meta.ts";

/** The fields of a Job the generators read. */
export interface Job extends KubeObject {
  readonly spec?: {
    readonly parallelism?: number;
    readonly completions?: number;
    readonly activeDeadlineSeconds?: number;
  };
  readonly status?: {
    readonly active?: number;
    readonly succeeded?: number;
    readonly failed?: number;
    readonly startTime?: string;
    readonly completionTime?: string;
    readonly conditions?: readonly Condition[];
  };
}

/** The fields of a CronJob the generators read. */
export interface CronJob extends KubeObject {
  readonly spec?: {
    readonly schedule?: string;
    readonly timeZone?: string;
    readonly concurrencyPolicy?: string;
    readonly suspend?: boolean;
    readonly startingDeadlineSeconds?: number;
    readonly successfulJobsHistoryLimit?: number;
    readonly failedJobsHistoryLimit?: number;
  };
  readonly status?: {
    readonly active?: readonly unknown[];
    readonly lastScheduleTime?: string;
    readonly lastSuccessfulTime?: string;
  };
}

const FAILURE_REASONS = ["BackoffLimitExceeded", "DeadlineExceeded", "Evicted"];
const S = { stable: true };

function conditionsOf(j: Job, type: string): Metric[] {
  return (j.status?.conditions ?? [])
    .filter((c) => c.type === type)
    .flatMap((c) => conditionMetrics(c.status));
}

function failed(j: Job): Metric[] {
  const count = j.status?.failed ?? 0;
  const condition = j.status?.conditions?.find((c) => c.type === "Failed");
  if (count === 0 || condition === undefined) return [m(count)];
  const out = FAILURE_REASONS.map((r) => m(condition.reason === r ? count : 0, { reason: r }));
  if (!FAILURE_REASONS.includes(condition.reason ?? ""))
    out.push(m(count, { reason: condition.reason ?? "" }));
  return out;
}

function jobFamilies(o: GeneratorOptions): FamilyGenerator<Job>[] {
  return [
    annotationsFamily<Job>("job", o),
    labelsFamily<Job>("job", o),
    family<Job>("kube_job_info", "Information about job.", () => [m(1)], S),
    createdFamily<Job>("job"),
    family<Job>(
      "kube_job_spec_parallelism",
      "The maximum desired number of pods the job should run at any given time.",
      (j) => optional(j.spec?.parallelism),
      S,
    ),
    family<Job>(
      "kube_job_spec_completions",
      "The desired number of successfully finished pods the job should be run with.",
      (j) => optional(j.spec?.completions),
      S,
    ),
    family<Job>(
      "kube_job_spec_active_deadline_seconds",
      "The duration in seconds relative to the startTime that the job may be active before the system tries to terminate it.",
      (j) => optional(j.spec?.activeDeadlineSeconds),
      S,
    ),
    family<Job>(
      "kube_job_status_succeeded",
      "The number of pods which reached Phase Succeeded.",
      (j) => [m(j.status?.succeeded ?? 0)],
      S,
    ),
    family<Job>(
      "kube_job_status_failed",
      "The number of pods which reached Phase Failed and the reason for failure.",
      failed,
      S,
    ),
    family<Job>(
      "kube_job_status_active",
      "The number of actively running pods.",
      (j) => [m(j.status?.active ?? 0)],
      S,
    ),
    family<Job>(
      "kube_job_complete",
      "The job has completed its execution.",
      (j) => conditionsOf(j, "Complete"),
      S,
    ),
    family<Job>("kube_job_failed", "The job has failed its execution.", (j) => conditionsOf(j, "Failed"), S),
    family<Job>(
      "kube_job_status_start_time",
      "StartTime represents time when the job was acknowledged by the Job Manager.",
      (j) => timestamp(j.status?.startTime),
      S,
    ),
    family<Job>(
      "kube_job_status_completion_time",
      "CompletionTime represents time when the job was completed.",
      (j) => timestamp(j.status?.completionTime),
      S,
    ),
    family<Job>("kube_job_owner", "Information about the Job's owner.", (j) => ownerMetrics(j.metadata), S),
  ];
}

function cronJobFamilies(o: GeneratorOptions): FamilyGenerator<CronJob>[] {
  return [
    annotationsFamily<CronJob>("cronjob", o),
    labelsFamily<CronJob>("cronjob", o),
    family<CronJob>(
      "kube_cronjob_info",
      "Info about cronjob.",
      (c) => [
        m(1, {
          schedule: c.spec?.schedule ?? "",
          concurrency_policy: c.spec?.concurrencyPolicy ?? "",
          timezone: c.spec?.timeZone ?? "local",
        }),
      ],
      S,
    ),
    createdFamily<CronJob>("cronjob"),
    family<CronJob>(
      "kube_cronjob_status_active",
      "Active holds pointers to currently running jobs.",
      (c) => [m(c.status?.active?.length ?? 0)],
      S,
    ),
    family<CronJob>(
      "kube_cronjob_status_last_schedule_time",
      "LastScheduleTime keeps information of when was the last time the job was successfully scheduled.",
      (c) => timestamp(c.status?.lastScheduleTime),
      S,
    ),
    family<CronJob>(
      "kube_cronjob_status_last_successful_time",
      "LastSuccessfulTime keeps information of when was the last time the job was completed successfully.",
      (c) => timestamp(c.status?.lastSuccessfulTime),
      S,
    ),
    family<CronJob>(
      "kube_cronjob_spec_suspend",
      "Suspend flag tells the controller to suspend subsequent executions.",
      (c) => [m(b(c.spec?.suspend === true))],
      S,
    ),
    family<CronJob>(
      "kube_cronjob_spec_starting_deadline_seconds",
      "Deadline in seconds for starting the job if it misses scheduled time for any reason.",
      (c) => optional(c.spec?.startingDeadlineSeconds),
      S,
    ),
    family<CronJob>(
      "kube_cronjob_metadata_resource_version",
      "Resource version representing a specific version of the cronjob.",
      (c) => {
        const v = Number(c.metadata?.resourceVersion);
        return Number.isFinite(v) && c.metadata?.resourceVersion !== undefined ? [m(v)] : [];
      },
      S,
    ),
    family<CronJob>(
      "kube_cronjob_spec_successful_job_history_limit",
      "Successful job history limit tells the controller how many completed jobs should be preserved.",
      (c) => optional(c.spec?.successfulJobsHistoryLimit),
    ),
    family<CronJob>(
      "kube_cronjob_spec_failed_job_history_limit",
      "Failed job history limit tells the controller how many failed jobs should be preserved.",
      (c) => optional(c.spec?.failedJobsHistoryLimit),
    ),
  ];
}

/** `jobs`: `kube_job_*`, labelled `namespace`, `job_name`. */
export const JOBS: ResourceDef = defineResource(
  { name: "jobs", kind: "Job", group: "batch", version: "v1", namespaced: true },
  "job_name",
  jobFamilies,
);

/** `cronjobs`: `kube_cronjob_*`, labelled `namespace`, `cronjob`. */
export const CRONJOBS: ResourceDef = defineResource(
  { name: "cronjobs", kind: "CronJob", group: "batch", version: "v1", namespaced: true },
  "cronjob",
  cronJobFamilies,
);
