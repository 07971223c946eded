/**
 * Validation of a dashboard JSON before it is stored: the shape checks
 * Grafana's dashboard API applies (title, uid, panels), with the reason and
 * the JSON path of the first problem. Browser-safe: no Node imports.
 */
import { isObject, type JsonObject } from "./json.ts";

/** A dashboard JSON refused; `path` names the field (e.g. `dashboard.panels[3].gridPos.w`). */
export class DashboardValidationError extends Error {
  override readonly name = "DashboardValidationError";
  readonly path: string;
  constructor(path: string, message: string) {
    super(path === "" ? message : `${path}: ${message}`);
    this.path = path;
  }
}

/** Grafana's uid rule: up to 40 characters of letters, digits, `-` and `_`. */
export const UID_PATTERN = /^[a-zA-Z0-9\-_]{1,40}$/;

/**
 * Checks `input` is a dashboard Vigil can store and returns it typed as an
 * object. Throws {@link DashboardValidationError} naming the first bad field.
 * Unknown fields are kept (Grafana keeps them too).
 */
export function validateDashboard(input: unknown, path = "dashboard"): JsonObject {
  if (!isObject(input)) throw new DashboardValidationError(path, "must be a JSON object");
  const title = input.title;
  if (typeof title !== "string" || title.trim() === "")
    throw new DashboardValidationError(`${path}.title`, "Dashboard title cannot be empty");
  const uid = input.uid;
  if (uid !== undefined && uid !== null && uid !== "") {
    if (typeof uid !== "string") throw new DashboardValidationError(`${path}.uid`, "must be a string");
    if (uid.length > 40) throw new DashboardValidationError(`${path}.uid`, "uid too long, max 40 characters");
    if (!UID_PATTERN.test(uid)) throw new DashboardValidationError(`${path}.uid`, "invalid uid");
  }
  optional(input, "schemaVersion", "number", path);
  optional(input, "version", "number", path);
  optional(input, "editable", "boolean", path);
  optional(input, "refresh", "string|boolean", path);
  if (input.tags !== undefined && input.tags !== null) {
    if (!Array.isArray(input.tags)) throw new DashboardValidationError(`${path}.tags`, "must be an array");
    input.tags.forEach((t, i) => {
      if (typeof t !== "string") throw new DashboardValidationError(`${path}.tags[${i}]`, "must be a string");
    });
  }
  validatePanels(input.panels, `${path}.panels`);
  if (input.rows !== undefined && input.rows !== null) {
    if (!Array.isArray(input.rows)) throw new DashboardValidationError(`${path}.rows`, "must be an array");
    input.rows.forEach((row, i) => {
      if (!isObject(row)) throw new DashboardValidationError(`${path}.rows[${i}]`, "must be an object");
      validatePanels(row.panels, `${path}.rows[${i}].panels`);
    });
  }
  if (input.templating !== undefined && input.templating !== null) {
    const t = input.templating;
    if (!isObject(t) || (t.list !== undefined && !Array.isArray(t.list)))
      throw new DashboardValidationError(`${path}.templating`, "must be an object with a list array");
    (t.list ?? []).forEach((v: unknown, i: number) => {
      if (!isObject(v) || typeof v.name !== "string" || v.name === "")
        throw new DashboardValidationError(`${path}.templating.list[${i}]`, "variable must have a name");
    });
  }
  if (input.time !== undefined && input.time !== null) {
    const t = input.time;
    if (!isObject(t) || typeof t.from !== "string" || typeof t.to !== "string")
      throw new DashboardValidationError(`${path}.time`, "must be an object with from and to strings");
  }
  return input;
}

function validatePanels(panels: unknown, path: string): void {
  if (panels === undefined || panels === null) return;
  if (!Array.isArray(panels)) throw new DashboardValidationError(path, "must be an array");
  panels.forEach((p, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(p)) throw new DashboardValidationError(at, "must be an object");
    if (p.type !== undefined && typeof p.type !== "string")
      throw new DashboardValidationError(`${at}.type`, "must be a string");
    if (p.gridPos !== undefined && p.gridPos !== null) {
      if (!isObject(p.gridPos)) throw new DashboardValidationError(`${at}.gridPos`, "must be an object");
      for (const k of ["x", "y", "w", "h"]) {
        const v = p.gridPos[k];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0))
          throw new DashboardValidationError(`${at}.gridPos.${k}`, "must be a non-negative number");
      }
    }
    if (p.targets !== undefined && p.targets !== null && !Array.isArray(p.targets))
      throw new DashboardValidationError(`${at}.targets`, "must be an array");
    if (p.type === "row") validatePanels(p.panels, `${at}.panels`);
  });
}

function optional(o: JsonObject, key: string, types: string, path: string): void {
  const v = o[key];
  if (v === undefined || v === null) return;
  if (!types.split("|").includes(typeof v))
    throw new DashboardValidationError(`${path}.${key}`, `must be a ${types.replace("|", " or ")}`);
}

/**
 * Parses dashboard JSON text and validates it; a syntax error is reported
 * with its position, as `invalid JSON: …`.
 */
export function parseDashboard(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DashboardValidationError("", `invalid JSON: ${(err as Error).message}`);
  }
  return validateDashboard(parsed);
}
