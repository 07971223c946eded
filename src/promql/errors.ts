/**
 * Errors a query fails with, carrying the API's `errorType`. Messages follow
 * upstream's engine, which the HTTP API returns verbatim.
 */

/** The API's error types for query failures. */
export type QueryErrorType = "bad_data" | "execution" | "timeout" | "canceled" | "internal";

export class QueryError extends Error {
  readonly type: QueryErrorType;

  constructor(type: QueryErrorType, message: string) {
    super(message);
    this.name = "QueryError";
    this.type = type;
  }
}

/** A failure while evaluating (e.g. many-to-many matching): `execution`. */
export function executionError(message: string): QueryError {
  return new QueryError("execution", message);
}

export function timeoutError(stage: string): QueryError {
  return new QueryError("timeout", `query timed out in ${stage}`);
}

export function canceledError(stage: string): QueryError {
  return new QueryError("canceled", `query was canceled in ${stage}`);
}

export function tooManySamplesError(stage: string): QueryError {
  return new QueryError("execution", `query processing would load too many samples into memory in ${stage}`);
}
