/**
 * Alertmanager endpoints from discovered target groups, upstream's
 * `AlertmanagerFromGroup`: each target starts with the set's `__scheme__` and
 * `__alerts_path__` (`<path_prefix>/api/v2/alerts`), takes the group's labels
 * it lacks, then goes through the set's `relabel_configs`. No default port is
 * added (Prometheus 3 does not either).
 */
import { posix } from "node:path";
import type { TargetGroup } from "../discovery/discovery.ts";
import { Labels, LabelsBuilder } from "../model/labels/labels.ts";
import { goQuote } from "../model/labels/strings.ts";
import { processBuilder } from "../relabel/process.ts";
import type { RelabelConfig } from "../relabel/relabel.ts";

/** The label holding the endpoint's path. */
export const ALERTS_PATH_LABEL = "__alerts_path__";
const SCHEME_LABEL = "__scheme__";
const ADDRESS_LABEL = "__address__";

/** What of an `AlertmanagerConfig` endpoint extraction reads. */
export interface EndpointConfig {
  readonly scheme: string;
  readonly path_prefix: string;
  readonly api_version: string;
  readonly relabel_configs: readonly RelabelConfig[];
}

/** Upstream's `postPath`: `path.Join("/", prefix, "/api/<version>/alerts")`. */
export function postPath(prefix: string, apiVersion: string): string {
  return posix.join("/", prefix, `/api/${apiVersion}/alerts`);
}

const PATH_KEEP = /[A-Za-z0-9\-_.~$&+,/:;=@!'()*]/;

/** Go's `url.PathEscape` for the path of a URL (`EscapedPath` without a raw path). */
function escapePath(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && PATH_KEEP.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The endpoint URL of a label set (`__scheme__://__address____alerts_path__`),
 * as Go's `url.URL{Scheme, Host, Path}.String()` prints it.
 */
export function endpointURL(ls: Labels): string {
  const scheme = ls.get(SCHEME_LABEL);
  const host = ls.get(ADDRESS_LABEL);
  let path = escapePath(ls.get(ALERTS_PATH_LABEL));
  if (path !== "" && !path.startsWith("/") && host !== "") path = `/${path}`;
  const authority = host !== "" || path !== "" ? `//${host}` : "";
  return `${scheme === "" ? "" : `${scheme}:`}${authority}${path}`;
}

/** Endpoints of one group: kept ones after relabeling, dropped ones before it. */
export interface GroupEndpoints {
  readonly active: Labels[];
  readonly dropped: Labels[];
}

/**
 * Upstream's `AlertmanagerFromGroup`. Throws `"<addr>" is not a valid hostname`
 * when a kept target's address holds a `/` (the whole group is then skipped).
 */
export function alertmanagersFromGroup(tg: TargetGroup, cfg: EndpointConfig): GroupEndpoints {
  const active: Labels[] = [];
  const dropped: Labels[] = [];
  const lb = new LabelsBuilder();
  const path = postPath(cfg.path_prefix, cfg.api_version);
  for (const target of tg.targets) {
    lb.reset(Labels.EMPTY);
    for (const [name, value] of Object.entries(target)) lb.set(name, value);
    lb.set(SCHEME_LABEL, cfg.scheme);
    lb.set(ALERTS_PATH_LABEL, path);
    for (const [name, value] of Object.entries(tg.labels)) {
      if (!Object.hasOwn(target, name)) lb.set(name, value);
    }
    const before = lb.labels();
    if (!processBuilder(lb, cfg.relabel_configs)) {
      dropped.push(before);
      continue;
    }
    const addr = lb.get(ADDRESS_LABEL);
    if (addr.includes("/")) throw new Error(`${goQuote(addr)} is not a valid hostname`);
    active.push(lb.labels());
  }
  return { active, dropped };
}
