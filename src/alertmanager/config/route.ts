/**
 * A `route` node as written in `alertmanager.yml` (upstream's
 * `config.Route`), with its own checks: valid `group_by` names, `...` alone,
 * no duplicates, non-zero `group_interval` / `repeat_interval`. Child routes
 * decode recursively; the tree-wide checks live in `config.ts`.
 */
import {
  bool,
  duration,
  list,
  object,
  optionalList,
  type Schema,
  type Site,
  str,
} from "../../config/decode.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { isValidLabelName } from "../matcher/compat.ts";
import { matchersSchema, matchMapSchema, matchRegexpsSchema } from "./matchers.ts";
import type { RouteConfig } from "./types.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function checkGroupBy(r: Mutable<RouteConfig>, site: Site): void {
  const seen = new Set<string>();
  let labels = 0;
  for (const l of r.group_by ?? []) {
    if (l === "...") {
      r.group_by_all = true;
      continue;
    }
    if (!isValidLabelName(l))
      throw site.error(`invalid label name ${goQuote(l)} in group_by list`, "group_by");
    labels++;
  }
  if (labels > 0 && r.group_by_all) {
    throw site.error("cannot have wildcard group_by (`...`) and other labels at the same time", "group_by");
  }
  for (const l of r.group_by ?? []) {
    if (l === "...") continue;
    if (seen.has(l)) throw site.error(`duplicated label ${goQuote(l)} in group_by`, "group_by");
    seen.add(l);
  }
}

function finish(draft: Record<string, unknown>, site: Site): RouteConfig {
  const r = draft as unknown as Mutable<RouteConfig>;
  r.group_by_all = false;
  checkGroupBy(r, site);
  if (r.group_interval === 0) throw site.error("group_interval cannot be zero", "group_interval");
  if (r.repeat_interval === 0) throw site.error("repeat_interval cannot be zero", "repeat_interval");
  return r;
}

const routes: Schema<readonly RouteConfig[]> = {
  typeName: "[]*config.Route",
  decode: (node, ctx, path) => list(routeConfigSchema).decode(node, ctx, path),
  encode: (v) => list(routeConfigSchema).encode(v),
  isZero: (v) => v.length === 0,
};

const fields = {
  receiver: { schema: str },
  group_by: { schema: optionalList(str), omit: "zero", default: undefined },
  match: { schema: matchMapSchema },
  match_re: { schema: matchRegexpsSchema },
  matchers: { schema: matchersSchema },
  mute_time_intervals: { schema: list(str) },
  active_time_intervals: { schema: list(str) },
  continue: { schema: bool, omit: "never" },
  routes: { schema: routes },
  group_wait: { schema: duration, omit: "nil", default: undefined },
  group_interval: { schema: duration, omit: "nil", default: undefined },
  repeat_interval: { schema: duration, omit: "nil", default: undefined },
} as const;

const inner: Schema<RouteConfig> = object<RouteConfig>("config.plain", fields as never, { finish });

/** One route node (recursive through `routes`); `group_by_all` is derived from `group_by`. */
export const routeConfigSchema: Schema<RouteConfig> = inner;
