import assert from "node:assert/strict";
import { ParseError } from "../parser.ts";

/** The ParseError `fn` throws, checked for its shape (`line:column: detail`). */
export function errorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${e}`);
    assert.equal(e.message, `${e.line}:${e.column}: ${e.detail}`);
    return e;
  }
  assert.fail("no error was thrown");
}
