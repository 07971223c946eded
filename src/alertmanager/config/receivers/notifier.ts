/**
 * What every integration config shares: `send_resolved` (its default varies
 * by integration), an optional `http_config` (inherited from the global one
 * when absent), default templates, and a builder that validates the decoded
 * fields with the integration's own checks (upstream's per-type
 * `UnmarshalYAML`).
 */
import { bool, type Fields, list, object, type Schema, type Site } from "../../../config/decode.ts";
import { httpClientSchema } from "../../../config/httpclient.ts";

/** `{{ template "name" . }}`, upstream's default template strings. */
export function tmpl(name: string): string {
  return `{{ template "${name}" . }}`;
}

/** The leading fields of an integration: `send_resolved` (never omitted) and optionally `http_config`. */
export function notifierFields(sendResolved: boolean, http = true): Fields<Record<string, unknown>> {
  const base = { send_resolved: { schema: bool, omit: "never" as const, default: sendResolved } };
  if (!http) return base;
  return { ...base, http_config: { schema: httpClientSchema, omit: "nil" as const, default: undefined } };
}

/** A mutable view of a decoded draft. */
export type Draft = Record<string, unknown>;

/**
 * An integration config: `fields` in upstream's marshal order (spread
 * {@link notifierFields} first), `check` throwing `site.error(…)` as the
 * type's `UnmarshalYAML` would.
 */
export function integration<T extends object>(
  typeName: string,
  fields: Fields<Record<string, unknown>>,
  check?: (d: Draft, site: Site) => void,
): Schema<T> {
  return object<T>(typeName, fields as Fields<T>, {
    finish: (d, site) => {
      check?.(d, site);
      return d as unknown as T;
    },
  });
}

/** A `<name>_configs` list whose items are {@link integration}s. */
export function configList<T>(schema: Schema<T>): Schema<readonly T[]> {
  return list(schema);
}
