/**
 * The pipeline's building blocks (upstream's `notify.Stage`, `MultiStage`,
 * `FanoutStage`, `RoutingStage`): a stage takes the flush's context and
 * alerts and returns a possibly narrowed context and alert list, or throws.
 */
import type { Logger } from "../../log/log.ts";
import type { Alert } from "../types/types.ts";
import type { NotifyContext } from "./notifier.ts";

/** What a stage hands to the next one. */
export interface StageResult {
  readonly ctx: NotifyContext;
  readonly alerts: readonly Alert[];
}

/** Upstream's `Stage`. Throws on failure (upstream's non-nil error). */
export interface Stage {
  exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult>;
}

/** Runs stages in order; stops (without error) as soon as no alerts are left. */
export class MultiStage implements Stage {
  readonly stages: readonly Stage[];
  constructor(stages: readonly Stage[]) {
    this.stages = stages;
  }

  async exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    let cur: StageResult = { ctx, alerts };
    for (const s of this.stages) {
      if (cur.alerts.length === 0) return { ctx: cur.ctx, alerts: [] };
      cur = await s.exec(cur.ctx, logger, cur.alerts);
    }
    return cur;
  }
}

/**
 * Runs stages concurrently on the same input and waits for all; returns the
 * input, or throws one error joining every failure's message by newlines
 * (Go's `errors.Join`).
 */
export class FanoutStage implements Stage {
  readonly stages: readonly Stage[];
  constructor(stages: readonly Stage[]) {
    this.stages = stages;
  }

  async exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    const results = await Promise.allSettled(this.stages.map((s) => s.exec(ctx, logger, alerts)));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [toError(r.reason)] : []));
    if (errors.length > 0) throw joinErrors(errors);
    return { ctx, alerts };
  }
}

/** The stage of each receiver, chosen by `ctx.receiverName`. */
export class RoutingStage implements Stage {
  readonly byReceiver: ReadonlyMap<string, Stage>;
  constructor(byReceiver: ReadonlyMap<string, Stage>) {
    this.byReceiver = byReceiver;
  }

  exec(ctx: NotifyContext, logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    const s = this.byReceiver.get(ctx.receiverName);
    if (s === undefined) return Promise.reject(new Error("stage for receiver missing"));
    return s.exec(ctx, logger, alerts);
  }
}

/** A stage from a function. */
export function stageFunc(fn: Stage["exec"]): Stage {
  return { exec: fn };
}

/** `value` as an Error. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Go's `errors.Join`: one error, the messages newline-separated, the parts as `cause`. */
export function joinErrors(errors: readonly Error[]): Error {
  if (errors.length === 1) return errors[0]!;
  return new Error(errors.map((e) => e.message).join("\n"), { cause: errors });
}
