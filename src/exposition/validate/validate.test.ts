import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ParseMode, parseFamilies } from "../families.ts";
import { ParseError } from "../parser.ts";
import type { Format, MetricFamily } from "../types.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The error message of parsing `body`, or undefined when it is accepted. */
function verdict(body: string, format: Format, mode: ParseMode = "strict"): string | undefined {
  try {
    parseFamilies(utf8(body), format, { mode });
    return undefined;
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${e}`);
    return e.message;
  }
}

/** Families in a compact form: [name, type, help, unit, ["name{labels}=value@ts#exemplar", …]]. */
function families(body: string, format: Format, mode: ParseMode = "scrape"): unknown[] {
  return parseFamilies(utf8(body), format, { mode }).map((f: MetricFamily) => [
    f.name,
    f.type,
    f.help,
    f.unit,
    f.samples.map((s) => {
      let r = `${s.name}${s.labels.toString()}=${s.value}`;
      if (s.timestampMs !== undefined) r += `@${s.timestampMs}`;
      if (s.exemplar !== undefined)
        r += `#${s.exemplar.labels.toString()}=${s.exemplar.value}@${s.exemplar.timestampMs}`;
      return r;
    }),
  ]);
}

// A valid histogram point, to build on.
const HIST = '# TYPE h histogram\nh_bucket{le="1"} 0\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\n';

describe("strict OpenMetrics: each semantic rule rejects and accepts", () => {
  // body without "# EOF", expected message (undefined: accepted)
  const cases: [string, string | undefined][] = [
    ["# TYPE a counter\na_total 1\n# HELP a h\n", '3:1: HELP for metric family "a" after its samples'],
    ["# TYPE a counter\n# HELP a h\na_total 1\n", undefined],
    ["# TYPE a counter\n# TYPE a counter\n", '2:1: second TYPE line for metric family "a"'],
    ["# HELP a x\n# HELP a y\n", '2:1: second HELP line for metric family "a"'],
    ["# UNIT a_s s\n# UNIT a_s s\n", '2:1: second UNIT line for metric family "a_s"'],
    ["# TYPE a_s gauge\n# HELP a_s h\n# UNIT a_s s\na_s 1\n", undefined],
    ["# TYPE a_x stateset\n# UNIT a_x x\n", '2:1: metric family "a_x" of type stateset cannot have a unit'],
    ["# UNIT a_x x\n# TYPE a_x info\n", '2:1: metric family "a_x" of type info cannot have a unit'],
    ["a 1\nb 1\na 2\n", '3:1: metric family "a" appears again after other families'],
    ["a 1\na 2\nb 1\n", undefined],
    [
      "# TYPE a counter\na_total 1\n# TYPE a_total gauge\na_total 1\n",
      '3:1: metric name "a_total" clashes with metric family "a"',
    ],
    ["# TYPE a gauge\na 1\n# TYPE a_total gauge\na_total 1\n", undefined],
    ["# TYPE a counter\na_total -1\n", '2:1: counter value of "a" must be a non-negative number, got -1'],
    ["# TYPE a counter\na_total NaN\n", '2:1: counter value of "a" must be a non-negative number, got NaN'],
    ["# TYPE a counter\na_total 0\na_created 1\n", undefined],
    ["# TYPE h histogram\nh_bucket 1\n", '2:1: bucket of "h" needs a numeric "le" label'],
    ['# TYPE h histogram\nh_bucket{le="x"} 1\n', '2:1: bucket of "h" needs a numeric "le" label'],
    [
      '# TYPE h histogram\nh_bucket{le="+Inf"} -1\n',
      '2:1: bucket value of "h" must be a non-negative number, got -1',
    ],
    [
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count -1\n',
      '3:1: count of "h" must be a non-negative number, got -1',
    ],
    ['# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum NaN\n', '4:1: sum of "h" must not be NaN'],
    [
      '# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 1\ng_gcount 1\ng_gsum NaN\n',
      '4:1: sum of "g" must not be NaN',
    ],
    [`${HIST}h_created 5\n`, undefined],
    [
      '# TYPE s summary\ns{quantile="2"} 1\n',
      '2:1: quantile sample of "s" needs a "quantile" label between 0 and 1',
    ],
    ["# TYPE s summary\ns 1\n", '2:1: quantile sample of "s" needs a "quantile" label between 0 and 1'],
    ['# TYPE s summary\ns{quantile="0.5"} -1\n', '2:1: quantile value of "s" must not be negative'],
    ["# TYPE s summary\ns_count -1\n", '2:1: count of "s" must be a non-negative number, got -1'],
    ['# TYPE s summary\ns{quantile="0.5"} 1\ns{quantile="1"} 2\ns_count 1\ns_sum 1\n', undefined],
    ["# TYPE i info\ni_info 2\n", '2:1: info metric "i" must have the value 1, got 2'],
    ['# TYPE i info\ni_info{a="b"} 1\n', undefined],
    ["# TYPE s stateset\ns 1\n", '2:1: stateset "s" sample needs a "s" label'],
    ['# TYPE s stateset\ns{s="a"} 2\n', '2:1: stateset "s" value must be 0 or 1, got 2'],
    ['# TYPE s stateset\ns{s="a"} 1\ns{s="b"} 0\n', undefined],
    ['# TYPE g gauge\ng 1 # {a="b"} 1\n', '2:1: exemplar not allowed on "g" of type gauge'],
    [
      '# TYPE a counter\na_total 1\na_created 1 # {a="b"} 1\n',
      '3:1: exemplar not allowed on "a_created" of type counter',
    ],
    ['# TYPE a counter\na_total 1 # {a="b"} 1\n', undefined],
    [HIST.replace("} 0\n", '} 0 # {a="b"} 1\n'), undefined],
    [
      `# TYPE a counter\na_total 1 # {a="${"é".repeat(128)}"} 1\n`,
      '2:1: exemplar labels of "a_total" exceed 128 characters',
    ],
    [`# TYPE a counter\na_total 1 # {a="${"é".repeat(127)}"} 1\n`, undefined],
    [
      '# TYPE g gauge\ng{a="1"} 1\ng{a="2"} 1\ng{a="1"} 1\n',
      '4:1: samples of "g" with labels {a="1"} are not grouped together',
    ],
    ["# TYPE g gauge\ng 1 1\ng 1\n", '3:1: "g" mixes samples with and without timestamps'],
    ["# TYPE g gauge\ng 1 2\ng 1 1\n", '3:1: timestamps of "g" go backwards'],
    ["# TYPE g gauge\ng 1 1\ng 1 2\n", undefined],
    [
      '# TYPE h histogram\nh_bucket{le="2"} 0\nh_bucket{le="1"} 0\n',
      '3:1: buckets of "h" are not in increasing "le" order',
    ],
    ['# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\n', '3:1: bucket values of "h" decrease'],
    ['# TYPE h histogram\nh_bucket{le="1"} 1\n', '3:1: histogram "h" has no "+Inf" bucket'],
    [
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\n',
      '4:1: histogram "h" must have both or neither of its count and sum',
    ],
    ['# TYPE h histogram\nh_bucket{le="+Inf"} 1\n', undefined],
    [
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 2\nh_sum 1\n',
      '5:1: count of histogram "h" differs from its "+Inf" bucket',
    ],
    [
      '# TYPE h histogram\nh_bucket{le="-1"} 0\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\n',
      '6:1: histogram "h" with negative buckets has a sum',
    ],
    [
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum -1\n',
      '5:1: sum of "h" is negative without negative buckets',
    ],
    [
      '# TYPE g gaugehistogram\ng_bucket{le="-1"} 0\ng_bucket{le="+Inf"} 1\ng_gcount 1\ng_gsum -1\n',
      undefined,
    ],
    [
      '# TYPE a counter\na_total{b="c",} 1\n',
      '2:15: expected label name after comma, got "} " ("BCLOSE") while parsing: "a_total{b=\\"c\\",} "',
    ],
  ];
  for (const [body, want] of cases) {
    it(`${want ?? "accepted"}: ${JSON.stringify(body)}`, () => {
      assert.equal(verdict(`${body}# EOF\n`, "openmetrics"), want);
    });
  }

  it("scrape mode enforces none of these rules", () => {
    for (const [body] of cases)
      assert.equal(verdict(`${body}# EOF\n`, "openmetrics", "scrape"), undefined, body);
  });

  it("an empty body is an empty scrape but not a valid OpenMetrics exposition", () => {
    assert.deepEqual(families("", "openmetrics"), []);
    assert.equal(verdict("", "openmetrics"), "1:1: data does not end with # EOF");
  });
});

describe("strict classic text (expfmt rules)", () => {
  const cases: [string, string | undefined][] = [
    ["# HELP a one\n# HELP a two\n", '2:1: second HELP line for metric name "a"'],
    [
      "# TYPE a counter\n# TYPE a counter\n",
      '2:1: second TYPE line for metric name "a", or TYPE reported after samples',
    ],
    ["a 1\n# TYPE a counter\n", '2:1: second TYPE line for metric name "a", or TYPE reported after samples'],
    ["b 1\n# TYPE a counter\na 1\n", undefined],
    [
      '# TYPE a histogram\na_bucket{le="bla"} 3.14\n',
      "2:1: expected float as value for 'le' label, got \"bla\"",
    ],
    ['# TYPE a histogram\na_bucket{le="+Inf"} 1\na_bucket{le="1e3"} 1\n', undefined],
    [
      '# TYPE a summary\na{quantile="bla"} 3.14\n',
      "2:1: expected float as value for 'quantile' label, got \"bla\"",
    ],
    ['# TYPE a summary\na_sum{quantile="x"} 1\n', undefined],
    ['a_bucket{le="x"} 1\n', undefined],
    ["a 1\nb 1\nc 1", "3:1: unexpected end of input stream: the last line has no newline"],
    ['a{b="\\t"} 1\n', "1:6: invalid escape sequence '\\t'"],
    ['a{b="\\"\\\\\\n"} 1\n', undefined],
    ['x 1\na{b="x\ny"} 1\n', "2:7: label value contains unescaped new-line"],
    ["# HELP a x\\ty\n", "1:11: invalid escape sequence '\\t'"],
    ["# HELP a x\\\\y\\nz\n", undefined],
    [
      'a{b="c" d="e"} 1\n',
      '1:9: expected comma or brace close, got "d=" ("LNAME") while parsing: "a{b=\\"c\\" d="',
    ],
    ['a{b="c",} 1\n', undefined],
    ["a 1 -5\n", undefined],
    ["# TYPE a_b.c gauge\n", "1:11: invalid metric name in comment"],
    ["# HELP a\n# HELP a\n# HELP \n", undefined],
  ];
  for (const [body, want] of cases) {
    it(`${want ?? "accepted"}: ${JSON.stringify(body)}`, () => {
      assert.equal(verdict(body, "prometheus-text"), want);
    });
  }

  it("scrape mode accepts what only expfmt refuses", () => {
    for (const body of [
      "# HELP a one\n# HELP a two\n",
      "a 1\n# TYPE a counter\n",
      'a{b="\\t"} 1\n',
      'a{b="c" d="e"} 1\n',
      "a 1",
    ]) {
      assert.equal(verdict(body, "prometheus-text", "scrape"), undefined, body);
    }
    assert.match(verdict("a 1 -5\n", "prometheus-text", "scrape") ?? "", /expected timestamp or new record/);
  });

  it("reads values the same in both modes", () => {
    const body = '# HELP a x\\\\y\\nz\n# TYPE a gauge\na{b="\\"\\\\\\n"} 1 5\n';
    const want = [["a", "gauge", "x\\y\nz", undefined, ['a{b="\\"\\\\\\n"}=1@5']]];
    assert.deepEqual(families(body, "prometheus-text", "strict"), want);
    assert.deepEqual(families(body, "prometheus-text", "scrape"), want);
  });
});

describe("parseFamilies grouping", () => {
  const text: [string, string, unknown[]][] = [
    [
      "non-contiguous samples are gathered",
      "a 1\nb 2\na 3\n",
      [
        ["a", "unknown", undefined, undefined, ["a{}=1", "a{}=3"]],
        ["b", "unknown", undefined, undefined, ["b{}=2"]],
      ],
    ],
    [
      "histogram series go to their family",
      `${HIST}`,
      [
        [
          "h",
          "histogram",
          undefined,
          undefined,
          // Scrape mode stores `le` in OpenMetrics float form, as Prometheus 3 does.
          ['h_bucket{le="1.0"}=0', 'h_bucket{le="+Inf"}=1', "h_count{}=1", "h_sum{}=1"],
        ],
      ],
    ],
    [
      "histogram series apart from their family",
      "# TYPE h histogram\nh_sum 3\nother 1\nh_count 2\n",
      [
        ["h", "histogram", undefined, undefined, ["h_sum{}=3", "h_count{}=2"]],
        ["other", "unknown", undefined, undefined, ["other{}=1"]],
      ],
    ],
    [
      "summary series",
      '# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 2\ns_count 3\n',
      [["s", "summary", undefined, undefined, ['s{quantile="0.5"}=1', "s_sum{}=2", "s_count{}=3"]]],
    ],
    [
      "first-appearance order",
      "b 1\n# TYPE a gauge\na 2\nb 3\n# HELP z z\n",
      [
        ["b", "unknown", undefined, undefined, ["b{}=1", "b{}=3"]],
        ["a", "gauge", undefined, undefined, ["a{}=2"]],
        ["z", "unknown", "z", undefined, []],
      ],
    ],
    [
      "HELP without TYPE is unknown",
      "# HELP x The x.\nx 1 7\n",
      [["x", "unknown", "The x.", undefined, ["x{}=1@7"]]],
    ],
    [
      "TYPE and HELP in any order",
      '# TYPE a histogram\n# HELP a h\na_bucket{le="+Inf"} 1\n',
      [["a", "histogram", "h", undefined, ['a_bucket{le="+Inf"}=1']]],
    ],
    [
      "a _bucket without TYPE is its own family",
      "x_bucket 1\n",
      [["x_bucket", "unknown", undefined, undefined, ["x_bucket{}=1"]]],
    ],
    ["an empty body", "", []],
  ];
  for (const [what, body, want] of text) {
    it(`text: ${what}`, () => assert.deepEqual(families(body, "prometheus-text"), want));
  }

  it("OpenMetrics: counters, units, exemplars and info families", () => {
    const body =
      '# TYPE a_bytes counter\n# UNIT a_bytes bytes\na_bytes_total 1 5 # {x="y"} 2 6\na_bytes_created 7\n' +
      '# TYPE i info\ni_info{v="1"} 1\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\n# EOF\n';
    const want = [
      [
        "a_bytes",
        "counter",
        undefined,
        "bytes",
        ['a_bytes_total{}=1@5000#{x="y"}=2@6000', "a_bytes_created{}=7"],
      ],
      ["i", "info", undefined, undefined, ['i_info{v="1"}=1']],
      ["h", "histogram", undefined, undefined, ['h_bucket{le="+Inf"}=1', "h_count{}=1", "h_sum{}=1"]],
    ];
    assert.deepEqual(families(body, "openmetrics"), want);
    assert.deepEqual(families(body, "openmetrics", "strict"), want);
  });
});
