import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeItem, type ItemType, Lexer, quoteRune, T } from "./lex.ts";

const NAMES = new Map<ItemType, string>(Object.entries(T).map(([k, v]) => [v, k]));

/** All items of `input` as `TYPE@pos:val`, stopping after EOF or ERROR. */
function lexAll(input: string): string[] {
  const lx = new Lexer(input);
  const out: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const it = lx.next();
    if (it.type === T.EOF) return out;
    out.push(`${NAMES.get(it.type)}@${it.pos}:${it.val}`);
    if (it.type === T.ERROR) return out;
  }
  throw new Error("lexer did not terminate");
}

// Inputs and items after upstream's lex_test.go (v3.5 behaviour), plus the quirks
// the reference binary shows.
const CASES: Array<[name: string, input: string, items: string[]]> = [
  ["comma", ",", ["COMMA@0:,"]],
  ["parens", "()", ["LEFT_PAREN@0:(", "RIGHT_PAREN@1:)"]],
  ["braces", "{}", ["LEFT_BRACE@0:{", "RIGHT_BRACE@1:}"]],
  ["range", "[5m]", ["LEFT_BRACKET@0:[", "DURATION@1:5m", "RIGHT_BRACKET@3:]"]],
  ["range with space", "[ 5m]", ["LEFT_BRACKET@0:[", "DURATION@2:5m", "RIGHT_BRACKET@4:]"]],
  ["range with spaces", "[  5m ]", ["LEFT_BRACKET@0:[", "DURATION@3:5m", "RIGHT_BRACKET@6:]"]],
  ["only whitespace", "\r\n\r", []],
  ["integer", "1", ["NUMBER@0:1"]],
  ["decimal", "4.23", ["NUMBER@0:4.23"]],
  ["leading dot", ".3", ["NUMBER@0:.3"]],
  ["trailing dot", "5.", ["NUMBER@0:5."]],
  ["NaN", "NaN", ["NUMBER@0:NaN"]],
  ["nAN", "nAN", ["NUMBER@0:nAN"]],
  ["NaN then number", "NaN 123", ["NUMBER@0:NaN", "NUMBER@4:123"]],
  ["NaN123 is a name", "NaN123", ["IDENTIFIER@0:NaN123"]],
  ["iNf", "iNf", ["NUMBER@0:iNf"]],
  ["+Inf", "+Inf", ["ADD@0:+", "NUMBER@1:Inf"]],
  ["-Inf 123", "-Inf 123", ["SUB@0:-", "NUMBER@1:Inf", "NUMBER@5:123"]],
  ["Infoo", "Infoo", ["IDENTIFIER@0:Infoo"]],
  ["hex", "0x123", ["NUMBER@0:0x123"]],
  ["hex with e", "0x1e1", ["NUMBER@0:0x1e1"]],
  ["exponent", "1E+5", ["NUMBER@0:1E+5"]],
  ["underscores", "1_000", ["NUMBER@0:1_000"]],
  ["string with escape", '"test\\tsequence"', ['STRING@0:"test\\tsequence"']],
  ["string with escaped backslash", '"test\\\\.expression"', ['STRING@0:"test\\\\.expression"']],
  ["bad escape", '"test\\.expression"', ["ERROR@0:unknown escape sequence U+002E '.'"]],
  ["raw string keeps backslashes", "`test\\.expression`", ["STRING@0:`test\\.expression`"]],
  ["single quoted", "'a\\'b'", ["STRING@0:'a\\'b'"]],
  ["non-ASCII digit", ".٩", ["ERROR@0:unexpected character: '.'"]],
  ["duration s", "5s", ["DURATION@0:5s"]],
  ["duration m", "123m", ["DURATION@0:123m"]],
  ["duration h", "1h", ["DURATION@0:1h"]],
  ["duration w", "3w", ["DURATION@0:3w"]],
  ["duration y", "1y", ["DURATION@0:1y"]],
  ["duration ms", "1ms", ["DURATION@0:1ms"]],
  ["compound duration", "1h30m", ["DURATION@0:1h30m"]],
  ["bad unit lexes, fails later", "1hs", ["DURATION@0:1hs"]],
  ["identifier", "abc", ["IDENTIFIER@0:abc"]],
  ["metric identifier", "a:bc", ["METRIC_IDENTIFIER@0:a:bc"]],
  ["two identifiers", "abc d", ["IDENTIFIER@0:abc", "IDENTIFIER@4:d"]],
  ["leading colon", ":bc", ["METRIC_IDENTIFIER@0::bc"]],
  ["digit first", "0a:bc", ['ERROR@0:bad number or duration syntax: "0"']],
  ["comment", "# some comment", []],
  ["comment between", "5 # 1+1\n5", ["NUMBER@0:5", "NUMBER@8:5"]],
  ["eql", "=", ["EQL@0:="]],
  ["eql in braces", "{=}", ["LEFT_BRACE@0:{", "EQL@1:=", "RIGHT_BRACE@2:}"]],
  ["eqlc", "==", ["EQLC@0:=="]],
  ["neq", "!=", ["NEQ@0:!="]],
  ["lss", "<", ["LSS@0:<"]],
  ["gtr", ">", ["GTR@0:>"]],
  ["gte", ">=", ["GTE@0:>="]],
  ["lte", "<=", ["LTE@0:<="]],
  ["arithmetic", "+-*/^%", ["ADD@0:+", "SUB@1:-", "MUL@2:*", "DIV@3:/", "POW@4:^", "MOD@5:%"]],
  ["AND", "AND", ["LAND@0:AND"]],
  ["or", "or", ["LOR@0:or"]],
  ["unless", "unless", ["LUNLESS@0:unless"]],
  ["at", "@", ["AT@0:@"]],
  ["aggregators", "sum AVG GROUP", ["SUM@0:sum", "AVG@4:AVG", "GROUP@8:GROUP"]],
  ["experimental aggregators", "limitk limit_ratio", ["LIMITK@0:limitk", "LIMIT_RATIO@7:limit_ratio"]],
  ["keywords", "offset by without", ["OFFSET@0:offset", "BY@7:by", "WITHOUT@10:without"]],
  ["matching keywords", "on ignoring", ["ON@0:on", "IGNORING@3:ignoring"]],
  [
    "group keywords",
    "group_left group_right bool",
    ["GROUP_LEFT@0:group_left", "GROUP_RIGHT@11:group_right", "BOOL@23:bool"],
  ],
  ["atan2", "atan2", ["ATAN2@0:atan2"]],
  ["preprocessors", "start end", ["START@0:start", "END@6:end"]],
  ["step is a name in v3.5", "step", ["IDENTIFIER@0:step"]],
  ["non-ASCII name", "台北", ["ERROR@0:unexpected character: '台'"]],
  ["non-ASCII label", "{台北='a'}", ["LEFT_BRACE@0:{", "ERROR@1:unexpected character inside braces: '台'"]],
  ["digit label", "{0a='a'}", ["LEFT_BRACE@0:{", "ERROR@1:unexpected character inside braces: '0'"]],
  [
    "selector",
    "{foo='bar'}",
    ["LEFT_BRACE@0:{", "IDENTIFIER@1:foo", "EQL@4:=", "STRING@5:'bar'", "RIGHT_BRACE@10:}"],
  ],
  [
    "keywords are names inside braces",
    '{NaN\t!= "bar" }',
    ["LEFT_BRACE@0:{", "IDENTIFIER@1:NaN", "NEQ@5:!=", 'STRING@8:"bar"', "RIGHT_BRACE@14:}"],
  ],
  [
    "regex matchers",
    '{alert=~"bar",on!~"x"}',
    [
      "LEFT_BRACE@0:{",
      "IDENTIFIER@1:alert",
      "EQL_REGEX@6:=~",
      'STRING@8:"bar"',
      "COMMA@13:,",
      "IDENTIFIER@14:on",
      "NEQ_REGEX@16:!~",
      'STRING@18:"x"',
      "RIGHT_BRACE@21:}",
    ],
  ],
  [
    "bad char after ! in braces",
    '{alert!#"bar"}',
    ["LEFT_BRACE@0:{", "IDENTIFIER@1:alert", "ERROR@6:unexpected character after '!' inside braces: '#'"],
  ],
  [
    "colon in label name",
    '{foo:a="bar"}',
    ["LEFT_BRACE@0:{", "IDENTIFIER@1:foo", "ERROR@4:unexpected character inside braces: ':'"],
  ],
  ["=~ outside braces", "=~", ["ERROR@0:unexpected character after '=': '~'"]],
  ["!~ outside braces", "!~", ["ERROR@0:unexpected character after '!': '~'"]],
  ["! at end", "!", ["ERROR@0:unexpected character after '!': '\uFFFD'"]],
  ["number then letter", "1a", ['ERROR@0:bad number or duration syntax: "1"']],
  ["unclosed paren", "(", ["LEFT_PAREN@0:(", "ERROR@1:unclosed left parenthesis"]],
  ["extra paren", "())", ["LEFT_PAREN@0:(", "RIGHT_PAREN@1:)", "ERROR@3:unexpected right parenthesis ')'"]],
  ["brace in braces", "{{", ["LEFT_BRACE@0:{", "ERROR@1:unexpected left brace '{'"]],
  ["stray brace", "}", ["ERROR@0:unexpected character: '}'"]],
  ["open bracket", "[", ["LEFT_BRACKET@0:[", "ERROR@1:unexpected end of input in duration expression"]],
  [
    "bracket in bracket",
    "[[",
    ["LEFT_BRACKET@0:[", "ERROR@1:unexpected character in duration expression: '['"],
  ],
  ["extra bracket", "[]]", ["LEFT_BRACKET@0:[", "RIGHT_BRACKET@1:]", "ERROR@2:unexpected right bracket ']'"]],
  ["stray bracket", "]", ["ERROR@0:unexpected right bracket ']'"]],
  ["unclosed bracket", "[5m", ["LEFT_BRACKET@0:[", "DURATION@1:5m", "ERROR@3:unclosed left bracket"]],
  ["invalid UTF-8 in string", '"\uFFFD"', ["ERROR@0:invalid UTF-8 rune"]],
  ["lone surrogate in raw string", "`\uD800`", ["ERROR@0:invalid UTF-8 rune"]],
  ["unterminated string", '"abc', ["ERROR@0:unterminated quoted string"]],
  ["newline in string", '"a\nb"', ["ERROR@0:unterminated quoted string"]],
  ["unterminated raw string", "`abc", ["ERROR@0:unterminated raw string"]],
  ["escape at end", '"\\', ["ERROR@0:escape sequence not terminated"]],
  ["bad hex escape", '"\\x.', ["ERROR@0:illegal character U+002E '.' in escape sequence"]],
  ["surrogate escape", '"\\ud800"', ["ERROR@0:escape sequence is an invalid Unicode code point"]],
  ["too large escape", '"\\U00110000"', ["ERROR@0:escape sequence is an invalid Unicode code point"]],
  ["octal escape too large", '"\\400"', ["ERROR@0:escape sequence is an invalid Unicode code point"]],
  ["valid escapes", '"\\a\\x41\\101\\u00e9\\U0001F600"', ['STRING@0:"\\a\\x41\\101\\u00e9\\U0001F600"']],
  [
    "subquery",
    'test_name{on!~"bar"}[4m:4s]',
    [
      "IDENTIFIER@0:test_name",
      "LEFT_BRACE@9:{",
      "IDENTIFIER@10:on",
      "NEQ_REGEX@12:!~",
      'STRING@14:"bar"',
      "RIGHT_BRACE@19:}",
      "LEFT_BRACKET@20:[",
      "DURATION@21:4m",
      "COLON@23::",
      "DURATION@24:4s",
      "RIGHT_BRACKET@26:]",
    ],
  ],
  [
    "subquery without step, then offset",
    "x[4m:] offset 10m",
    [
      "IDENTIFIER@0:x",
      "LEFT_BRACKET@1:[",
      "DURATION@2:4m",
      "COLON@4::",
      "RIGHT_BRACKET@5:]",
      "OFFSET@7:offset",
      "DURATION@14:10m",
    ],
  ],
  [
    "duration expression",
    "[(1m+2)*3:5s]",
    [
      "LEFT_BRACKET@0:[",
      "LEFT_PAREN@1:(",
      "DURATION@2:1m",
      "ADD@4:+",
      "NUMBER@5:2",
      "RIGHT_PAREN@6:)",
      "MUL@7:*",
      "NUMBER@8:3",
      "COLON@9::",
      "DURATION@10:5s",
      "RIGHT_BRACKET@12:]",
    ],
  ],
  // v3.5: after the range, any letter inside brackets lexes as the subquery colon.
  [
    "letter as colon",
    "[5s x 5s]",
    ["LEFT_BRACKET@0:[", "DURATION@1:5s", "COLON@4:x", "DURATION@6:5s", "RIGHT_BRACKET@8:]"],
  ],
  [
    "second colon",
    "[5m::]",
    ["LEFT_BRACKET@0:[", "DURATION@1:5m", "COLON@3::", "ERROR@4:unexpected colon ':'"],
  ],
  [
    "letter after colon",
    "[5m:foo]",
    ["LEFT_BRACKET@0:[", "DURATION@1:5m", "COLON@3::", "ERROR@4:unexpected colon 'f'"],
  ],
  [
    "colon first",
    "[:5m]",
    ["LEFT_BRACKET@0:[", "ERROR@2:unexpected colon before duration in duration expression"],
  ],
  [
    "string in brackets",
    '["5m"]',
    ["LEFT_BRACKET@0:[", "ERROR@1:unexpected character in duration expression: '\"'"],
  ],
  ["comment in brackets", "[5m#c\n]", ["LEFT_BRACKET@0:[", "DURATION@1:5m", "RIGHT_BRACKET@6:]"]],
  ["bad number", "2.5.", ['ERROR@0:bad number or duration syntax: "2.5."']],
  ["double dot", "100..4", ['ERROR@0:bad number or duration syntax: "100.."']],
  ["hex float", "0x1.8p1", ['ERROR@0:bad number or duration syntax: "0x1."']],
  ["dangling exponent", "1e", ['ERROR@0:bad number or duration syntax: "1e"']],
  ["hex ending in e", "0x1e", ['ERROR@0:bad number or duration syntax: "0x1e"']],
  ["double underscore", "1__0", ['ERROR@0:bad number or duration syntax: "1__"']],
  ["octal prefix", "0o17", ['ERROR@0:bad number or duration syntax: "0"']],
  ["duration then letter", "5mx", ['ERROR@0:bad number or duration syntax: "5mx"']],
  ["repeated unit", "5mm", ['ERROR@0:bad number or duration syntax: "5mm"']],
];

describe("Lexer", () => {
  for (const [name, input, items] of CASES) {
    it(name, () => {
      assert.deepEqual(lexAll(input), items, JSON.stringify(input));
    });
  }

  it("positions are UTF-16 indices", () => {
    assert.deepEqual(lexAll('{a="é😀"} + 1'), [
      "LEFT_BRACE@0:{",
      "IDENTIFIER@1:a",
      "EQL@2:=",
      'STRING@3:"é😀"',
      "RIGHT_BRACE@8:}",
      "ADD@10:+",
      "NUMBER@12:1",
    ]);
  });

  it("stops after the first error", () => {
    const lx = new Lexer("$ foo");
    assert.equal(lx.next().type, T.ERROR);
    assert.equal(lx.next().type, T.EOF);
    assert.equal(lx.next().type, T.EOF);
  });
});

describe("describeItem", () => {
  const cases: Array<[string, number, string]> = [
    ["foo", 0, 'identifier "foo"'],
    ["a:b", 0, 'metric identifier "a:b"'],
    ["1", 0, 'number "1"'],
    ["5m", 0, 'duration "5m"'],
    ['"a"', 0, 'string "\\"a\\""'],
    ['"abcdefghijklmnop"', 0, 'string "\\"abcdefghi"...'],
    ["by", 0, "<by>"],
    ["BY", 0, "<BY>"],
    ["and", 0, "<op:and>"],
    ["*", 0, "<op:*>"],
    ["sum", 0, "<aggr:sum>"],
    ["start", 0, '"start"'],
    ["(", 0, '"("'],
    ["@", 0, '"<Item 57400>" <op:@>'],
    ["", 0, "end of input"],
  ];
  for (const [input, index, want] of cases) {
    it(`${JSON.stringify(input)} reads ${want}`, () => {
      const lx = new Lexer(input);
      let it = lx.next();
      for (let i = 0; i < index; i++) it = lx.next();
      assert.equal(describeItem(it), want);
    });
  }
});

describe("quoteRune", () => {
  const cases: Array<[number, string]> = [
    [0x61, "'a'"],
    [0x27, "'\\''"],
    [0x22, "'\"'"],
    [0x0a, "'\\n'"],
    [0x00, "'\\x00'"],
    [0x7f, "'\\x7f'"],
    [0xa0, "'\\u00a0'"],
    [0xe9, "'é'"],
    [0x1f600, "'😀'"],
    [-1, "'\uFFFD'"],
  ];
  for (const [r, want] of cases) {
    it(`U+${r.toString(16)} quotes as ${want}`, () => assert.equal(quoteRune(r), want));
  }
});
