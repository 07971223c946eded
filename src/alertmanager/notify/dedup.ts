/**
 * Deduplication against the notification log (upstream's `DedupStage`,
 * `needsUpdate` and `SetNotifiesStage`): a group is notified to an
 * integration when it has firing alerts the integration was not told about,
 * when all its alerts resolved after firing ones were notified, when
 * resolved alerts are new and the integration has `send_resolved`, or when
 * `repeat_interval` has passed since the last notification.
 */
import type { Logger } from "../../log/log.ts";
import { type NflogEntry, NflogNotFoundError, type NflogReceiver } from "../nflog/nflog.ts";
import { type Alert, resolvedAt } from "../types/types.ts";
import { hashAlert } from "./hash.ts";
import type { NotifyContext } from "./notifier.ts";
import type { Stage, StageResult } from "./stage.ts";

/**
 * What the pipeline needs from the notification log (upstream's
 * `notify.NotificationLog`; `nflog.NotificationLog` is the implementation).
 * `query` returns the entries (0 or 1) of one group and integration, or throws
 * {@link NflogNotFoundError} when there is none, as upstream's `ErrNotFound`;
 * `log` records a notification, replacing the previous entry, stamped with the
 * log's own clock and kept for `expiryMs`.
 */
export interface NotificationLog {
  log(
    receiver: NflogReceiver,
    groupKey: string,
    firing: readonly bigint[],
    resolved: readonly bigint[],
    expiryMs: number,
  ): void | Promise<void>;
  query(groupKey: string, receiver: NflogReceiver): readonly NflogEntry[] | Promise<readonly NflogEntry[]>;
}

/** Upstream's `NotifyReason`, as its wire strings ("none" = do not notify). */
export type NotifyReason =
  | "none"
  | "first notification"
  | "new alerts added"
  | "some alerts resolved"
  | "all alerts resolved"
  | "repeat interval elapsed";

function isSubset(set: ReadonlySet<bigint>, subset: ReadonlySet<bigint>): boolean {
  for (const k of subset) if (!set.has(k)) return false;
  return true;
}

/**
 * Upstream's `needsUpdate`: why (or "none") a group with the `firing` and
 * `resolved` alert hashes must be notified given the last `entry` (undefined
 * when none), at `now` (ms), with `repeatMs` and the integration's `sendResolved`.
 */
export function needsUpdate(
  entry: NflogEntry | undefined,
  firing: ReadonlySet<bigint>,
  resolved: ReadonlySet<bigint>,
  repeatMs: number,
  sendResolved: boolean,
  now: number,
): NotifyReason {
  if (entry === undefined) return firing.size > 0 ? "first notification" : "none";
  if (!isSubset(new Set(entry.firingAlerts), firing)) {
    // After a resolution, new firing alerts open a new sequence.
    return entry.firingAlerts.length === 0 ? "first notification" : "new alerts added";
  }
  // Sent whatever send_resolved says, so the log forgets the firing alerts.
  if (firing.size === 0) return entry.firingAlerts.length > 0 ? "all alerts resolved" : "none";
  if (sendResolved && !isSubset(new Set(entry.resolvedAlerts), resolved)) return "some alerts resolved";
  return entry.timestamp < now - repeatMs ? "repeat interval elapsed" : "none";
}

async function queryEntries(
  nflog: NotificationLog,
  groupKey: string,
  recv: NflogReceiver,
): Promise<readonly NflogEntry[]> {
  try {
    return await nflog.query(groupKey, recv);
  } catch (err) {
    if (err instanceof NflogNotFoundError) return [];
    throw err;
  }
}

/** Upstream's `DedupStage` for one integration. */
export class DedupStage implements Stage {
  readonly #nflog: NotificationLog;
  readonly #recv: NflogReceiver;
  readonly #sendResolved: boolean;

  constructor(nflog: NotificationLog, recv: NflogReceiver, sendResolved: boolean) {
    this.#nflog = nflog;
    this.#recv = recv;
    this.#sendResolved = sendResolved;
  }

  async exec(ctx: NotifyContext, _logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    const firing: bigint[] = [];
    const resolved: bigint[] = [];
    for (const a of alerts) (resolvedAt(a, ctx.now) ? resolved : firing).push(hashAlert(a));
    const entries = await queryEntries(this.#nflog, ctx.groupKey, this.#recv);
    if (entries.length > 1) throw new Error(`unexpected entry result size ${entries.length}`);
    const reason = needsUpdate(
      entries[0],
      new Set(firing),
      new Set(resolved),
      ctx.repeatInterval,
      this.#sendResolved,
      ctx.now,
    );
    const next: NotifyContext = {
      ...ctx,
      firingAlerts: firing,
      resolvedAlerts: resolved,
      notificationReason: reason,
    };
    return { ctx: next, alerts: reason === "none" ? [] : alerts };
  }
}

/** Upstream's `SetNotifiesStage`: logs the notification just sent, kept for twice the repeat interval. */
export class SetNotifiesStage implements Stage {
  readonly #nflog: NotificationLog;
  readonly #recv: NflogReceiver;

  constructor(nflog: NotificationLog, recv: NflogReceiver) {
    this.#nflog = nflog;
    this.#recv = recv;
  }

  async exec(ctx: NotifyContext, _logger: Logger, alerts: readonly Alert[]): Promise<StageResult> {
    await this.#nflog.log(
      this.#recv,
      ctx.groupKey,
      ctx.firingAlerts,
      ctx.resolvedAlerts,
      2 * ctx.repeatInterval,
    );
    return { ctx, alerts };
  }
}
