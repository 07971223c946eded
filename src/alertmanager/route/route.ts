/**
 * The routing tree (upstream's `dispatch.Route`): each node's options are
 * inherited from its parent and overridden where the config sets them; an
 * alert's labels are matched depth-first, left to right, a matching child
 * ending the search among its siblings unless it has `continue`. `key()` and
 * `id()` are the strings upstream uses for aggregation group keys and the
 * notification log.
 */

import type { RouteConfig } from "../config/types.ts";
import { type LabelSet, Matcher, matchersMatch, matchersToString, sortMatchers } from "../matcher/matcher.ts";

/** What a route does with the alerts it matches. */
export interface RouteOpts {
  /** The receiver's name. */
  readonly receiver: string;
  /** Labels alerts are grouped by (a Go map upstream: no order). */
  readonly groupBy: ReadonlySet<string>;
  /** `group_by: ['...']`: every label groups. */
  readonly groupByAll: boolean;
  /** Milliseconds. */
  readonly groupWait: number;
  /** Milliseconds. */
  readonly groupInterval: number;
  /** Milliseconds. */
  readonly repeatInterval: number;
  /** Names of `time_intervals` during which the route is muted (not inherited). */
  readonly muteTimeIntervals: readonly string[];
  /** Names of `time_intervals` outside which the route is muted (not inherited). */
  readonly activeTimeIntervals: readonly string[];
}

/** Upstream's `DefaultRouteOpts`, the options of a root route that sets nothing. */
export const DEFAULT_ROUTE_OPTS: RouteOpts = {
  receiver: "",
  groupBy: new Set(),
  groupByAll: false,
  groupWait: 30_000,
  groupInterval: 5 * 60_000,
  repeatInterval: 4 * 3_600_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
};

function optsFor(cr: RouteConfig, parent: RouteOpts): RouteOpts {
  const labels = (cr.group_by ?? []).filter((l) => l !== "...");
  let groupBy = parent.groupBy;
  let groupByAll = parent.groupByAll;
  if (labels.length > 0) {
    groupBy = new Set(labels);
    groupByAll = false;
  } else if (cr.group_by_all) {
    groupByAll = true;
  }
  return {
    receiver: cr.receiver !== "" ? cr.receiver : parent.receiver,
    groupBy,
    groupByAll,
    groupWait: cr.group_wait ?? parent.groupWait,
    groupInterval: cr.group_interval ?? parent.groupInterval,
    repeatInterval: cr.repeat_interval ?? parent.repeatInterval,
    muteTimeIntervals: cr.mute_time_intervals,
    activeTimeIntervals: cr.active_time_intervals,
  };
}

/** The matchers of a route: `match`, `match_re` (as upstream, the regex wrapped in `^(?:…)$`) and `matchers`, sorted. */
function matchersFor(cr: RouteConfig): Matcher[] {
  const ms: Matcher[] = [];
  for (const [name, value] of Object.entries(cr.match)) ms.push(Matcher.create("=", name, value));
  for (const [name, re] of Object.entries(cr.match_re)) ms.push(Matcher.create("=~", name, `^(?:${re})$`));
  ms.push(...cr.matchers);
  return sortMatchers(ms);
}

/** A node of the routing tree. Immutable once built. */
export class Route {
  readonly parent: Route | undefined;
  readonly opts: RouteOpts;
  /** Sorted, as upstream sorts them. */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];

  private constructor(cr: RouteConfig, parent: Route | undefined) {
    this.parent = parent;
    this.opts = optsFor(cr, parent?.opts ?? DEFAULT_ROUTE_OPTS);
    this.matchers = matchersFor(cr);
    this.continue = cr.continue;
    this.routes = cr.routes.map((child) => new Route(child, this));
  }

  /** Upstream's `NewRoute`: the tree rooted at `cr` (`parent` for a subtree). */
  static fromConfig(cr: RouteConfig, parent?: Route): Route {
    return new Route(cr, parent);
  }

  /**
   * Upstream's `Match`: the routes `lset` ends up at, in tree order — empty
   * when this route's matchers refuse it, else the matches of its children
   * (stopping at the first match without `continue`) or this route itself.
   */
  match(lset: LabelSet): Route[] {
    if (!matchersMatch(this.matchers, lset)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const matches = child.match(lset);
      all.push(...matches);
      if (matches.length > 0 && !child.continue) break;
    }
    return all.length > 0 ? all : [this];
  }

  /** Upstream's `Key`: the matchers of each ancestor and this route, `/`-joined (`{}/{severity="critical"}`). */
  key(): string {
    const own = matchersToString(this.matchers);
    return this.parent === undefined ? own : `${this.parent.key()}/${own}`;
  }

  /** Upstream's `ID`: {@link key} plus the route's position among its siblings (`{}/{a="b"}/0`). */
  id(): string {
    if (this.parent === undefined) return this.key();
    return `${this.key()}/${this.parent.routes.indexOf(this)}`;
  }

  /** Visits this route and its descendants, depth-first. */
  walk(visit: (r: Route) => void): void {
    visit(this);
    for (const child of this.routes) child.walk(visit);
  }
}
