/**
 * Upstream's `PipelineBuilder.New`: for every receiver, GossipSettle →
 * Inhibit → TimeActive → TimeMute → Silence, then for each of its
 * integrations, concurrently: Wait → Dedup → Retry → SetNotifies.
 */
import type { Logger } from "../../log/log.ts";
import type { Alert, GroupMarker } from "../types/types.ts";
import { type Clock, SYSTEM_CLOCK, sleep } from "./clock.ts";
import { DedupStage, type NotificationLog, SetNotifiesStage } from "./dedup.ts";
import type { NotifyMetrics } from "./metrics.ts";
import { type Muter, MuteStage, TimeActiveStage, type TimeMuter, TimeMuteStage } from "./mute.ts";
import type { Integration, NotifyContext } from "./notifier.ts";
import { type BackoffOptions, RetryStage } from "./retry.ts";
import { FanoutStage, MultiStage, RoutingStage, type Stage, type StageResult } from "./stage.ts";

/** Upstream's `Peer`: a cluster member to wait for before notifying. */
export interface Peer {
  waitReady(signal: AbortSignal): Promise<void>;
}

/** What {@link buildPipeline} wires in. */
export interface PipelineDeps {
  readonly inhibitor: Muter;
  readonly silencer: Muter;
  readonly intervener: TimeMuter;
  readonly marker: GroupMarker;
  readonly nflog: NotificationLog;
  readonly metrics: NotifyMetrics;
  /** Default: none (a single instance). */
  readonly peer?: Peer;
  /** This instance's wait before notifying, ms (upstream's position × peer timeout); default 0. */
  readonly wait?: () => number;
  readonly clock?: Clock;
  readonly backoff?: BackoffOptions;
}

/** Upstream's `GossipSettleStage`: waits for the cluster to settle (nothing without a peer). */
export class GossipSettleStage implements Stage {
  readonly #peer: Peer | undefined;
  constructor(peer: Peer | undefined) {
    this.#peer = peer;
  }
  async exec(ctx: NotifyContext, _logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    if (this.#peer !== undefined) await this.#peer.waitReady(ctx.signal);
    return { ctx, alerts };
  }
}

/** Upstream's `WaitStage`: waits `wait()` ms, or fails when the flush aborts first. */
export class WaitStage implements Stage {
  readonly #wait: () => number;
  readonly #clock: Clock;
  constructor(wait: () => number, clock: Clock) {
    this.#wait = wait;
    this.#clock = clock;
  }
  async exec(ctx: NotifyContext, _logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    const ms = this.#wait();
    if (ms > 0 || ctx.signal.aborted) await sleep(this.#clock, ms, ctx.signal);
    return { ctx, alerts };
  }
}

function receiverStage(
  name: string,
  integrations: readonly Integration[],
  deps: PipelineDeps,
  clock: Clock,
): Stage {
  const wait = deps.wait ?? (() => 0);
  return new FanoutStage(
    integrations.map((i) => {
      const recv = { groupName: name, integration: i.name, idx: i.index };
      return new MultiStage([
        new WaitStage(wait, clock),
        new DedupStage(deps.nflog, recv, i.sendResolved),
        new RetryStage(i, name, deps.metrics, clock, deps.backoff),
        new SetNotifiesStage(deps.nflog, recv),
      ]);
    }),
  );
}

/**
 * The notification pipeline: a stage that routes a flush to its receiver's
 * stages by `ctx.receiverName` (rejecting `stage for receiver missing` for
 * an unknown one).
 */
export function buildPipeline(
  integrationsByReceiver: ReadonlyMap<string, readonly Integration[]>,
  deps: PipelineDeps,
): Stage {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const settle = new GossipSettleStage(deps.peer);
  const inhibit = new MuteStage(deps.inhibitor, "inhibition", deps.metrics);
  const active = new TimeActiveStage(deps.intervener, deps.marker, deps.metrics);
  const mute = new TimeMuteStage(deps.intervener, deps.marker, deps.metrics);
  const silence = new MuteStage(deps.silencer, "silence", deps.metrics);
  const byReceiver = new Map<string, Stage>();
  for (const [name, integrations] of integrationsByReceiver) {
    byReceiver.set(
      name,
      new MultiStage([
        settle,
        inhibit,
        active,
        mute,
        silence,
        receiverStage(name, integrations, deps, clock),
      ]),
    );
  }
  return new RoutingStage(byReceiver);
}
