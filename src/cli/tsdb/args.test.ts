import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../flags.ts";
import { type ArgSpec, formatArgSpec, parseArgs } from "./args.ts";

const SPEC: ArgSpec = {
  flags: {
    quiet: { type: "boolean", short: "q", help: "Quiet." },
    "human-readable": { type: "boolean", short: "r", help: "Human." },
    limit: { type: "string", short: "l", default: "20", help: "Limit." },
    match: { type: "repeated", default: "{}", help: "Match." },
    secret: { type: "string", hidden: true, help: "Hidden." },
  },
  positionals: [
    { name: "input file", required: true, help: "Input." },
    { name: "output directory", default: "data/", help: "Output." },
  ],
};

function parsed(...args: string[]) {
  const a = parseArgs(SPEC, args);
  return {
    quiet: a.booleans.get("quiet"),
    hr: a.booleans.get("human-readable"),
    limit: a.strings.get("limit"),
    match: a.repeated.get("match"),
    input: a.positionals.get("input file"),
    output: a.positionals.get("output directory"),
  };
}

describe("parseArgs (kingpin-style)", () => {
  const cases: [string[], ReturnType<typeof parsed>][] = [
    [["in"], { quiet: false, hr: false, limit: "20", match: ["{}"], input: "in", output: "data/" }],
    [["-qr", "in", "out"], { quiet: true, hr: true, limit: "20", match: ["{}"], input: "in", output: "out" }],
    [
      ["in", "--quiet", "--limit", "5"],
      { quiet: true, hr: false, limit: "5", match: ["{}"], input: "in", output: "data/" },
    ],
    [
      ["--no-quiet", "-l7", "in"],
      { quiet: false, hr: false, limit: "7", match: ["{}"], input: "in", output: "data/" },
    ],
    [["-l", "8", "in"], { quiet: false, hr: false, limit: "8", match: ["{}"], input: "in", output: "data/" }],
    [
      ["--quiet=false", "--human-readable=true", "in"],
      { quiet: false, hr: true, limit: "20", match: ["{}"], input: "in", output: "data/" },
    ],
    [
      ["--match=a", "--match", "b", "in"],
      { quiet: false, hr: false, limit: "20", match: ["a", "b"], input: "in", output: "data/" },
    ],
    [
      ["--", "-in", "-out"],
      { quiet: false, hr: false, limit: "20", match: ["{}"], input: "-in", output: "-out" },
    ],
    [["-", "--limit="], { quiet: false, hr: false, limit: "", match: ["{}"], input: "-", output: "data/" }],
  ];
  for (const [args, want] of cases) {
    it(args.join(" "), () => assert.deepEqual(parsed(...args), want));
  }

  const errors: [string[], string][] = [
    [[], "required argument 'input file' not provided"],
    [["a", "b", "c"], "unexpected c"],
    [["--frob", "a"], "unknown long flag '--frob'"],
    [["--toString", "a"], "unknown long flag '--toString'"],
    [["--no-limit", "a"], "unknown long flag '--no-limit'"],
    [["-x", "a"], "unknown short flag '-x'"],
    [["-qx", "a"], "unknown short flag '-x'"],
    [["a", "--limit"], "expected argument for flag '--limit'"],
    [["a", "-l"], "expected argument for flag '-l'"],
    [["--quiet=yes", "a"], 'strconv.ParseBool: parsing "yes": invalid syntax'],
  ];
  for (const [args, message] of errors) {
    it(`rejects ${args.join(" ") || "nothing"}`, () => {
      assert.throws(
        () => parseArgs(SPEC, args),
        (e: unknown) => e instanceof UsageError && e.message === message,
      );
    });
  }

  it("help lists visible flags and the arguments", () => {
    const help = formatArgSpec(SPEC);
    assert.match(help, /^ {2}-q, --\[no-\]quiet +Quiet\.$/m);
    assert.match(help, /^ {2}-l, --limit=20 +Limit\.$/m);
    assert.match(help, /^ {6}--match=\{\} \.\.\. +Match\.$/m);
    assert.match(help, /^ {2}<input file> +Input\.$/m);
    assert.match(help, /^ {2}\[<output directory>\] +Output\.$/m);
    assert.doesNotMatch(help, /secret/);
  });
});
