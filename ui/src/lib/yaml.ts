/** A line tokenizer for light YAML highlighting: keys, strings, numbers, booleans, comments. */

/** A run of text and its CSS class ("" for none). */
export type Token = { readonly cls: string; readonly text: string };

const LINE = /^(\s*(?:- )*)([^\s#:][^:#]*?:)(?=\s|$)(.*)$/;

function valueTokens(text: string): Token[] {
  const hash = text.search(/(^|\s)#/);
  const value = hash < 0 ? text : text.slice(0, hash);
  const comment = hash < 0 ? "" : text.slice(hash);
  const v = value.trim();
  let cls = "";
  if (/^["'].*["']$/.test(v)) cls = "yaml-string";
  else if (/^-?\d+(\.\d+)?([smhdwy]|ms)?$/.test(v)) cls = "yaml-number";
  else if (/^(true|false|null|~)$/.test(v)) cls = "yaml-bool";
  else if (v !== "") cls = "yaml-plain";
  const out: Token[] = [{ cls, text: value }];
  if (comment !== "") out.push({ cls: "yaml-comment", text: comment });
  return out;
}

/** Tokens of one YAML line. */
export function yamlLineTokens(line: string): readonly Token[] {
  if (/^\s*#/.test(line)) return [{ cls: "yaml-comment", text: line }];
  const m = LINE.exec(line);
  if (m === null) {
    const lead = /^(\s*(?:- )*)/.exec(line)?.[1] ?? "";
    return [{ cls: "", text: lead }, ...valueTokens(line.slice(lead.length))];
  }
  return [{ cls: "", text: m[1] }, { cls: "yaml-key", text: m[2] }, ...valueTokens(m[3])];
}
