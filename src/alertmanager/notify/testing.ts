/**
 * Test fakes for the pipeline's dependencies: an in-memory notification log,
 * a group marker, muters and a notifier that records what it is sent.
 */

import type { NflogEntry, NflogReceiver } from "../nflog/nflog.ts";
import type { Alert, GroupMarker, LabelSet } from "../types/types.ts";
import type { Clock } from "./clock.ts";
import type { NotificationLog } from "./dedup.ts";
import type { Muter } from "./mute.ts";
import type { Notifier, NotifyContext, NotifyResult } from "./notifier.ts";

function recvKey(r: NflogReceiver): string {
  return `${r.groupName}/${r.integration}/${r.idx}`;
}

/** A notification log in memory, stamped with `clock` (expiry ignored). */
export class MemoryNflog implements NotificationLog {
  readonly entries = new Map<string, NflogEntry>();
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  log(
    receiver: NflogReceiver,
    groupKey: string,
    firing: readonly bigint[],
    resolved: readonly bigint[],
  ): void {
    const e = {
      groupKey,
      receiver,
      timestamp: this.#clock.now(),
      firingAlerts: firing,
      resolvedAlerts: resolved,
    };
    this.entries.set(`${groupKey}|${recvKey(receiver)}`, e);
  }
  query(groupKey: string, receiver: NflogReceiver): readonly NflogEntry[] {
    const e = this.entries.get(`${groupKey}|${recvKey(receiver)}`);
    return e === undefined ? [] : [e];
  }
}

/** A group marker in memory. */
export class MemoryGroupMarker implements GroupMarker {
  readonly muted_ = new Map<string, readonly string[]>();
  muted(routeID: string, groupKey: string): readonly string[] {
    return this.muted_.get(`${routeID}|${groupKey}`) ?? [];
  }
  setMuted(routeID: string, groupKey: string, names: readonly string[]): void {
    if (names.length === 0) this.muted_.delete(`${routeID}|${groupKey}`);
    else this.muted_.set(`${routeID}|${groupKey}`, names);
  }
  deleteByGroupKey(routeID: string, groupKey: string): void {
    this.muted_.delete(`${routeID}|${groupKey}`);
  }
}

/** A muter from a predicate. */
export function muterOf(fn: (labels: LabelSet) => boolean): Muter {
  return { mutes: fn };
}

/** A muter muting nothing. */
export const NO_MUTER: Muter = muterOf(() => false);

/** One call a {@link RecordingNotifier} received. */
export interface Sent {
  readonly at: number;
  readonly ctx: NotifyContext;
  readonly alerts: readonly Alert[];
}

/** Records every call; answers from `results` in turn (then success). */
export class RecordingNotifier implements Notifier {
  readonly sent: Sent[] = [];
  readonly #clock: Clock;
  readonly #results: NotifyResult[];
  constructor(clock: Clock, results: NotifyResult[] = []) {
    this.#clock = clock;
    this.#results = [...results];
  }
  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
    this.sent.push({ at: this.#clock.now(), ctx, alerts });
    return this.#results.shift() ?? { retry: false };
  }
}

/** A context for stage tests; `templates` must come from `AlertmanagerTemplates.fromGlobs`. */
export function testContext(
  templates: NotifyContext["templates"],
  over: Partial<NotifyContext> = {},
): NotifyContext {
  return {
    groupKey: '{}:{alertname="A"}',
    receiverName: "r",
    groupLabels: { alertname: "A" },
    repeatInterval: 3_600_000,
    now: Date.UTC(2026, 0, 1),
    routeID: "{}",
    signal: new AbortController().signal,
    templates,
    firingAlerts: [],
    resolvedAlerts: [],
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    notificationReason: "",
    ...over,
  };
}

/** An alert for tests; times in ms (0 = unset). */
export function testAlert(labels: LabelSet, over: Partial<Alert> = {}): Alert {
  return {
    labels,
    annotations: {},
    startsAt: 0,
    endsAt: 0,
    generatorURL: "",
    updatedAt: 0,
    timeout: false,
    ...over,
  };
}
