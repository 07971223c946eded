/**
 * Lints PromQL with the server's parser: `api/v1/parse_query` answers a
 * parse error as `<line>:<col>: parse error: …`, shown at that position.
 */
import type { Diagnostic } from "@codemirror/lint";
import type { EditorView } from "@codemirror/view";
import type { LintStrategy } from "@prometheus-io/codemirror-promql";
import { ApiError, apiGet } from "../../api/client.ts";

const POSITION = /(\d+):(\d+): parse error: (.*)$/s;

/** The diagnostic for the server's `message` in `doc`. */
export function diagnosticFor(message: string, doc: EditorView["state"]["doc"]): Diagnostic {
  const m = POSITION.exec(message);
  if (m === null) return { from: 0, to: doc.length, severity: "error", message };
  const lineNo = Math.min(Math.max(Number(m[1]), 1), doc.lines);
  const line = doc.line(lineNo);
  // A position past the end (unexpected end of input) marks the last character.
  const from = Math.max(Math.min(line.from + Math.max(Number(m[2]) - 1, 0), doc.length - 1), 0);
  return { from, to: Math.min(from + 1, doc.length), severity: "error", message: `parse error: ${m[3]}` };
}

/** A lint strategy asking the server's `parse_query`. */
export function serverLintStrategy(): LintStrategy {
  return {
    promQL() {
      return async (view: EditorView): Promise<readonly Diagnostic[]> => {
        const expr = view.state.doc.toString();
        if (expr.trim() === "") return [];
        try {
          await apiGet<unknown>("parse_query", { query: expr });
          return [];
        } catch (err) {
          if (err instanceof ApiError && err.errorType === "bad_data") {
            return [diagnosticFor(err.message, view.state.doc)];
          }
          return [];
        }
      };
    },
  };
}
