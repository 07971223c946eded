import assert from "node:assert/strict";
import { test } from "node:test";
import { I, type ItemType, Lexer } from "./lex.ts";

const NAMES = Object.fromEntries(Object.entries(I).map(([k, v]) => [v, k])) as Record<ItemType, string>;

function lex(input: string, left = "", right = ""): string[] {
  const l = new Lexer("test", input, left, right);
  const out: string[] = [];
  for (let i = 0; i < 200; i++) {
    const it = l.nextItem();
    out.push(it.typ === I.EOF ? "EOF" : `${NAMES[it.typ]}:${it.val}`);
    if (it.typ === I.EOF || it.typ === I.ERROR) break;
  }
  return out;
}

// Cases follow Go's text/template/parse/lex_test.go.
const cases: [string, string, string[]][] = [
  ["empty", "", ["EOF"]],
  ["spaces", " \t\n", ["TEXT: \t\n", "EOF"]],
  ["text", "now is the time", ["TEXT:now is the time", "EOF"]],
  ["text with comment", "hello-{{/* this is a comment */}}-world", ["TEXT:hello-", "TEXT:-world", "EOF"]],
  [
    "punctuation",
    "{{,@% }}",
    ["LEFT_DELIM:{{", "CHAR:,", "CHAR:@", "CHAR:%", "SPACE: ", "RIGHT_DELIM:}}", "EOF"],
  ],
  [
    "parens",
    "{{((3))}}",
    [
      "LEFT_DELIM:{{",
      "LEFT_PAREN:(",
      "LEFT_PAREN:(",
      "NUMBER:3",
      "RIGHT_PAREN:)",
      "RIGHT_PAREN:)",
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  ["empty action", "{{}}", ["LEFT_DELIM:{{", "RIGHT_DELIM:}}", "EOF"]],
  ["for", "{{for}}", ["LEFT_DELIM:{{", "IDENTIFIER:for", "RIGHT_DELIM:}}", "EOF"]],
  [
    "block",
    '{{block "foo" .}}',
    ["LEFT_DELIM:{{", "BLOCK:block", "SPACE: ", 'STRING:"foo"', "SPACE: ", "DOT:.", "RIGHT_DELIM:}}", "EOF"],
  ],
  ["quote", '{{"abc \\n\\t\\" "}}', ["LEFT_DELIM:{{", 'STRING:"abc \\n\\t\\" "', "RIGHT_DELIM:}}", "EOF"]],
  [
    "raw quote with newline",
    "{{`now is{{\n}}the time`}}",
    ["LEFT_DELIM:{{", "RAW_STRING:`now is{{\n}}the time`", "RIGHT_DELIM:}}", "EOF"],
  ],
  [
    "numbers",
    "{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}",
    [
      "LEFT_DELIM:{{",
      "NUMBER:1",
      "SPACE: ",
      "NUMBER:02",
      "SPACE: ",
      "NUMBER:0x14",
      "SPACE: ",
      "NUMBER:0X14",
      "SPACE: ",
      "NUMBER:-7.2i",
      "SPACE: ",
      "NUMBER:1e3",
      "SPACE: ",
      "NUMBER:1E3",
      "SPACE: ",
      "NUMBER:+1.2e-4",
      "SPACE: ",
      "NUMBER:4.2i",
      "SPACE: ",
      "COMPLEX:1+2i",
      "SPACE: ",
      "NUMBER:1_2",
      "SPACE: ",
      "NUMBER:0x1.e_fp4",
      "SPACE: ",
      "NUMBER:0X1.E_FP4",
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  [
    "characters",
    "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '本'}}",
    [
      "LEFT_DELIM:{{",
      "CHAR_CONSTANT:'a'",
      "SPACE: ",
      "CHAR_CONSTANT:'\\n'",
      "SPACE: ",
      "CHAR_CONSTANT:'\\''",
      "SPACE: ",
      "CHAR_CONSTANT:'\\\\'",
      "SPACE: ",
      "CHAR_CONSTANT:'\\u00FF'",
      "SPACE: ",
      "CHAR_CONSTANT:'\\xFF'",
      "SPACE: ",
      "CHAR_CONSTANT:'本'",
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  [
    "bools",
    "{{true false}}",
    ["LEFT_DELIM:{{", "BOOL:true", "SPACE: ", "BOOL:false", "RIGHT_DELIM:}}", "EOF"],
  ],
  ["dot", "{{.}}", ["LEFT_DELIM:{{", "DOT:.", "RIGHT_DELIM:}}", "EOF"]],
  ["nil", "{{nil}}", ["LEFT_DELIM:{{", "NIL:nil", "RIGHT_DELIM:}}", "EOF"]],
  [
    "dots",
    "{{.x . .2 .x.y.z}}",
    [
      "LEFT_DELIM:{{",
      "FIELD:.x",
      "SPACE: ",
      "DOT:.",
      "SPACE: ",
      "NUMBER:.2",
      "SPACE: ",
      "FIELD:.x",
      "FIELD:.y",
      "FIELD:.z",
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  [
    "keywords",
    "{{range if else end with}}",
    [
      "LEFT_DELIM:{{",
      "RANGE:range",
      "SPACE: ",
      "IF:if",
      "SPACE: ",
      "ELSE:else",
      "SPACE: ",
      "END:end",
      "SPACE: ",
      "WITH:with",
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  [
    "variables",
    "{{$c := printf $ $hello $23 $ $var.Field .Method}}",
    [
      "LEFT_DELIM:{{",
      "VARIABLE:$c",
      "SPACE: ",
      "DECLARE::=",
      "SPACE: ",
      "IDENTIFIER:printf",
      "SPACE: ",
      "VARIABLE:$",
      "SPACE: ",
      "VARIABLE:$hello",
      "SPACE: ",
      "VARIABLE:$23",
      "SPACE: ",
      "VARIABLE:$",
      "SPACE: ",
      "VARIABLE:$var",
      "FIELD:.Field",
      "SPACE: ",
      "FIELD:.Method",
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  [
    "variable invocation",
    "{{$x 23}}",
    ["LEFT_DELIM:{{", "VARIABLE:$x", "SPACE: ", "NUMBER:23", "RIGHT_DELIM:}}", "EOF"],
  ],
  [
    "pipeline",
    '{{.x|printf "%d"}}',
    [
      "LEFT_DELIM:{{",
      "FIELD:.x",
      "PIPE:|",
      "IDENTIFIER:printf",
      "SPACE: ",
      'STRING:"%d"',
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  [
    "assign",
    "{{$x = 1}}",
    ["LEFT_DELIM:{{", "VARIABLE:$x", "SPACE: ", "ASSIGN:=", "SPACE: ", "NUMBER:1", "RIGHT_DELIM:}}", "EOF"],
  ],
  [
    "trimming spaces before and after",
    "hello- {{- 3 -}} -world",
    ["TEXT:hello-", "LEFT_DELIM:{{", "NUMBER:3", "RIGHT_DELIM:}}", "TEXT:-world", "EOF"],
  ],
  ["trimming with comment", "hello- {{- /* hello */ -}} -world", ["TEXT:hello-", "TEXT:-world", "EOF"]],
  ["not a trim marker", "{{-3}}", ["LEFT_DELIM:{{", "NUMBER:-3", "RIGHT_DELIM:}}", "EOF"]],
  [
    "trim with newlines",
    "a\n\t{{- .X -}}\n\nb",
    ["TEXT:a", "LEFT_DELIM:{{", "FIELD:.X", "RIGHT_DELIM:}}", "TEXT:b", "EOF"],
  ],
  [
    "break continue",
    "{{range .}}{{break}}{{continue}}{{end}}",
    [
      "LEFT_DELIM:{{",
      "RANGE:range",
      "SPACE: ",
      "DOT:.",
      "RIGHT_DELIM:}}",
      "LEFT_DELIM:{{",
      "BREAK:break",
      "RIGHT_DELIM:}}",
      "LEFT_DELIM:{{",
      "CONTINUE:continue",
      "RIGHT_DELIM:}}",
      "LEFT_DELIM:{{",
      "END:end",
      "RIGHT_DELIM:}}",
      "EOF",
    ],
  ],
  ["unicode identifier", "{{.ñandú}}", ["LEFT_DELIM:{{", "FIELD:.ñandú", "RIGHT_DELIM:}}", "EOF"]],
  // Errors.
  ["badchar", "#{{\x01}}", ["TEXT:#", "LEFT_DELIM:{{", "ERROR:unrecognized character in action: U+0001"]],
  ["unclosed action", "{{", ["LEFT_DELIM:{{", "ERROR:unclosed action"]],
  ["EOF in action", "{{range", ["LEFT_DELIM:{{", "RANGE:range", "ERROR:unclosed action"]],
  ["unclosed quote", '{{"\n"}}', ["LEFT_DELIM:{{", "ERROR:unterminated quoted string"]],
  ["unclosed raw quote", "{{`xx}}", ["LEFT_DELIM:{{", "ERROR:unterminated raw quoted string"]],
  ["unclosed char constant", "{{'\n}}", ["LEFT_DELIM:{{", "ERROR:unterminated character constant"]],
  ["bad number", "{{3k}}", ["LEFT_DELIM:{{", 'ERROR:bad number syntax: "3k"']],
  ["unclosed paren", "{{(3}}", ["LEFT_DELIM:{{", "LEFT_PAREN:(", "NUMBER:3", "ERROR:unclosed left paren"]],
  ["extra right paren", "{{3)}}", ["LEFT_DELIM:{{", "NUMBER:3", "ERROR:unexpected right paren"]],
  [
    "long pipeline deadlock",
    "{{|||||}}",
    ["LEFT_DELIM:{{", "PIPE:|", "PIPE:|", "PIPE:|", "PIPE:|", "PIPE:|", "RIGHT_DELIM:}}", "EOF"],
  ],
  ["text with bad comment", "hello-{{/*/}}-world", ["TEXT:hello-", "ERROR:unclosed comment"]],
  [
    "text with comment close separated from delim",
    "hello-{{/* */ }}-world",
    ["TEXT:hello-", "ERROR:comment ends before closing delimiter"],
  ],
  ["unmatched right delimiter", "hello-{.}}-world", ["TEXT:hello-{.}}-world", "EOF"]],
  ["bad character after identifier", "{{.x+}}", ["LEFT_DELIM:{{", "ERROR:bad character U+002B '+'"]],
];

test("lexer items match Go's lex_test", () => {
  for (const [name, input, want] of cases) assert.deepEqual(lex(input), want, name);
});

test("custom delimiters", () => {
  assert.deepEqual(lex("x[[.y]]z{{.w}}", "[[", "]]"), [
    "TEXT:x",
    "LEFT_DELIM:[[",
    "FIELD:.y",
    "RIGHT_DELIM:]]",
    "TEXT:z{{.w}}",
    "EOF",
  ]);
});

test("line numbers of items", () => {
  const l = new Lexer("t", "a\nb{{.x}}\n{{`\n`}}{{.y}}", "", "");
  const lines: number[] = [];
  for (let it = l.nextItem(); it.typ !== I.EOF; it = l.nextItem()) lines.push(it.line);
  assert.deepEqual(lines, [1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4]);
});
