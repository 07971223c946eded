/**
 * The rule manager (upstream's `rules.Manager`): loads rule files into
 * groups, runs each group's loop, and on reload (`update`) keeps unchanged
 * groups running, hands the state of changed ones over to their
 * replacement, and stops removed ones (their series go stale). A reload
 * with a broken file changes nothing. `ruleGroups()` and `alerts()` serve
 * `/api/v1/rules` and `/api/v1/alerts`.
 */
import type { Registry } from "prom-client";
import { type Logger, nopLogger } from "../log/log.ts";
import { compareUTF8 } from "../model/labels/strings.ts";
import type { Engine } from "../promql/engine.ts";
import { parseExpr } from "../promql/parser/index.ts";
import type { Appendable, Queryable } from "../storage/interface.ts";
import type { AlertInfo, RuleGroupInfo } from "../web/api/v1/deps.ts";
import { AlertingRule, type NotifyFunc } from "./alerting.ts";
import { alertInfo, groupInfo } from "./api.ts";
import { Group, type GroupEnv, groupKey } from "./group.ts";
import type { RunContext } from "./group_run.ts";
import { RuleMetrics } from "./metrics.ts";
import { pairsFromMaps } from "./pairs.ts";
import { RecordingRule } from "./recording.ts";
import { engineQueryFunc, type QueryFunc, type Rule } from "./rule.ts";
import { parseRuleFile } from "./rulefmt/parse.ts";
import type { RuleGroup } from "./rulefmt/types.ts";

/** What the manager is built with. */
export interface ManagerOptions {
  readonly engine: Pick<Engine, "instantQuery">;
  readonly queryable: Queryable;
  readonly appendable: Appendable;
  /** Receives alerts to send after each evaluation of an alerting rule. */
  readonly notify: NotifyFunc;
  /** `--web.external-url`, for the templates' `externalURL`/`pathPrefix`. */
  readonly externalURL?: URL | null;
  /** `--rules.alert.resend-delay`, ms; default 1m. */
  readonly resendDelayMs?: number;
  /** `--rules.alert.for-outage-tolerance`, ms; default 1h. */
  readonly outageToleranceMs?: number;
  /** `--rules.alert.for-grace-period`, ms; default 10m. */
  readonly forGracePeriodMs?: number;
  /** The global `rule_query_offset`, ms (read at every evaluation); default 0. */
  readonly defaultRuleQueryOffsetMs?: () => number;
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Accept experimental PromQL functions in rules. */
  readonly experimentalFunctions?: boolean;
  /** Replaces the engine for rule queries (tests, `test rules`). */
  readonly queryFunc?: QueryFunc;
  /** Wall clock, ms; default `Date.now`. */
  readonly now?: () => number;
}

/** Options of {@link Manager.loadGroups}. */
export interface LoadOptions {
  readonly ignoreUnknownFields?: boolean;
}

/** The outcome of loading rule files: groups by key, or every error found. */
export type LoadResult =
  | { readonly ok: true; readonly groups: Map<string, Group> }
  | { readonly ok: false; readonly errors: readonly string[] };

export class Manager {
  readonly env: GroupEnv;
  readonly logger: Logger;
  readonly #opts: ManagerOptions;
  readonly #done = new AbortController();
  #groups = new Map<string, Group>();
  /** True once a rule set was loaded: later groups need no `for` restore. */
  #restored = false;
  #running = false;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(opts: ManagerOptions) {
    this.#opts = opts;
    this.logger = (opts.logger ?? nopLogger).with({ component: "rule manager" });
    this.env = {
      query: opts.queryFunc ?? engineQueryFunc(opts.engine, opts.queryable),
      externalURL: opts.externalURL ?? null,
      logger: this.logger,
      appendable: opts.appendable,
      queryable: opts.queryable,
      notify: opts.notify,
      resendDelayMs: opts.resendDelayMs ?? 60_000,
      defaultQueryOffsetMs: opts.defaultRuleQueryOffsetMs ?? (() => 0),
      metrics: new RuleMetrics(opts.registry),
      now: opts.now ?? Date.now,
    };
  }

  get #runContext(): RunContext {
    return {
      managerDone: this.#done.signal,
      restore: {
        outageToleranceMs: this.#opts.outageToleranceMs ?? 3_600_000,
        forGracePeriodMs: this.#opts.forGracePeriodMs ?? 600_000,
      },
    };
  }

  /** Starts evaluating (upstream's `Run`); groups loaded before wait until now. */
  run(): void {
    this.#running = true;
    for (const g of this.#groups.values()) g.start(this.#runContext);
  }

  /** Stops every group and waits for running iterations to finish. */
  async stop(): Promise<void> {
    this.logger.info("Stopping rule manager...");
    this.#running = false;
    this.#done.abort();
    await Promise.all([...this.#groups.values()].map((g) => g.stop()));
    this.logger.info("Rule manager stopped");
  }

  /**
   * Upstream's `Update`: loads `files` (already glob-expanded) and swaps the
   * rule set in. Throws, leaving the running groups untouched, when a file
   * is invalid (each error is logged).
   */
  async update(
    intervalMs: number,
    files: readonly string[],
    externalLabels: Readonly<Record<string, string>>,
    externalURL: string,
  ): Promise<void> {
    const next = this.#lock.then(() => this.#update(intervalMs, files, externalLabels, externalURL));
    this.#lock = next.catch(() => undefined);
    await next;
  }

  async #update(
    intervalMs: number,
    files: readonly string[],
    externalLabels: Readonly<Record<string, string>>,
    externalURL: string,
  ): Promise<void> {
    const res = await this.loadGroups(intervalMs, externalLabels, externalURL, files);
    if (!res.ok) {
      for (const e of res.errors) this.logger.error("loading groups failed", { err: e });
      throw new Error("error loading rules, previous rule set restored");
    }
    this.#restored = true;
    const groups = res.groups;
    const old = new Map(this.#groups);
    const work: Promise<void>[] = [];
    for (const [key, g] of groups) {
      const o = old.get(key);
      old.delete(key);
      if (o?.equals(g) === true) {
        groups.set(key, o);
        continue;
      }
      work.push(this.#replace(o, g));
    }
    for (const [key, o] of old) {
      work.push(
        (async () => {
          o.markStale = true;
          await o.stop();
          this.env.metrics.deleteGroup(key);
        })(),
      );
    }
    await Promise.all(work);
    this.#groups = groups;
  }

  async #replace(old: Group | undefined, g: Group): Promise<void> {
    if (old !== undefined) {
      await old.stop();
      g.copyState(old);
    }
    if (this.#running) g.start(this.#runContext);
  }

  /** Upstream's `LoadGroups`: parses every file into (not yet running) groups. */
  async loadGroups(
    intervalMs: number,
    externalLabels: Readonly<Record<string, string>>,
    externalURL: string,
    files: readonly string[],
    opts: LoadOptions = {},
  ): Promise<LoadResult> {
    const groups = new Map<string, Group>();
    const shouldRestore = !this.#restored;
    for (const file of files) {
      const res = await parseRuleFile(file, {
        ignoreUnknownFields: opts.ignoreUnknownFields,
        experimentalFunctions: this.#opts.experimentalFunctions,
      });
      if (!res.ok) return res;
      for (const rg of res.groups.groups) {
        let rules: Rule[];
        try {
          rules = rg.rules.map((r) => this.#newRule(r, rg, externalLabels, externalURL));
        } catch (err) {
          return { ok: false, errors: [`${file}: ${(err as Error).message}`] };
        }
        const g = new Group(
          {
            name: rg.name,
            file,
            intervalMs: rg.interval !== 0 ? rg.interval : intervalMs,
            limit: rg.limit,
            queryOffsetMs: rg.query_offset,
            rules,
            shouldRestore,
          },
          this.env,
          this.logger,
        );
        groups.set(groupKey(file, rg.name), g);
      }
    }
    return { ok: true, groups };
  }

  #newRule(
    r: RuleGroup["rules"][number],
    rg: RuleGroup,
    externalLabels: Readonly<Record<string, string>>,
    externalURL: string,
  ): Rule {
    const expr = parseExpr(r.expr, { experimentalFunctions: this.#opts.experimentalFunctions === true });
    const labels = pairsFromMaps(rg.labels, r.labels);
    if (r.alert === "") return new RecordingRule(r.record, expr, labels);
    return new AlertingRule({
      name: r.alert,
      expr,
      holdDurationMs: r.for,
      keepFiringForMs: r.keep_firing_for,
      labels,
      annotations: pairsFromMaps(r.annotations),
      externalLabels,
      externalURL,
      restored: this.#restored,
    });
  }

  /** The groups, sorted by file then name (upstream's `RuleGroups`). */
  groups(): Group[] {
    return [...this.#groups.values()].sort((a, b) =>
      a.file === b.file ? compareUTF8(a.name, b.name) : compareUTF8(a.file, b.file),
    );
  }

  /** The groups as `/api/v1/rules` shows them (the API's `RulesSource`). */
  ruleGroups(): RuleGroupInfo[] {
    return this.groups().map(groupInfo);
  }

  /** Pending and firing alerts of every alerting rule, for `/api/v1/alerts`. */
  alerts(): AlertInfo[] {
    const out: AlertInfo[] = [];
    for (const g of this.groups()) {
      for (const r of g.alertingRules()) out.push(...r.activeAlerts().map(alertInfo));
    }
    return out;
  }
}
