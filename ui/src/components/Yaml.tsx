/** Read-only YAML with light syntax highlighting (keys, strings, numbers, booleans, comments). */
import { yamlLineTokens } from "../lib/yaml.ts";

/** Shows `text` as highlighted YAML. */
export function YamlView({ text }: { readonly text: string }) {
  const lines = text.split("\n");
  return (
    <pre className="code yaml" data-testid="yaml">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are static and positional
        <div key={i}>
          {yamlLineTokens(line).map((tok, j) =>
            tok.cls === "" ? (
              tok.text
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens are static and positional
              <span key={j} className={tok.cls}>
                {tok.text}
              </span>
            ),
          )}
        </div>
      ))}
    </pre>
  );
}
