/**
 * The store's one error class: a stable `kind` (the API maps kinds to HTTP
 * statuses in one place, `src/dashboards/api/errors.ts`), Grafana's status
 * strings where it has them (`version-mismatch`, `name-exists`) and
 * Grafana's messages.
 */

/** What went wrong, independent of wording. */
export type StoreErrorKind =
  | "not-found"
  | "version-mismatch"
  | "name-exists"
  | "uid-exists"
  | "provisioned"
  | "invalid"
  | "conflict";

/** A refused store operation. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly kind: StoreErrorKind;
  constructor(kind: StoreErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}
