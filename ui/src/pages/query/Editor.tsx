/**
 * The PromQL editor: CodeMirror 6 with `@prometheus-io/codemirror-promql`
 * (highlighting, completion of metric names, labels, values and functions
 * from the server's API, linting by the server's parser). Enter or
 * Ctrl/Cmd+Enter runs the query when no completion is open; Shift+Enter
 * inserts a newline.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { lintKeymap } from "@codemirror/lint";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { PromQLExtension } from "@prometheus-io/codemirror-promql";
import { useEffect, useRef } from "react";
import { basePath } from "../../shell/router.tsx";
import { serverLintStrategy } from "./serverLint.ts";

const highlight = HighlightStyle.define([
  { tag: tags.number, color: "var(--syntax-number)" },
  { tag: tags.string, color: "var(--syntax-string)" },
  { tag: tags.keyword, color: "var(--syntax-keyword)", fontWeight: "bold" },
  { tag: tags.function(tags.variableName), color: "var(--syntax-function)" },
  { tag: tags.labelName, color: "var(--syntax-label)" },
  { tag: tags.operator, color: "var(--syntax-operator)" },
  { tag: tags.modifier, color: "var(--syntax-keyword)" },
  { tag: tags.comment, color: "var(--fg-muted)", fontStyle: "italic" },
  { tag: tags.invalid, color: "var(--bad)" },
]);

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--bg-input)", color: "var(--fg)", border: "1px solid var(--border)" },
  "&.cm-focused": { outline: "2px solid var(--accent)" },
  ".cm-content": { fontFamily: "var(--mono)", caretColor: "var(--fg)", padding: "6px 0" },
  ".cm-cursor": { borderLeftColor: "var(--fg)" },
  ".cm-placeholder": { color: "var(--fg-muted)" },
  ".cm-tooltip": { backgroundColor: "var(--bg-card)", color: "var(--fg)", border: "1px solid var(--border)" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "var(--accent)", color: "#fff" },
  ".cm-completionDetail": { color: "var(--fg-muted)", marginLeft: "0.5em" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--bg-hover)" },
});

/** Props of {@link PromQLEditor}. */
export interface EditorProps {
  readonly value: string;
  readonly placeholder: string;
  readonly onChange: (expr: string) => void;
  readonly onRun: () => void;
}

/** A PromQL editor; `value` changes from outside (history) replace the document. */
export function PromQLEditor(props: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const promql = new PromQLExtension()
      .setComplete({
        remote: { url: `${location.origin}${basePath()}`, httpMethod: "GET", cache: { maxAge: 300_000 } },
      })
      .setLinter(serverLintStrategy());
    const run = () => {
      latest.current.onRun();
      return true;
    };
    const v = new EditorView({
      parent: host.current ?? undefined,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          history(),
          closeBrackets(),
          autocompletion(),
          bracketMatching(),
          EditorView.lineWrapping,
          placeholder(latest.current.placeholder),
          syntaxHighlighting(highlight),
          theme,
          promql.asExtension(),
          Prec.high(
            keymap.of([
              { key: "Enter", run },
              { key: "Mod-Enter", run },
              { key: "Shift-Enter", run: insertNewlineAndIndent },
            ]),
          ),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ "aria-label": latest.current.placeholder }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v === null || v.state.doc.toString() === props.value) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: props.value } });
  }, [props.value]);

  return <div className="editor" ref={host} data-testid="promql-editor" />;
}
