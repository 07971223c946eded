import { QuoteSyntaxError, unquoteBytes } from "../../model/strconv/quote.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Unquotes a Go double-quoted literal (`"a\tb"` → `a<TAB>b`) as the UTF-8
 * matchers parser does; returns undefined where Go's `strconv.Unquote` fails or
 * the result is not valid UTF-8 (upstream rejects both as `invalid input`).
 */
export function goUnquote(quoted: string): string | undefined {
  if (quoted[0] !== '"') return undefined;
  try {
    return decoder.decode(new Uint8Array(unquoteBytes(quoted)));
  } catch (err) {
    if (err instanceof QuoteSyntaxError || err instanceof TypeError) return undefined;
    throw err;
  }
}
