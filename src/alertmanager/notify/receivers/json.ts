/**
 * JSON bodies as Go's `json.NewEncoder(w).Encode(v)` writes them: fields in
 * the order given (build objects in the Go struct's field order), `<`, `>`,
 * `&`, U+2028 and U+2029 escaped, and a trailing newline.
 */

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `v` encoded as Go's `json.Encoder` would, newline included; `undefined` fields are omitted (`omitempty`). */
export function encodeGoJSON(v: unknown): string {
  // The escaped characters can only appear inside JSON strings, so a pass over the whole text is safe.
  return `${JSON.stringify(v).replace(HTML_UNSAFE, unicodeEscape)}\n`;
}

/** `s` when non-empty, else undefined: a Go `omitempty` string field. */
export function omitEmpty(s: string): string | undefined {
  return s === "" ? undefined : s;
}

/** `a` when non-empty, else undefined: a Go `omitempty` slice or map field. */
export function omitEmptyList<T>(a: readonly T[] | undefined): readonly T[] | undefined {
  return a === undefined || a.length === 0 ? undefined : a;
}

/** Upstream's `TruncateInRunes`: at most `n` code points, the last replaced by `…` when cut (n > 3). */
export function truncateRunes(s: string, n: number): { readonly text: string; readonly truncated: boolean } {
  const runes = Array.from(s);
  if (runes.length <= n) return { text: s, truncated: false };
  if (n <= 3) return { text: runes.slice(0, n).join(""), truncated: true };
  return { text: `${runes.slice(0, n - 1).join("")}…`, truncated: true };
}
