import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeString } from "./node.ts";
import { ParseError, parseTemplates } from "./parse.ts";

const FUNCS = new Set(["printf", "print", "len", "index", "and", "or", "not", "eq", "html"]);
const opts = { hasFunction: (n: string) => FUNCS.has(n) };

function parsed(name: string, text: string): string {
  const trees = parseTemplates(name, text, opts);
  return nodeString(trees.get(name)!.root);
}

// Inputs and expected String() forms follow Go's parse_test.go (text printed raw here).
const ok: [string, string, string][] = [
  ["empty", "", ""],
  ["comment", "{{/*\n\n\n*/}}", ""],
  ["spaces", " \t\n", " \t\n"],
  ["text", "some text", "some text"],
  ["emptyAction", "{{printf}}", "{{printf}}"],
  ["field", "{{.X}}", "{{.X}}"],
  ["$ invocation", "{{$}}", "{{$}}"],
  ["variable invocation", "{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}"],
  ["variable with fields", "{{$.I}}", "{{$.I}}"],
  ["multi-word command", "{{printf `%d` 23}}", "{{printf `%d` 23}}"],
  ["pipeline", "{{.X|.Y}}", "{{.X | .Y}}"],
  ["pipeline with decl", "{{$x := .X|.Y}}", "{{$x := .X | .Y}}"],
  ["nested pipeline", "{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"],
  ["field applied to parentheses", "{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"],
  ["simple if", "{{if .X}}hello{{end}}", "{{if .X}}hello{{end}}"],
  ["if with else", "{{if .X}}true{{else}}false{{end}}", "{{if .X}}true{{else}}false{{end}}"],
  [
    "if with else if",
    "{{if .X}}true{{else if .Y}}false{{end}}",
    "{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}",
  ],
  [
    "if else chain",
    "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
    "+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+",
  ],
  ["simple range", "{{range .X}}hello{{end}}", "{{range .X}}hello{{end}}"],
  ["chained field range", "{{range .X.Y.Z}}hello{{end}}", "{{range .X.Y.Z}}hello{{end}}"],
  [
    "nested range",
    "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}",
    "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}",
  ],
  ["range with else", "{{range .X}}true{{else}}false{{end}}", "{{range .X}}true{{else}}false{{end}}"],
  [
    "range over pipeline",
    "{{range .X|.M}}true{{else}}false{{end}}",
    "{{range .X | .M}}true{{else}}false{{end}}",
  ],
  ["range 2 vars", "{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}"],
  ["range with break", "{{range .SI}}{{.}}{{break}}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}"],
  ["range with continue", "{{range .SI}}{{.}}{{continue}}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}"],
  [
    "constants",
    "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
    "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
  ],
  ["template", "{{template `x`}}", '{{template "x"}}'],
  ["template with arg", "{{template `x` .Y}}", '{{template "x" .Y}}'],
  ["with", "{{with .X}}hello{{end}}", "{{with .X}}hello{{end}}"],
  ["with with else", "{{with .X}}hello{{else}}goodbye{{end}}", "{{with .X}}hello{{else}}goodbye{{end}}"],
  [
    "with with else with",
    "{{with .X}}hello{{else with .Y}}goodbye{{end}}",
    "{{with .X}}hello{{else}}{{with .Y}}goodbye{{end}}{{end}}",
  ],
  ["trim left", "x \r\n\t{{- 3}}", "x{{3}}"],
  ["trim right", "{{3 -}}\n\n\ty", "{{3}}y"],
  ["trim left and right", "x \r\n\t{{- 3 -}}\n\n\ty", "x{{3}}y"],
  ["trim with extra spaces", "x\n{{-  3   -}}\ny", "x{{3}}y"],
  ["comment trim left", "x \r\n\t{{- /* hi */}}", "x"],
  ["comment trim right", "{{/* hi */ -}}\n\n\ty", "y"],
  ["block definition", '{{block "foo" .}}hello{{end}}', '{{template "foo" .}}'],
  ["newline in assignment", "{{ $x \n := \n 1 \n }}", "{{$x := 1}}"],
  ["newline in pipeline", '{{\n"x"\n|\nprintf\n}}', '{{"x" | printf}}'],
  ["newline in comment", "{{-\n/*\nhello\n*/\n-}}", ""],
  [
    "spaces around continue",
    "{{range .SI}}{{.}}{{ continue }}{{end}}",
    "{{range .SI}}{{.}}{{continue}}{{end}}",
  ],
  ["bug0a", "{{$x := 0}}{{$x}}", "{{$x := 0}}{{$x}}"],
  ["bug1c", "{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}"],
  ["bug2a", "{{range $x := 0}}{{$x}}{{end}}", "{{range $x := 0}}{{$x}}{{end}}"],
  ["bug2b", "{{range $x = 0}}{{$x}}{{end}}", "{{range $x = 0}}{{$x}}{{end}}"],
  ["trailing pipe", "{{ . | }}", "{{.}}"],
];

test("parse and print round trip (Go's parseTests)", () => {
  for (const [name, text, want] of ok) assert.equal(parsed(name, text), want, name);
});

const bad: [string, string][] = [
  ["unclosed action", "hello{{range"],
  ["unmatched end", "{{end}}"],
  ["unmatched else", "{{else}}"],
  ["unmatched else after if", "{{if .X}}hello{{end}}{{else}}"],
  ["multiple else", "{{if .X}}1{{else}}2{{else}}3{{end}}"],
  ["missing end", "hello{{range .x}}"],
  ["missing end after else", "hello{{range .x}}{{else}}"],
  ["undefined function", "hello{{undefined}}"],
  ["undefined variable", "{{$x}}"],
  ["variable undefined after end", "{{with $x := 4}}{{end}}{{$x}}"],
  ["variable undefined in template", "{{template $v}}"],
  ["declare with field", "{{with $x.Y := 4}}{{end}}"],
  ["template with field ref", "{{template .X}}"],
  ["invalid punctuation", "{{printf 3, 4}}"],
  ["multidecl outside range", "{{with $v, $u := 3}}{{end}}"],
  ["too many decls in range", "{{range $u, $v, $w := 3}}{{end}}"],
  ["dot applied to parentheses", "{{printf (printf .).}}"],
  ["adjacent args", "{{printf 3`x`}}"],
  ["adjacent args with .", "{{printf `x`.}}"],
  ["extra end after if", "{{if .X}}a{{else if .Y}}b{{end}}{{end}}"],
  ["break outside range", "{{range .}}{{end}} {{break}}"],
  ["continue outside range", "{{range .}}{{end}} {{continue}}"],
  ["break in range else", "{{range .}}{{else}}{{break}}{{end}}"],
  ["bug0b", "{{$x += 1}}{{$x}}"],
  ["bug0c", "{{$x ! 2}}{{$x}}"],
  ["bug0d", "{{$x % 3}}{{$x}}"],
  ["bug0e", "{{range $x := $y := 3}}{{end}}"],
  ["bug1a", "{{$x:=.}}{{$x!2}}"],
  ["bug1b", "{{$x:=.}}{{$x+2}}"],
  ["dot after integer", "{{1.E}}"],
  ["dot after float", "{{0.1.E}}"],
  ["dot after boolean", "{{true.E}}"],
  ["dot after char", "{{'a'.any}}"],
  ["dot after string", '{{"hello".guys}}'],
  ["dot after dot", "{{..E}}"],
  ["dot after nil", "{{nil.E}}"],
  ["wrong pipeline dot", "{{12|.}}"],
  ["wrong pipeline number", "{{.|12|printf}}"],
  ["wrong pipeline string", '{{.|printf|"error"}}'],
  ["wrong pipeline char", "{{12|printf|'e'}}"],
  ["wrong pipeline boolean", "{{.|true}}"],
  ["wrong pipeline nil", "{{'c'|nil}}"],
  ["empty pipeline", '{{printf "%d" ( ) }}'],
  ["block without pipeline", '{{block "foo"}}hello{{end}}'],
];

test("parse errors (Go's parseTests with hasError)", () => {
  for (const [name, text] of bad) assert.throws(() => parsed(name, text), ParseError, name);
});

// Go's errorTests: the message must contain the given text.
const messages: [string, string, string][] = [
  ["unclosed1", "line1\n{{", "unclosed1:2: unclosed action"],
  ["unclosed2", "line1\n{{define `x`}}line2\n{{", "unclosed2:3: unclosed action"],
  ["unclosed3", 'line1\n{{"x"\n"y"\n', "unclosed3:4: unclosed action started at unclosed3:2"],
  ["unclosed4", "{{\n\n\n\n\n", "unclosed4:6: unclosed action started at unclosed4:1"],
  ["var1", "line1\n{{\nx\n}}", 'var1:3: function "x" not defined'],
  ["function", "{{foo}}", 'function "foo" not defined'],
  ["comment1", "{{/*}}", "comment1:1: unclosed comment"],
  ["comment2", "{{/*\nhello\n}}", "comment2:1: unclosed comment"],
  ["lparen", "{{.X (1 2 3}}", "unclosed left paren"],
  ["rparen", "{{.X 1 2 3 ) }}", "unexpected right paren"],
  ["rparen2", "{{(.X 1 2 3", "unclosed action"],
  ["space", "{{`x`3}}", "in operand"],
  ["idchar", "{{a#}}", "'#'"],
  ["charconst", "{{'a}}", "unterminated character constant"],
  ["stringconst", '{{"a}}', "unterminated quoted string"],
  ["rawstringconst", "{{`a}}", "unterminated raw quoted string"],
  ["number", "{{0xi}}", "number syntax"],
  ["multidefine", "{{define `a`}}a{{end}}{{define `a`}}b{{end}}", "multiple definition of template"],
  ["eof", "{{range .X}}", "unexpected EOF"],
  ["variable", "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}", 'unexpected ":="'],
  ["multidecl", "{{$a,$b,$c := 23}}", "too many declarations"],
  ["undefvar", "{{$a}}", "undefined variable"],
  ["wrongdot", "{{true.any}}", "unexpected . after term"],
  ["wrongpipeline", "{{12|false}}", "non executable command in pipeline"],
  ["emptypipeline", "{{ ( ) }}", "missing value for parenthesized pipeline"],
  ["multilinerawstring", "{{ $v := `\n` }} {{", "multilinerawstring:2: unclosed action"],
  ["rangeundefvar", "{{range $k}}{{end}}", "undefined variable"],
  ["rangemissingvalue1", "{{range $k,}}{{end}}", "missing value for range"],
  ["rangemissingvalue2", "{{range $k, $v := }}{{end}}", "missing value for range"],
  ["rangenotvariable1", "{{range $k, .}}{{end}}", "range can only initialize variables"],
  ["rangenotvariable2", "{{range $k, 123 := .}}{{end}}", "range can only initialize variables"],
  ["elseelse", "{{if .X}}1{{else}}2{{else}}3{{end}}", "expected end; found {{else}}"],
  ["overflow", "{{ 18446744073709551616 }}", 'integer overflow: "18446744073709551616"'],
  ["badescape", '{{ "\\q" }}', "badescape:1: invalid syntax"],
  ["badchar", "{{ 'ab' }}", "badchar:1: malformed character constant: 'ab'"],
];

test("parse error messages (Go's errorTests)", () => {
  for (const [name, text, want] of messages) {
    assert.throws(
      () => parsed(name, text),
      (err: Error) => err.message.includes(want) && err.message.startsWith("template: "),
      `${name}: want …${want}…`,
    );
  }
});

test("break and continue are identifiers when functions shadow them", () => {
  const trees = parseTemplates("t", "{{break 1}}", { hasFunction: (n) => n === "break" });
  assert.equal(nodeString(trees.get("t")!.root), "{{break 1}}");
});

test("defines and blocks join the tree set", () => {
  const trees = parseTemplates("top", '{{define "a"}}A{{end}}x{{block "b" .}}B{{end}}', opts);
  assert.deepEqual([...trees.keys()].sort(), ["a", "b", "top"]);
  assert.equal(nodeString(trees.get("a")!.root), "A");
  assert.equal(nodeString(trees.get("top")!.root), 'x{{template "b" .}}');
});

test("nesting limits produce errors, not stack overflows", () => {
  const parens = `{{ ${"(".repeat(1001)}1${")".repeat(1001)} }}`;
  assert.throws(() => parsed("p", parens), /max expression depth exceeded/);
  const ifs = `${"{{if 1}}".repeat(1001)}x${"{{end}}".repeat(1001)}`;
  assert.throws(() => parsed("i", ifs), /max control nesting depth exceeded/);
  assert.equal(parsed("ok", `{{ ${"(".repeat(500)}1${")".repeat(500)} }}`).length > 0, true);
});
