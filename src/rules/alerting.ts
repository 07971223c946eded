/**
 * An alerting rule (upstream's `rules.AlertingRule`): each series of the
 * expression's result is an alert, pending until it has held for `for`,
 * then firing; when it disappears it resolves (kept 15 minutes so
 * Alertmanager hears about it) unless `keep_firing_for` keeps it firing.
 * Labels and annotations are templates expanded per alert. Once restored
 * (see `restore.ts`) the rule also returns the `ALERTS` and
 * `ALERTS_FOR_STATE` samples to append.
 */
import { type Labels, LabelsBuilder } from "../model/labels/labels.ts";
import type { RuleAlert as NotifiedAlert, NotifyFunc } from "../notifier/alert.ts";
import type { Expr } from "../promql/parser/index.ts";
import { exprToString } from "../promql/parser/index.ts";
import { ALERT_TEMPLATE_DEFS, expandTemplate } from "../template/prometheus.ts";
import { type AlertState, compareStates, copyAlert, needsSending, type RuleAlert } from "./alert.ts";
import { type LabelPairs, pairsToLabels } from "./pairs.ts";
import { type EvalEnv, initialRuleState, type Rule, type RuleHealth, type RuleSample } from "./rule.ts";

/** Metric name of the synthetic alert series. */
export const ALERT_METRIC_NAME = "ALERTS";
/** Metric name of the series keeping each alert's `activeAt`. */
export const ALERT_FOR_STATE_METRIC_NAME = "ALERTS_FOR_STATE";
/** How long a resolved alert is kept (and re-sent as resolved), ms. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/**
 * Receives the alerts to send after an evaluation (upstream's `NotifyFunc`),
 * in the notifier's shape (`src/notifier/alert.ts`).
 */
export type { NotifyFunc };

/** Everything an alerting rule is made of. */
export interface AlertingRuleOptions {
  readonly name: string;
  readonly expr: Expr;
  /** `for`, ms. */
  readonly holdDurationMs: number;
  /** `keep_firing_for`, ms. */
  readonly keepFiringForMs: number;
  readonly labels: LabelPairs;
  readonly annotations: LabelPairs;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  /** False until the `for` state was restored; only then are ALERTS samples written. */
  readonly restored: boolean;
}

/** Upstream's `AlertingRule`. */
export class AlertingRule implements Rule {
  readonly kind = "alerting" as const;
  readonly name: string;
  readonly expr: Expr;
  readonly query: string;
  readonly labels: LabelPairs;
  readonly annotations: LabelPairs;
  readonly holdDurationMs: number;
  readonly keepFiringForMs: number;
  readonly #externalLabels: Readonly<Record<string, string>>;
  readonly #externalURL: string;
  restored: boolean;
  health: RuleHealth;
  lastError: string;
  evaluationDurationMs: number;
  evaluationTimestamp: number | null;
  /** Pending, firing and recently resolved alerts by label set. */
  readonly active = new Map<string, RuleAlert>();

  constructor(o: AlertingRuleOptions) {
    this.name = o.name;
    this.expr = o.expr;
    this.query = exprToString(o.expr);
    this.labels = o.labels;
    this.annotations = o.annotations;
    this.holdDurationMs = o.holdDurationMs;
    this.keepFiringForMs = o.keepFiringForMs;
    this.#externalLabels = o.externalLabels;
    this.#externalURL = o.externalURL;
    this.restored = o.restored;
    const s = initialRuleState();
    this.health = s.health;
    this.lastError = s.lastError;
    this.evaluationDurationMs = s.evaluationDurationMs;
    this.evaluationTimestamp = s.evaluationTimestamp;
  }

  definition(): string {
    return JSON.stringify([
      "alert",
      this.name,
      this.query,
      this.holdDurationMs,
      this.keepFiringForMs,
      this.labels,
      this.annotations,
    ]);
  }

  /** Upstream's `AlertingRule.Eval`. */
  async eval(ts: number, queryOffsetMs: number, env: EvalEnv, limit: number): Promise<RuleSample[]> {
    const res = await env.query(this.expr, ts - queryOffsetMs);
    const current = new Map<string, RuleAlert>();
    const lb = new LabelsBuilder();
    for (const s of res) {
      const expand = this.#expander(s, ts, env);
      lb.reset(s.labels).del("__name__");
      for (const [n, v] of this.labels) lb.set(n, await expand(v));
      lb.set("alertname", this.name);
      const annotations: [string, string][] = [];
      for (const [n, v] of this.annotations) annotations.push([n, await expand(v)]);
      const labels = lb.labels();
      const key = labels.toString();
      if (current.has(key)) {
        throw new Error("vector contains metrics with the same labelset after applying alert labels");
      }
      current.set(key, newAlert(labels, annotations, ts, s.v));
    }
    for (const [key, a] of current) {
      const old = this.active.get(key);
      if (old !== undefined && old.state !== "inactive") {
        old.value = a.value;
        old.annotations = a.annotations;
      } else {
        this.active.set(key, a);
      }
    }
    return this.#advance(ts, queryOffsetMs, current, limit);
  }

  /** Moves every alert on (resolve, keep firing, fire) and builds the ALERTS samples. */
  #advance(ts: number, queryOffsetMs: number, current: Map<string, RuleAlert>, limit: number): RuleSample[] {
    const vec: RuleSample[] = [];
    let activePending = 0;
    for (const [key, a] of this.active) {
      if (!current.has(key)) {
        const keepFiring = this.#keepsFiring(a, ts);
        if (a.state === "pending" || (a.resolvedAt !== null && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) {
          this.active.delete(key);
        }
        if (a.state !== "inactive" && !keepFiring) {
          a.state = "inactive";
          a.resolvedAt = ts;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSince = null;
      }
      activePending++;
      if (a.state === "pending" && ts - a.activeAt >= this.holdDurationMs) {
        a.state = "firing";
        a.firedAt = ts;
      }
      if (this.restored) {
        vec.push(this.#sample(a, ts - queryOffsetMs));
        vec.push(this.#forStateSample(a, ts - queryOffsetMs));
      }
    }
    if (limit > 0 && activePending > limit) {
      this.active.clear();
      throw new Error(`exceeded limit of ${limit} with ${activePending} alerts`);
    }
    return vec;
  }

  #keepsFiring(a: RuleAlert, ts: number): boolean {
    if (a.state !== "firing" || this.keepFiringForMs <= 0) return false;
    if (a.keepFiringSince === null) a.keepFiringSince = ts;
    return ts - a.keepFiringSince < this.keepFiringForMs;
  }

  #expander(s: RuleSample, ts: number, env: EvalEnv): (text: string) => Promise<string> {
    const data = {
      labels: s.labels.toObject(),
      externalLabels: this.#externalLabels,
      externalURL: this.#externalURL,
      value: s.v,
    };
    const query = async (q: string, t: number) =>
      (await env.query(q, t)).map((x) => ({ labels: x.labels.toObject(), value: x.v }));
    return async (text) => {
      try {
        return await expandTemplate(ALERT_TEMPLATE_DEFS + text, {
          name: `__alert_${this.name}`,
          data,
          timestampMs: ts,
          query,
          externalURL: env.externalURL,
        });
      } catch (err) {
        env.logger.warn("Expanding alert template failed", { err: String(err), data });
        return `<error expanding template: ${(err as Error).message}>`;
      }
    };
  }

  #baseBuilder(a: RuleAlert): LabelsBuilder {
    const lb = new LabelsBuilder();
    for (const [n, v] of this.labels) lb.set(n, v);
    a.labels.forEach((n, v) => {
      lb.set(n, v);
    });
    return lb.set("alertname", this.name);
  }

  #sample(a: RuleAlert, t: number): RuleSample {
    const lb = this.#baseBuilder(a).set("__name__", ALERT_METRIC_NAME).set("alertstate", a.state);
    return { labels: lb.labels(), t, v: 1 };
  }

  #forStateSample(a: RuleAlert, t: number): RuleSample {
    const lb = this.#baseBuilder(a).set("__name__", ALERT_FOR_STATE_METRIC_NAME);
    return { labels: lb.labels(), t, v: Math.floor(a.activeAt / 1000) };
  }

  /** The highest state among the alerts (firing > pending > inactive). */
  state(): AlertState {
    let max: AlertState = "inactive";
    for (const a of this.active.values()) if (compareStates(a.state, max) > 0) max = a.state;
    return max;
  }

  /** Copies of the pending and firing alerts (not the resolved ones). */
  activeAlerts(): RuleAlert[] {
    return [...this.active.values()].filter((a) => a.resolvedAt === null).map(copyAlert);
  }

  /** Upstream's `sendAlerts`: marks and hands over the alerts due to be sent. */
  sendAlerts(ts: number, resendDelayMs: number, intervalMs: number, notify: NotifyFunc): void {
    const out: NotifiedAlert[] = [];
    const delta = Math.max(resendDelayMs, intervalMs);
    for (const a of this.active.values()) {
      if (!needsSending(a, ts, resendDelayMs)) continue;
      a.lastSentAt = ts;
      // Valid for four evaluations: two failed evaluations or sends are survived.
      a.validUntil = ts + 4 * delta;
      out.push(notified(a));
    }
    notify(this.query, out);
  }
}

function dateOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** The notifier's copy of an alert. */
function notified(a: RuleAlert): NotifiedAlert {
  return {
    labels: a.labels,
    annotations: pairsToLabels(a.annotations),
    state: a.state,
    activeAt: new Date(a.activeAt),
    firedAt: dateOrNull(a.firedAt),
    resolvedAt: dateOrNull(a.resolvedAt),
    validUntil: new Date(a.validUntil ?? a.activeAt),
    lastSentAt: dateOrNull(a.lastSentAt) ?? undefined,
  };
}

function newAlert(labels: Labels, annotations: LabelPairs, ts: number, value: number): RuleAlert {
  return {
    state: "pending",
    labels,
    annotations,
    value,
    activeAt: ts,
    firedAt: null,
    resolvedAt: null,
    lastSentAt: null,
    validUntil: null,
    keepFiringSince: null,
  };
}
