/**
 * Parse errors with upstream's texts. A syntax or type error reads
 * `1:14: parse error: unexpected end of input` (line and byte column of where it
 * starts, as upstream's `ParseErr.Error()`); when a query has several errors only the
 * first is shown, as upstream's `ParseErrors.Error()` does.
 */
import type { PosRange } from "./ast.ts";

/**
 * What kind of failure: `parse` is upstream's ParseErr; `duration` is a duration
 * expression that evaluated out of bounds (`[5m-10m]`), which upstream reports when
 * the query is prepared, as `2:8: duration must be greater than 0` (byte offsets of
 * the expression); `internal` is upstream's `unexpected error` (a parser panic).
 */
export type ParseErrorKind = "parse" | "duration" | "internal";

/** `line:col` of UTF-16 index `at` in `query`, the column counting UTF-8 bytes; as upstream. */
export function lineColumn(query: string, at: number): string {
  if (query === "") return "unknown position";
  if (at < 0 || at > query.length) return "invalid position";
  const before = query.slice(0, at);
  const nl = before.lastIndexOf("\n");
  let line = 1;
  for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) line++;
  return `${line}:${Buffer.byteLength(before.slice(nl + 1), "utf8") + 1}`;
}

/** The UTF-8 byte offset of UTF-16 index `at`. */
export function byteOffset(query: string, at: number): number {
  return Buffer.byteLength(query.slice(0, at), "utf8");
}

function render(kind: ParseErrorKind, query: string, pos: PosRange, detail: string): string {
  switch (kind) {
    case "parse":
      return `${lineColumn(query, pos.start)}: parse error: ${detail}`;
    case "duration":
      return `${byteOffset(query, pos.start)}:${byteOffset(query, pos.end)}: ${detail}`;
    case "internal":
      return detail;
  }
}

/** One error found in a query. */
export class ParseError extends Error {
  readonly kind: ParseErrorKind;
  /** Where in the query (UTF-16 indices). */
  readonly pos: PosRange;
  readonly query: string;
  /** The message without position, e.g. `unexpected end of input`. */
  readonly detail: string;

  constructor(query: string, pos: PosRange, detail: string, kind: ParseErrorKind = "parse") {
    super(render(kind, query, pos, detail));
    this.name = "ParseError";
    this.kind = kind;
    this.pos = pos;
    this.query = query;
    this.detail = detail;
  }

  override toString(): string {
    return this.message;
  }
}

/**
 * All errors of one query; it reads (message, `pos`, `detail`) as its first error,
 * like upstream's `ParseErrors`. Always holds at least one error.
 */
export class ParseErrors extends ParseError {
  readonly errors: readonly ParseError[];

  constructor(errors: readonly ParseError[]) {
    const first = errors[0]!;
    super(first.query, first.pos, first.detail, first.kind);
    this.name = "ParseErrors";
    this.errors = errors;
  }
}
