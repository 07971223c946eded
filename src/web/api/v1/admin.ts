/**
 * TSDB admin endpoints (`admin/tsdb/delete_series|clean_tombstones|snapshot`,
 * only with `--web.enable-admin-api`) and the remote write receiver's route.
 */
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { goQuote } from "../../../model/labels/strings.ts";
import { parseMetricSelector } from "../../../promql/parser/index.ts";
import { httpError } from "../../http.ts";
import type { ApiFunc, Route } from "./api.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError, invalidParam, messageOf } from "./errors.ts";
import { MAX_TIME, MIN_TIME, parseTimeParam } from "./params.ts";
import { parseBool } from "./rules.ts";

/** The admin routes (POST and PUT), `/write` and `/read`. */
export function adminRoutes(deps: ApiDeps): Route[] {
  const methods = ["POST", "PUT"];
  return [
    { path: "/admin/tsdb/delete_series", methods, fn: admin(deps, deleteSeries(deps)) },
    { path: "/admin/tsdb/clean_tombstones", methods, fn: admin(deps, cleanTombstones(deps)) },
    { path: "/admin/tsdb/snapshot", methods, fn: admin(deps, snapshot(deps)) },
    { path: "/write", methods: ["POST"], raw: remoteWrite(deps) },
    { path: "/read", methods: ["POST"], raw: remoteRead(deps) },
  ];
}

function admin(deps: ApiDeps, fn: ApiFunc): ApiFunc {
  return (r) => {
    if (!deps.enableAdminApi) throw new ApiError("unavailable", "admin APIs disabled");
    return fn(r);
  };
}

function internal(prefix: string, err: unknown): ApiError {
  return new ApiError("internal", prefix === "" ? messageOf(err) : `${prefix}: ${messageOf(err)}`, {
    cause: err,
  });
}

function deleteSeries(deps: ApiDeps): ApiFunc {
  return async (r) => {
    const selectors = r.form.all("match[]");
    if (selectors.length === 0) throw new ApiError("bad_data", "no match[] parameter provided");
    const start = parseTimeParam(r.form, "start", MIN_TIME);
    const end = parseTimeParam(r.form, "end", MAX_TIME);
    for (const s of selectors) {
      let matchers: ReturnType<typeof parseMetricSelector>;
      try {
        matchers = parseMetricSelector(s);
      } catch (err) {
        throw invalidParam("match[]", err);
      }
      try {
        await deps.tsdb.delete(start, end, ...matchers);
      } catch (err) {
        throw internal("", err);
      }
    }
    return null;
  };
}

function cleanTombstones(deps: ApiDeps): ApiFunc {
  return async () => {
    try {
      await deps.tsdb.cleanTombstones();
    } catch (err) {
      throw internal("", err);
    }
    return null;
  };
}

/** `20060102T150405Z-<16 hex digits>`, as upstream names snapshots. */
export function snapshotName(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const random = randomBytes(8);
  random[0]! &= 0x7f;
  return `${stamp}-${random.toString("hex")}`;
}

function snapshot(deps: ApiDeps): ApiFunc {
  return async (r) => {
    let skipHead = false;
    const s = r.form.get("skip_head");
    if (s !== "") {
      const b = parseBool(s);
      if (b === undefined) {
        throw invalidParam(
          "skip_head",
          `unable to parse boolean: strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`,
        );
      }
      skipHead = b;
    }
    const name = snapshotName(new Date((deps.now ?? Date.now)()));
    const dir = join(deps.tsdb.dir, "snapshots", name);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw internal("create snapshot directory", err);
    }
    try {
      await deps.tsdb.snapshot(dir, !skipHead);
    } catch (err) {
      throw internal("create snapshot", err);
    }
    return { data: { name } };
  };
}

function remoteRead(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (deps.remoteReadHandler !== undefined) {
      deps.remoteReadHandler(req, res);
      return;
    }
    httpError(res, 404, "remote read is not available");
  };
}

function remoteWrite(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (deps.remoteWriteHandler !== undefined) {
      deps.remoteWriteHandler(req, res);
      return;
    }
    httpError(res, 404, "remote write receiver needs to be enabled with --web.enable-remote-write-receiver");
  };
}
