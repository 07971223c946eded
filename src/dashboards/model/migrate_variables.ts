/**
 * Template variable migrations of schemas 27–36: constants hidden, the tag
 * fields removed, query variables refreshed at least on load with their
 * stale options cleared, data source names as references.
 * Browser-safe: no Node imports.
 */

import { type JsonObject, num, obj, objects } from "./json.ts";
import { type DataSourceLookup, type DataSourceRef, toRef } from "./migrate_datasource.ts";

const TAG_FIELDS = ["tags", "tagsQuery", "tagValuesQuery", "useTags"] as const;

/** Migrates every variable of `d.templating.list` in place from `oldVersion`. */
export function migrateVariables(
  d: JsonObject,
  oldVersion: number,
  lookup: DataSourceLookup,
  defaultRef: DataSourceRef | undefined,
): void {
  const templating = obj(d.templating);
  const list = objects(templating.list);
  for (const v of list) {
    if (oldVersion < 27 && v.type === "constant") {
      v.hide = 2;
      v.current = { selected: true, text: v.query ?? "", value: v.query ?? "" };
      v.options = [{ selected: true, text: v.query ?? "", value: v.query ?? "" }];
    }
    if (oldVersion < 28) for (const f of TAG_FIELDS) delete v[f];
    if (v.type === "query") {
      if (oldVersion < 29) {
        const refresh = num(v.refresh) ?? 1;
        v.refresh = refresh === 0 ? 1 : refresh;
        v.options = [];
      }
      if (oldVersion < 33 && v.datasource !== undefined) v.datasource = toRef(v.datasource, lookup);
      if (
        oldVersion < 36 &&
        (v.datasource === undefined || v.datasource === null) &&
        defaultRef !== undefined
      )
        v.datasource = { ...defaultRef };
    }
  }
  d.templating = { ...templating, list };
}
