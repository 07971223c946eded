/**
 * The URL filter and normaliser Go's html/template inserts into an action
 * that starts a URL attribute (`href="{{ . }}"`), for Vigil's default
 * templates: Vigil's HTML mode escapes HTML text only, so its email template
 * calls them explicitly. Their output still goes through the HTML escaper, as
 * upstream's attribute escaper follows them. (An action in the query part
 * ending in `urlquery` is left as is by html/template, so needs nothing.)
 */
import { type FuncMap, goFunc } from "../../template/funcs.ts";
import { SafeURL } from "../../template/htmlescape.ts";
import { GoString } from "../../template/values.ts";
import { jiraPriorityStep } from "./default.ts";

const HEX = /^[0-9a-fA-F]$/;
const KEPT_WHEN_NORMALIZING = new Set("!#$&*+,/:;=?@[]");
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** html/template's `processURLOnto`: percent-encodes (lower-case hex) every UTF-8 byte outside the kept set. */
function processURL(s: string, normalize: boolean): string {
  const bytes = Buffer.from(s, "utf8");
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]);
    if (UNRESERVED.test(c) && bytes[i] < 0x80) {
      out += c;
      continue;
    }
    if (normalize && KEPT_WHEN_NORMALIZING.has(c)) {
      out += c;
      continue;
    }
    // A valid escape is kept when normalising (Go requires two more bytes after it, strictly).
    if (
      normalize &&
      c === "%" &&
      i + 2 < bytes.length &&
      HEX.test(String.fromCharCode(bytes[i + 1])) &&
      HEX.test(String.fromCharCode(bytes[i + 2]))
    ) {
      out += c;
      continue;
    }
    out += `%${bytes[i].toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** html/template's `isSafeURL`: a scheme, if any, must be http, https or mailto. */
function isSafeURL(s: string): boolean {
  const colon = s.indexOf(":");
  if (colon < 0) return true;
  const scheme = s.slice(0, colon);
  if (scheme.includes("/")) return true;
  return ["http", "https", "mailto"].includes(scheme.toLowerCase());
}

function text(v: unknown): string {
  return v instanceof GoString ? v.value : String(v ?? "");
}

/** What `href="{{ x }}"` does to `x` at the start of a URL: filter unsafe schemes, then normalise. */
export function urlFilterNormalize(v: unknown): string {
  const s = text(v);
  if (!(v instanceof SafeURL) && !isSafeURL(s)) return "#ZgotmplZ";
  return processURL(s, true);
}

/** The helper functions the default templates call (names start with `__`, out of users' way). */
export function defaultTemplateFuncs(): FuncMap {
  return {
    __urlNormalize: goFunc(["interface {}"], urlFilterNormalize),
    __jiraPriority: goFunc(["string", "string"], jiraPriorityStep),
  };
}
