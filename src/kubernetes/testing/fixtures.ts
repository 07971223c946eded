/**
 * The fake API server's data: fixture lists loaded into per-resource
 * collections with their change history, URL routing, and Status bodies.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import type { KubeObject, Status } from "../objects.ts";
import { objectKey } from "../objects.ts";
import { RESOURCES, type ResourceKind } from "../resources.ts";
import type { Selector } from "../selectors.ts";

/** The shared fixture lists. */
export const FIXTURES_DIR = resolve(import.meta.dirname, "../../../../shared/fixtures/kubernetes/api");
/** This folder's extra lists (ingresses, which the shared fixtures lack). */
export const EXTRA_FIXTURES_DIR = resolve(import.meta.dirname, "testdata");

/** One recorded change of a collection. */
export interface Change {
  readonly rv: number;
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: KubeObject;
  readonly old?: KubeObject;
}

/** The objects of one resource and their changes since the last compaction. */
export interface Collection {
  readonly res: ResourceKind;
  readonly objects: Map<string, KubeObject>;
  readonly history: Change[];
}

/** An open watch stream. */
export interface Watcher {
  readonly plural: string;
  readonly namespace: string;
  readonly labels: Selector;
  readonly fields: Selector;
  readonly res: ServerResponse;
  readonly bookmarks: boolean;
}

/** The fixtures' Status bodies by HTTP status. */
export const STATUS_FILES: Record<number, string> = {
  403: "status-403-forbidden.json",
  404: "status-404-notfound.json",
  410: "status-410-gone.json",
};

/** Loads `<plural>.json` lists from `dirs` (later ones add items); returns the collections and the highest resourceVersion. */
export function loadCollections(dirs: readonly string[]): {
  collections: Map<string, Collection>;
  rv: number;
} {
  const collections = new Map<string, Collection>();
  let rv = 0;
  for (const res of Object.values(RESOURCES)) {
    collections.set(res.plural, { res, objects: new Map(), history: [] });
  }
  for (const dir of dirs) {
    for (const file of readdirSync(dir)) {
      const c = collections.get(file.replace(/\.json$/, ""));
      if (c === undefined || !file.endsWith(".json")) continue;
      const list = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
        metadata: { resourceVersion?: string };
        items: KubeObject[];
      };
      rv = Math.max(rv, Number(list.metadata.resourceVersion ?? 0));
      for (const item of list.items) {
        c.objects.set(objectKey(item), item);
        rv = Math.max(rv, Number(item.metadata.resourceVersion ?? 0));
      }
    }
  }
  return { collections, rv };
}

/** Parses `/api/v1[/namespaces/<ns>]/<plural>` and `/apis/<g>/<v>[/namespaces/<ns>]/<plural>`. */
export function route(
  path: string,
): { plural: string; namespace: string; group: string; version: string } | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(path);
  if (m === null) return undefined;
  return {
    group: m[2] ?? "",
    version: m[1] ?? m[3],
    namespace: decodeURIComponent(m[4] ?? ""),
    plural: m[5],
  };
}

/** A failure `Status` body. */
export function status(code: number, reason: string, message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}
