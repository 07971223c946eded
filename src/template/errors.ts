/**
 * The one error type of the template package. `message` is exactly Go's text, e.g.
 * `template: t:1: unexpected "}" in operand` (parse) or
 * `template: t:1:5: executing "t" at <.Foo>: map has no entry for key "Foo"` (exec).
 */

/** What failed: parsing, execution, or API misuse (bad option, unknown template, …). */
export type TemplateErrorKind = "parse" | "exec" | "usage";

/** A template parse or execution error with Go's wording. */
export class TemplateError extends Error {
  readonly kind: TemplateErrorKind;

  constructor(kind: TemplateErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TemplateError";
    this.kind = kind;
  }
}
