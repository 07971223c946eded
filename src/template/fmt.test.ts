import assert from "node:assert/strict";
import { test } from "node:test";
import { sprint, sprintf, sprintln } from "./fmt.ts";
import { formatFloat } from "./fmtfloat.ts";
import { GoComplex, typedSlice } from "./values.ts";

class P {
  A = 1n;
  B = "x";
}

class Named {
  readonly v = 3n;
  String(): string {
    return "named!";
  }
}

// Expected outputs as Go's fmt prints them (fmt_test.go and checks against the reference binaries).
const cases: [string, unknown[], string][] = [
  ["%d", [12345n], "12345"],
  ["%v", [12345n], "12345"],
  ["%d", [-12345n], "-12345"],
  ["%+d", [12345n], "+12345"],
  ["% d", [12345n], " 12345"],
  ["%x", [0n], "0"],
  ["%#x", [0n], "0x0"],
  ["%#X", [255n], "0XFF"],
  ["%o", [8n], "10"],
  ["%#o", [8n], "010"],
  ["%O", [8n], "0o10"],
  ["%b", [5n], "101"],
  ["%c", [0x65e5n], "日"],
  ["%q", [0x65e5n], "'日'"],
  ["%+q", [0x65e5n], "'\\u65e5'"],
  ["%U", [0x1f600n], "U+1F600"],
  ["%#U", [0x65e5n], "U+65E5 '日'"],
  ["%.0d", [0n], ""],
  ["%5.0d", [0n], "     "],
  ["%.3d", [7n], "007"],
  ["%08.3d", [7n], "     007"],
  ["%05d", [-42n], "-0042"],
  ["%-5d|", [42n], "42   |"],
  ["%t", [true], "true"],
  ["%5t|", [false], "false|"],
  ["%s", ["abc"], "abc"],
  ["%q", ["abc"], '"abc"'],
  ["%q", ['"'], '"\\""'],
  ["%#q", ["abc"], "`abc`"],
  ["%#q", ["`"], '"`"'],
  ["%+q", ["日本語"], '"\\u65e5\\u672c\\u8a9e"'],
  ["%#+q", ["日本語"], "`日本語`"],
  ["%x", ["abc"], "616263"],
  ["% x", ["abc"], "61 62 63"],
  ["%#x", ["abc"], "0x616263"],
  ["%# x", ["abc"], "0x61 0x62 0x63"],
  ["%X", ["abc"], "616263"],
  ["%5s", ["abc"], "  abc"],
  ["%-5s|", ["abc"], "abc  |"],
  ["%05s", ["abc"], "00abc"],
  ["%.5s", ["abcdefghijklmnopqrstuvwxyz"], "abcde"],
  ["%.5s", ["日本語日本語"], "日本語日本"],
  ["%.10q", ["abcdefghijklmnopqrstuvwxyz"], '"abcdefghij"'],
  ["%q", ["\n\t\x00é"], '"\\n\\t\\x00é"'],
  ["%e", [1.0], "1.000000e+00"],
  ["%+.3e", [0.0], "+0.000e+00"],
  ["%+.3f", [-1.0], "-1.000"],
  ["%+07.2f", [1.0], "+001.00"],
  ["%+07.2f", [-1.0], "-001.00"],
  ["%-07.2f|", [1.0], "1.00   |"],
  ["%g", [1.0], "1"],
  ["%g", [1e6], "1e+06"],
  ["%g", [1e-5], "1e-05"],
  ["%g", [100000.0], "100000"],
  ["%.4g", [1234.5678], "1235"],
  ["%v", [1e21], "1e+21"],
  ["%v", [0.1], "0.1"],
  ["%v", [-0.0], "-0"],
  ["%.2f", [0.125], "0.12"],
  ["%.2f", [0.375], "0.38"],
  ["%.0f", [2.5], "2"],
  ["%.1f", [0.05], "0.1"],
  ["%f", [Number.NaN], "NaN"],
  ["%+f", [Number.NaN], "+NaN"],
  ["% f", [Number.NaN], " NaN"],
  ["%f", [Infinity], "+Inf"],
  ["%v", [-Infinity], "-Inf"],
  ["%5.2f", [Infinity], " +Inf"],
  ["%05.2f", [Number.NaN], "  NaN"],
  ["%#.0f", [1.0], "1."],
  ["%#g", [1.0], "1.00000"],
  ["%#.4g", [1.0], "1.000"],
  ["%x", [1.0], "0x1p+00"],
  ["%x", [1.5], "0x1.8p+00"],
  ["%.2x", [3.0], "0x1.80p+01"],
  ["%v", [new GoComplex(1, 2)], "(1+2i)"],
  ["%.1f", [new GoComplex(1, -2)], "(1.0-2.0i)"],
  ["%v", [undefined], "<nil>"],
  ["%T", [null], "<nil>"],
  ["%s", [null], "%!s(<nil>)"],
  ["%d", [undefined], "%!d(<nil>)"],
  ["%d", ["hi"], "%!d(string=hi)"],
  ["%s", [5n], "%!s(int=5)"],
  ["%d", [1.5], "%!d(float64=1.5)"],
  ["%z", [true], "%!z(bool=true)"],
  ["%d", [], "%!d(MISSING)"],
  ["%", [], "%!(NOVERB)"],
  ["%!", [], "%!!(MISSING)"],
  ["%d", [1n, 2n], "1%!(EXTRA int=2)"],
  ["", [1n, "x"], "%!(EXTRA int=1, string=x)"],
  ["%[3]d %[1]d", [1n, 2n], "%!d(BADINDEX) 1"],
  ["%[2]d %[1]d", [1n, 2n], "2 1"],
  ["%*d", [4n, 1n], "   1"],
  ["%-*d|", [4n, 1n], "1   |"],
  ["%*d", ["x", 1n], "%!(BADWIDTH)1"],
  ["%.*d", [-1n, 7n], "%!(BADPREC)7"],
  ["%.*f", [2n, 2.5], "2.50"],
  ["%5%|", [], "%|"],
  [
    "%v",
    [
      new Map([
        ["b", 2n],
        ["a", 1n],
      ]),
    ],
    "map[a:1 b:2]",
  ],
  ["%v", [{ z: "1", a: [1n, 2n] }], "map[a:[1 2] z:1]"],
  ["%d", [[1n, 2n]], "[1 2]"],
  ["%q", [typedSlice(["a", "b"], "string")], '["a" "b"]'],
  ["%v", [[undefined, 1n]], "[<nil> 1]"],
  ["%d", [[undefined, 1n]], "[%!d(<nil>) 1]"],
  ["%v", [new P()], "{1 x}"],
  ["%+v", [new P()], "{A:1 B:x}"],
  ["%T", [new P()], "P"],
  ["%v %s", [new Named(), new Named()], "named! named!"],
  ["%d", [new Named()], "{3}"],
  ["%v", [[new Named()]], "[named!]"],
  ["%#v", [typedSlice(["a"], "string")], '[]string{"a"}'],
  ["%#v", [new Map([["k", 1n]])], 'map[string]interface {}{"k":1}'],
  ["%T %T %T %T %T", [1n, 1.5, "s", true, [1n]], "int float64 string bool []interface {}"],
];

test("sprintf matches Go's fmt", () => {
  for (const [format, args, want] of cases)
    assert.equal(sprintf(format, args), want, `${format} ${String(args)}`);
});

test("sprint and sprintln", () => {
  assert.equal(sprint([1n, 2n]), "1 2");
  assert.equal(sprint(["a", "b"]), "ab");
  assert.equal(sprint([1n, "a", 2n]), "1a2");
  assert.equal(sprint([1.5, undefined, true]), "1.5 <nil> true");
  assert.equal(sprintln([1n, "a", 2.5]), "1 a 2.5\n");
  assert.equal(sprintln([]), "\n");
});

const floats: [number, string, number, string][] = [
  [1, "e", 5, "1.00000e+00"],
  [1.5, "f", 0, "2"],
  [2.5, "f", 0, "2"],
  [3.5, "f", 0, "4"],
  [0.125, "f", 2, "0.12"],
  [1e23, "g", -1, "1e+23"],
  [5e-324, "g", -1, "5e-324"],
  [Number.MAX_VALUE, "g", -1, "1.7976931348623157e+308"],
  [100, "g", -1, "100"],
  [0.000001, "g", -1, "1e-06"],
  [0.0001, "g", -1, "0.0001"],
  [123456789, "g", -1, "1.23456789e+08"],
  [-0, "g", -1, "-0"],
  [0, "e", -1, "0e+00"],
  [1e-7, "f", -1, "0.0000001"],
  [123.456, "e", 2, "1.23e+02"],
  [9.9999, "g", 3, "10"],
  [0.000123456, "g", 2, "0.00012"],
  [
    1e100,
    "f",
    0,
    "10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104",
  ],
  [5e-324, "f", 3, "0.000"],
  [0.0009, "f", 2, "0.00"],
  [0.009, "f", 2, "0.01"],
  [999.9999, "f", 2, "1000.00"],
  [1, "x", -1, "0x1p+00"],
  [-0.1, "x", -1, "-0x1.999999999999ap-04"],
  [5e-324, "x", -1, "0x1p-1074"],
];

test("formatFloat matches strconv.FormatFloat", () => {
  for (const [v, f, prec, want] of floats) assert.equal(formatFloat(v, f, prec), want, `${v} ${f} ${prec}`);
});
