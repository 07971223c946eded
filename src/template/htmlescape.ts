/**
 * html/template support: the `template.HTML` and `template.URL` string types and the
 * escaper applied to every action's output in HTML mode. Only the HTML-text context
 * is modelled (see README: attribute, URL, JS and CSS contexts are not).
 */

import { printValueString } from "./fmt.ts";
import { GO_TYPE, GoString, type GoTypeInfo } from "./values.ts";

/** Go's `html/template.HTML`: known-safe markup, not escaped in HTML mode. */
export class SafeHTML extends GoString {
  static override readonly [GO_TYPE]: GoTypeInfo = { name: "template.HTML" };
}

/** Go's `html/template.URL`: a known-safe URL. */
export class SafeURL extends GoString {
  static override readonly [GO_TYPE]: GoTypeInfo = { name: "template.URL" };
}

const TABLE: Readonly<Record<string, string>> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "&": "&amp;",
  "'": "&#39;",
  "+": "&#43;",
  "<": "&lt;",
  ">": "&gt;",
};

/** html/template's `htmlEscaper` for one value: SafeHTML passes, nil prints nothing. */
export function htmlTemplateEscape(v: unknown): string {
  if (v instanceof SafeHTML) return v.value;
  if (v === undefined || v === null) return "";
  const s = v instanceof GoString ? v.value : printValueString(v);
  return /["&'+<>\0]/.test(s) ? s.replace(/["&'+<>\0]/g, (c) => TABLE[c]) : s;
}
