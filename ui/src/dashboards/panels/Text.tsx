/** The text panel: markdown rendered by marked, HTML sanitized by DOMPurify, or code as written. */
import DOMPurify from "dompurify";
import { marked } from "marked";
import { type JsonObject, obj, str } from "../../../../src/dashboards/model/json.ts";

/** Draws `content` (already interpolated). */
export function Text({ panel, content }: { readonly panel: JsonObject; readonly content: string }) {
  const mode = str(obj(panel.options).mode, str(panel.mode, "markdown"));
  if (mode === "code") return <pre className="dash-text">{content}</pre>;
  const html = mode === "html" ? content : (marked.parse(content, { async: false }) as string);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify
  return <div className="dash-text" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;
}
