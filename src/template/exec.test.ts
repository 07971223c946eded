import assert from "node:assert/strict";
import { test } from "node:test";
import { goFunc } from "./funcs.ts";
import { SafeHTML } from "./htmlescape.ts";
import { Template } from "./template.ts";
import { GoDuration } from "./time.ts";
import { GO_TYPE, type GoTypeInfo, StringMap, typedSlice } from "./values.ts";

class T {
  static readonly [GO_TYPE]: GoTypeInfo = { name: "template.T" };
  True = true;
  I = 17n;
  U16 = 16n;
  X = "x";
  FloatZero = 0;
  MSI = { one: 1n, two: 2n, three: 3n };
  MSIEmpty = {};
  SI = [3n, 4n, 5n];
  SIEmpty = [];
  SB = [true, false];
  Empty0: unknown = undefined;
  Method0(): string {
    return "M0";
  }
  Method1(a: bigint): bigint {
    return a;
  }
  Method2(a: bigint, b: string): string {
    return `Method2: ${a} ${b}`;
  }
  Async(a: string): Promise<string> {
    return new Promise((resolve) => setTimeout(() => resolve(`async ${a}`), 1));
  }
  MyError(fail: boolean): boolean {
    if (fail) throw new Error("myError");
    return true;
  }
}

const tVal = new T();

const funcs = {
  echo: goFunc(["interface {}"], (x: unknown) => x),
  zeroArgs: goFunc([], () => "zeroArgs"),
  oneArg: goFunc(["string"], (a: string) => `oneArg=${a}`),
  twoArgs: goFunc(["string", "string"], (a: string, b: string) => `twoArgs=${a}${b}`),
  count: goFunc(["int"], (n: bigint) =>
    typedSlice(
      Array.from({ length: Number(n) }, (_, i) => "abcdefghijklmnop"[i]),
      "string",
    ),
  ),
  half: goFunc(["float64"], (f: number) => f / 2),
  vfunc: goFunc(["string"], (a: string, ...rest: string[]) => `${a}:${rest.join(",")}`, "string"),
  later: goFunc(["string"], async (s: string) => `later(${s})`),
  fail: goFunc([], () => {
    throw new Error("boom");
  }),
  fn: goFunc([], () => (a: unknown, b: unknown) => `called ${a} ${b}`),
};

async function run(text: string, data: unknown = tVal, opts: string[] = []): Promise<string> {
  return Template.new("test")
    .funcs(funcs)
    .option(...opts)
    .parse(text)
    .execute(data);
}

// Cases adapted from Go's exec_test.go execTests, plus async functions.
const ok: [string, string, string][] = [
  ["empty", "", ""],
  ["text", "some text", "some text"],
  ["dot int", "<{{.}}>", "<17>"],
  ["field", "-{{.I}}-", "-17-"],
  ["method0", "{{.Method0}}", "M0"],
  ["method1", "{{.Method1 1234}}", "1234"],
  ["method1 pipe", "{{1234 | .Method1}}", "1234"],
  ["method2", '{{.Method2 16 "x"}}', "Method2: 16 x"],
  ["async method", '{{.Async "x"}}', "async x"],
  ["async func in pipeline", '{{ "a" | later | later }}', "later(later(a))"],
  ["map .one", "{{.MSI.one}}", "1"],
  ["map .two", "{{.MSI.two}}", "2"],
  ["map missing default", "{{.MSI.nope}}", "<no value>"],
  ["empty map", "{{.MSIEmpty}}", "map[]"],
  ["slice", "{{.SI}}", "[3 4 5]"],
  ["nil value", "{{.Empty0}}", "<no value>"],
  ["$ int", "{{$}}", "{true 17 16 x 0 map[one:1 three:3 two:2] map[] [3 4 5] [] [true false] <nil>}"],
  ["$ field", "{{$.I}}", "17"],
  ["declare in action", "{{$x := $.U16}}{{$x}}", "16"],
  ["simple assignment", "{{$x := 2}}{{$x = 3}}{{$x}}", "3"],
  ["nested assignment", "{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}", "3"],
  [
    "nested assignment changes the last declaration",
    "{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}",
    "1",
  ],
  ["if true", "{{if true}}TRUE{{end}}", "TRUE"],
  ["if false", "{{if false}}TRUE{{else}}FALSE{{end}}", "FALSE"],
  ["if 0.0", "{{if .FloatZero}}TRUE{{else}}FALSE{{end}}", "FALSE"],
  ["if emptymap", "{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"],
  ["if else if", "{{if false}}FALSE{{else if true}}TRUE{{end}}", "TRUE"],
  ["with 1", "{{with 1}}{{.}}{{else}}ZERO{{end}}", "1"],
  ["with $x int", "{{with $x := .I}}{{$x}}{{end}}", "17"],
  ["with else with", "{{with 0}}{{.}}{{else with true}}{{.}}{{end}}", "true"],
  ["range []int", "{{range .SI}}-{{.}}-{{end}}", "-3--4--5-"],
  ["range empty no else", "{{range .SIEmpty}}-{{.}}-{{end}}", ""],
  ["range []int else", "{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}", "-3--4--5-"],
  ["range empty else", "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY"],
  ["range []bool", "{{range .SB}}-{{.}}-{{end}}", "-true--false-"],
  ["range map", "{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-"],
  ["range empty map no else", "{{range .MSIEmpty}}-{{.}}-{{end}}", ""],
  ["range $x SI", "{{range $x := .SI}}<{{$x}}>{{end}}", "<3><4><5>"],
  ["range $x $y SI", "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}", "<0=3><1=4><2=5>"],
  ["range $x MSI", "{{range $x := .MSI}}<{{$x}}>{{end}}", "<1><3><2>"],
  ["range $x $y MSI", "{{range $x, $y := .MSI}}<{{$x}}={{$y}}>{{end}}", "<one=1><three=3><two=2>"],
  ["range count", "{{range $i, $x := count 5}}[{{$i}}]{{$x}}{{end}}", "[0]a[1]b[2]c[3]d[4]e"],
  ["range nil count", "{{range $i, $x := count 0}}{{else}}empty{{end}}", "empty"],
  ["range int", "{{range 3}}{{.}}{{end}}", "012"],
  ["range duration", "{{range .}}{{.}} {{end}}", "0s 1ns 2ns "],
  ["range break", "{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", "3"],
  ["range continue", "{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}", "35"],
  ["range nested break", "{{range .SI}}{{range $.SB}}{{break}}{{end}}{{.}}{{end}}", "345"],
  ["range assign", "{{$x := 0}}{{range $x = .SI}}{{end}}{{$x}}", "5"],
  ["zero args", "{{zeroArgs}}", "zeroArgs"],
  ["one arg", '{{oneArg "joe"}}', "oneArg=joe"],
  ["two args", '{{twoArgs "joe" "bob"}}', "twoArgs=joebob"],
  ["float param gets int literal", "{{half 3}}", "1.5"],
  ["variadic", '{{vfunc "a" "b" "c"}}|{{vfunc "a"}}|{{"z" | vfunc "a" "b"}}', "a:b,c|a:|a:b,z"],
  ["call", '{{call fn 1 "x"}}', "called 1 x"],
  ["print func result", "{{print fn | len}}", "3"],
  ["and", "{{and 1 0}} {{and 1 2}}", "0 2"],
  ["or", "{{or 0 0}} {{or 0 1}}", "0 1"],
  ["not", "{{not true}} {{not 0}}", "false true"],
  ["and pipe", "{{1 | and 2}}", "1"],
  ["eq multi", "{{eq 3 1 2 3}} {{eq 3 1 2 4}}", "true false"],
  [
    "eq strings",
    '{{eq "a" "a"}} {{ne "a" "b"}} {{lt "a" "b"}} {{le "b" "a"}} {{gt "é" "e"}}',
    "true true true false true",
  ],
  ["eq nil", "{{eq .Empty0 nil}}", "true"],
  ["html", '{{html "<script>"}}', "&lt;script&gt;"],
  ["js", '{{js "It\'d be nice."}}', "It\\'d be nice."],
  ["urlquery", '{{"http://www.example.org/"|urlquery}}', "http%3A%2F%2Fwww.example.org%2F"],
  ["index slice", "{{index .SI 1}}", "4"],
  ["index map", '{{index .MSI "two"}}', "2"],
  ["index map missing", '{{index .MSI "xxx"}}', "<no value>"],
  ["slice slice", "{{slice .SI 1 2}} {{slice .SI 1}} {{slice .SI}}", "[4] [4 5] [3 4 5]"],
  ["len", '{{len .SI}} {{len .MSI}} {{len "héllo"}}', "3 3 6"],
  ["printf", '{{printf "%v=%d" "x" 3}}', "x=3"],
  ["parenthesized", "{{(index .SI 1)}} {{(.SI)}}", "4 [3 4 5]"],
  ["chained call", "{{(echo .MSI).one}}", "1"],
  ["template", '{{define "t"}}[{{.}}]{{end}}{{template "t" .I}}{{template "t"}}', "[17][<no value>]"],
  ["block", '{{block "b" .X}}<{{.}}>{{end}}', "<x>"],
  ["comment", "a{{/* c */}}b", "ab"],
  ["trim", "a  {{- 1 -}}  b", "a1b"],
];

test("execution results (Go's execTests)", async () => {
  for (const [name, text, want] of ok) {
    const data = name === "dot int" ? 17n : name === "range duration" ? new GoDuration(3n) : tVal;
    assert.equal(await run(text, data), want, name);
  }
});

const bad: [string, string, string][] = [
  [
    "field on string",
    "{{.X.Y}}",
    'template: test:1:4: executing "test" at <.X.Y>: can\'t evaluate field Y in type string',
  ],
  [
    "missing field",
    "{{.Nope}}",
    'template: test:1:2: executing "test" at <.Nope>: can\'t evaluate field Nope in type template.T',
  ],
  [
    "method error",
    "{{.MyError true}}",
    'template: test:1:2: executing "test" at <.MyError>: error calling MyError: myError',
  ],
  ["function error", "{{fail}}", 'template: test:1:2: executing "test" at <fail>: error calling fail: boom'],
  [
    "wrong arg count",
    "{{.Method1}}",
    'template: test:1:2: executing "test" at <.Method1>: wrong number of args for Method1: want 1 got 0',
  ],
  [
    "wrong arg count func",
    '{{oneArg "a" "b"}}',
    'template: test:1:2: executing "test" at <oneArg>: wrong number of args for oneArg: want 1 got 2',
  ],
  [
    "variadic too few",
    "{{vfunc}}",
    'template: test:1:2: executing "test" at <vfunc>: wrong number of args for vfunc: want at least 1 got 0',
  ],
  [
    "int param float literal",
    "{{count 1.5}}",
    'template: test:1:8: executing "test" at <1.5>: expected integer; found 1.5',
  ],
  [
    "string param number literal",
    "{{oneArg 1}}",
    'template: test:1:9: executing "test" at <1>: expected string; found 1',
  ],
  [
    "wrong type value",
    "{{oneArg .I}}",
    'template: test:1:9: executing "test" at <.I>: wrong type for value; expected string; got int',
  ],
  [
    "nil to string",
    "{{oneArg nil}}",
    'template: test:1:9: executing "test" at <nil>: cannot assign nil to string',
  ],
  [
    "invalid value",
    "{{oneArg .Empty0}}",
    'template: test:1:9: executing "test" at <.Empty0>: invalid value; expected string',
  ],
  [
    "non-function",
    "{{.X 1}}",
    'template: test:1:2: executing "test" at <.X>: X has arguments but cannot be invoked as function',
  ],
  [
    "map with args",
    "{{.MSI.one 1}}",
    'template: test:1:6: executing "test" at <.MSI.one>: one is not a method but has arguments',
  ],
  ["nil command", "{{nil}}", 'template: test:1:2: executing "test" at <nil>: nil is not a command'],
  [
    "dot with args",
    "{{. 1}}",
    'template: test:1:2: executing "test" at <.>: can\'t give argument to non-function .',
  ],
  [
    "call non-function",
    "{{call .X}}",
    'template: test:1:2: executing "test" at <call .X>: error calling call: non-function .X of type string',
  ],
  [
    "call nil",
    "{{call .Empty0}}",
    'template: test:1:2: executing "test" at <call .Empty0>: error calling call: call of nil',
  ],
  [
    "range float",
    "{{range 1.5}}{{end}}",
    'template: test:1:8: executing "test" at <1.5>: range can\'t iterate over 1.5',
  ],
  [
    "range int two vars",
    "{{range $a, $b := 2}}{{end}}",
    'template: test:1:18: executing "test" at <2>: can\'t use 2 to iterate over more than one variable',
  ],
  [
    "undefined template",
    '{{template "x"}}',
    'template: test:1:11: executing "test" at <{{template "x"}}>: template "x" not defined',
  ],
  [
    "eq incompatible",
    "{{eq 1 1.5}}",
    'template: test:1:2: executing "test" at <eq 1 1.5>: error calling eq: incompatible types for comparison: int and float64',
  ],
  [
    "eq non-comparable",
    "{{eq .SI .SI}}",
    'template: test:1:2: executing "test" at <eq .SI .SI>: error calling eq: non-comparable type [%!s(int=3) %!s(int=4) %!s(int=5)]: []interface {}',
  ],
  [
    "lt bool",
    "{{lt true false}}",
    'template: test:1:2: executing "test" at <lt true false>: error calling lt: invalid type for comparison',
  ],
  [
    "index out of range",
    "{{index .SI 10}}",
    'template: test:1:2: executing "test" at <index .SI 10>: error calling index: index out of range: 10',
  ],
  [
    "slice bad",
    "{{slice .SI 2 1}}",
    'template: test:1:2: executing "test" at <slice .SI 2 1>: error calling slice: invalid slice index: 2 > 1',
  ],
  [
    "len of int",
    "{{len 3}}",
    'template: test:1:2: executing "test" at <len 3>: error calling len: len of type int',
  ],
  [
    "integer overflow",
    "{{ 18446744073709551615 }}",
    'template: test:1:3: executing "test" at <18446744073709551615>: 18446744073709551615 overflows int',
  ],
];

test("execution errors carry Go's text and position", async () => {
  for (const [name, text, want] of bad) {
    await assert.rejects(run(text), (err: Error) => {
      assert.equal(err.message, want, name);
      return err.name === "TemplateError";
    });
  }
});

test("missingkey option", async () => {
  const data = { m: { a: "x" }, s: StringMap.of({ a: "x" }) };
  assert.equal(await run("{{.m.b}}|{{.s.b}}", data), "<no value>|<no value>");
  assert.equal(await run("{{.m.b}}|{{.s.b}}", data, ["missingkey=default"]), "<no value>|<no value>");
  assert.equal(await run("{{.m.b}}|{{.s.b}}|", data, ["missingkey=zero"]), "<no value>||");
  await assert.rejects(run("{{.m.b}}", data, ["missingkey=error"]), /map has no entry for key "b"/);
  await assert.rejects(run("{{.X}}", null, ["missingkey=error"]), /nil data; no entry for key "X"/);
  assert.equal(await run("{{.X.Y}}", null), "<no value>");
});

test("html mode escapes action output", async () => {
  const t = Template.new("h", { escapeHTML: true }).funcs({
    safe: goFunc(["string"], (s: string) => new SafeHTML(s)),
  });
  t.parse('<p>{{.a}}</p>{{safe "<b>ok</b>"}}[{{.missing}}]{{ "a+b" }}{{ 1.5 }}');
  assert.equal(
    await t.execute({ a: `<x y="1" z='2'>&\0` }),
    "<p>&lt;x y=&#34;1&#34; z=&#39;2&#39;&gt;&amp;\uFFFD</p><b>ok</b>[]a&#43;b1.5",
  );
});

test("limits: output size, steps, template depth", async () => {
  const big = Template.new("o", { limits: { maxOutput: 100 } }).parse("{{range 1000}}xx{{end}}");
  await assert.rejects(big.execute(null), /output exceeded the limit of 100 characters/);
  const spin = Template.new("s", { limits: { maxSteps: 1000 } }).parse("{{range 1000000000}}{{end}}");
  await assert.rejects(spin.execute(null), /execution exceeded the limit of 1000 steps/);
  const deep = Template.new("d", { limits: { maxDepth: 50 } }).parse(
    '{{define "a"}}{{template "a"}}{{end}}{{template "a"}}',
  );
  await assert.rejects(deep.execute(null), /exceeded maximum template depth \(50\)/);
});

test("execution is re-entrant and data is not mutated", async () => {
  const t = Template.new("r").funcs(funcs).parse("{{range .}}{{later .}}{{end}}");
  const outs = await Promise.all([t.execute(["a", "b"]), t.execute(["c"])]);
  assert.deepEqual(outs, ["later(a)later(b)", "later(c)"]);
});
