import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Labels } from "../model/labels/labels.ts";
import type { MetricFamily, MetricType, Sample } from "./types.ts";
import { writeFamilies, writeFamily } from "./writer.ts";

const L = (o: Record<string, string> = {}): Labels => Labels.fromObject(o);

function s(name: string, labels: Record<string, string>, value: number, extra: Partial<Sample> = {}): Sample {
  return { name, labels: L(labels), value, ...extra };
}

function fam(
  name: string,
  type: MetricType,
  samples: Sample[],
  meta: { help?: string; unit?: string } = {},
): MetricFamily {
  return { name, type, samples, ...meta };
}

interface Golden {
  readonly name: string;
  readonly family: MetricFamily;
  readonly text: string;
  readonly openmetrics: string;
}

const goldens: Golden[] = [
  {
    name: "counter in the classic shape, with escaping and a timestamp",
    family: fam(
      "http_requests_total",
      "counter",
      [
        s("http_requests_total", { code: "200", path: '/a"b\\c\nd' }, 1027, { timestampMs: 1395066363000 }),
        s("http_requests_total", { code: "400", path: "/" }, 3),
      ],
      { help: 'Total "requests"\nwith \\ backslash' },
    ),
    text: `# HELP http_requests_total Total "requests"\\nwith \\\\ backslash
# TYPE http_requests_total counter
http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027 1395066363000
http_requests_total{code="400",path="/"} 3
`,
    openmetrics: `# HELP http_requests Total \\"requests\\"\\nwith \\\\ backslash
# TYPE http_requests counter
http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027.0 1.395066363e+09
http_requests_total{code="400",path="/"} 3.0
`,
  },
  {
    name: "counter in the OpenMetrics shape, with _created and an exemplar",
    family: fam(
      "rpc",
      "counter",
      [
        s("rpc_total", { method: "get" }, 7, {
          exemplar: { labels: L({ trace_id: "abc" }), value: 1, timestampMs: 1795313338886 },
        }),
        s("rpc_created", { method: "get" }, 1795313338.8822873),
      ],
      { help: "RPCs." },
    ),
    text: `# HELP rpc RPCs.
# TYPE rpc counter
rpc_total{method="get"} 7
rpc_created{method="get"} 1.7953133388822873e+09
`,
    openmetrics: `# HELP rpc RPCs.
# TYPE rpc counter
rpc_total{method="get"} 7.0 # {trace_id="abc"} 1.0 1.795313338886e+09
rpc_created{method="get"} 1.7953133388822873e+09
`,
  },
  {
    name: "counter without _total becomes unknown in OpenMetrics",
    family: fam("legacy_hits", "counter", [s("legacy_hits", {}, 5)]),
    text: "# TYPE legacy_hits counter\nlegacy_hits 5\n",
    openmetrics: "# TYPE legacy_hits unknown\nlegacy_hits 5.0\n",
  },
  {
    name: "gauge with special values and a unit",
    family: fam(
      "temp_celsius",
      "gauge",
      [
        s("temp_celsius", { k: "nan" }, Number.NaN),
        s("temp_celsius", { k: "pinf" }, Number.POSITIVE_INFINITY),
        s("temp_celsius", { k: "ninf" }, Number.NEGATIVE_INFINITY),
        s("temp_celsius", { k: "big" }, 1e6),
        s("temp_celsius", { k: "small" }, -0.00001, { timestampMs: -1500 }),
        s("temp_celsius", { k: "zero" }, -0),
      ],
      { help: "", unit: "celsius" },
    ),
    text: `# HELP temp_celsius \n# TYPE temp_celsius gauge
temp_celsius{k="nan"} NaN
temp_celsius{k="pinf"} +Inf
temp_celsius{k="ninf"} -Inf
temp_celsius{k="big"} 1e+06
temp_celsius{k="small"} -1e-05 -1500
temp_celsius{k="zero"} 0
`,
    openmetrics: `# HELP temp_celsius \n# TYPE temp_celsius gauge
# UNIT temp_celsius celsius
temp_celsius{k="nan"} NaN
temp_celsius{k="pinf"} +Inf
temp_celsius{k="ninf"} -Inf
temp_celsius{k="big"} 1e+06
temp_celsius{k="small"} -1e-05 -1.5
temp_celsius{k="zero"} 0.0
`,
  },
  {
    name: "histogram with integer counts and a bucket exemplar",
    family: fam(
      "req_seconds",
      "histogram",
      [
        s("req_seconds_bucket", { le: "0.1" }, 1),
        s("req_seconds_bucket", { le: "1" }, 2, { exemplar: { labels: Labels.EMPTY, value: 0.5 } }),
        s("req_seconds_bucket", { le: "+Inf" }, 3),
        s("req_seconds_sum", {}, 2.5),
        s("req_seconds_count", {}, 3),
      ],
      { help: "Latency." },
    ),
    text: `# HELP req_seconds Latency.
# TYPE req_seconds histogram
req_seconds_bucket{le="0.1"} 1
req_seconds_bucket{le="1"} 2
req_seconds_bucket{le="+Inf"} 3
req_seconds_sum 2.5
req_seconds_count 3
`,
    openmetrics: `# HELP req_seconds Latency.
# TYPE req_seconds histogram
req_seconds_bucket{le="0.1"} 1
req_seconds_bucket{le="1"} 2 # {} 0.5
req_seconds_bucket{le="+Inf"} 3
req_seconds_sum 2.5
req_seconds_count 3
`,
  },
  {
    name: "summary; a fractional count stays a float",
    family: fam("rpc_bytes", "summary", [
      s("rpc_bytes", { quantile: "0.5" }, 120),
      s("rpc_bytes", { quantile: "0.99" }, 4.5e6),
      s("rpc_bytes_sum", {}, 1234567),
      s("rpc_bytes_count", {}, 2.5),
    ]),
    text: `# TYPE rpc_bytes summary
rpc_bytes{quantile="0.5"} 120
rpc_bytes{quantile="0.99"} 4.5e+06
rpc_bytes_sum 1.234567e+06
rpc_bytes_count 2.5
`,
    openmetrics: `# TYPE rpc_bytes summary
rpc_bytes{quantile="0.5"} 120.0
rpc_bytes{quantile="0.99"} 4.5e+06
rpc_bytes_sum 1.234567e+06
rpc_bytes_count 2.5
`,
  },
  {
    name: "unknown",
    family: fam("mystery", "unknown", [s("mystery", {}, 42)], { help: "?" }),
    text: "# HELP mystery ?\n# TYPE mystery untyped\nmystery 42\n",
    openmetrics: "# HELP mystery ?\n# TYPE mystery unknown\nmystery 42.0\n",
  },
  {
    name: "info",
    family: fam("build", "info", [s("build_info", { version: "1.4.2" }, 1)]),
    text: '# TYPE build gauge\nbuild_info{version="1.4.2"} 1\n',
    openmetrics: '# TYPE build info\nbuild_info{version="1.4.2"} 1.0\n',
  },
  {
    name: "stateset",
    family: fam("state", "stateset", [s("state", { state: "a" }, 0), s("state", { state: "b" }, 1)]),
    text: '# TYPE state gauge\nstate{state="a"} 0\nstate{state="b"} 1\n',
    openmetrics: '# TYPE state stateset\nstate{state="a"} 0.0\nstate{state="b"} 1.0\n',
  },
  {
    name: "gaugehistogram",
    family: fam("queue", "gaugehistogram", [
      s("queue_bucket", { le: "+Inf" }, 4),
      s("queue_gcount", {}, 4),
      s("queue_gsum", {}, 8),
    ]),
    text: '# TYPE queue histogram\nqueue_bucket{le="+Inf"} 4\nqueue_gcount 4\nqueue_gsum 8\n',
    openmetrics: '# TYPE queue gaugehistogram\nqueue_bucket{le="+Inf"} 4\nqueue_gcount 4\nqueue_gsum 8.0\n',
  },
  {
    name: "UTF-8 metric and label names are quoted",
    family: fam(
      "my.metric",
      "gauge",
      [
        s("my.metric", { "label.name": "v", a: "x" }, 1),
        s("my.metric", {}, 2),
        s("my.metric", { 'q"': "y" }, 3),
      ],
      { help: "dotted" },
    ),
    text: `# HELP "my.metric" dotted
# TYPE "my.metric" gauge
{"my.metric",a="x","label.name"="v"} 1
{"my.metric"} 2
{"my.metric","q\\""="y"} 3
`,
    openmetrics: `# HELP "my.metric" dotted
# TYPE "my.metric" gauge
{"my.metric",a="x","label.name"="v"} 1.0
{"my.metric"} 2.0
{"my.metric","q\\""="y"} 3.0
`,
  },
  {
    name: "no samples, no HELP",
    family: fam("empty", "gauge", []),
    text: "# TYPE empty gauge\n",
    openmetrics: "# TYPE empty gauge\n",
  },
];

describe("writeFamily goldens", () => {
  for (const g of goldens) {
    test(g.name, () => {
      assert.equal(writeFamily(g.family, "prometheus-text"), g.text);
      assert.equal(writeFamily(g.family, "openmetrics"), g.openmetrics);
    });
  }
});

describe("writeFamilies", () => {
  test("concatenates in order; OpenMetrics ends with # EOF", () => {
    const families = goldens.map((g) => g.family);
    assert.equal(writeFamilies(families, "prometheus-text"), goldens.map((g) => g.text).join(""));
    assert.equal(
      writeFamilies(families, "openmetrics"),
      `${goldens.map((g) => g.openmetrics).join("")}# EOF\n`,
    );
  });

  test("empty input", () => {
    assert.equal(writeFamilies([], "prometheus-text"), "");
    assert.equal(writeFamilies([], "openmetrics"), "# EOF\n");
  });
});

describe("name escaping schemes", () => {
  const family = fam(
    "my.metric",
    "histogram",
    [
      s("my.metric_bucket", { "label.name": "v", le: "+Inf" }, 1),
      s("my.metric_count", { "label.name": "v" }, 1),
    ],
    { help: "h" },
  );
  const cases: [string, "underscores" | "dots" | "values", string][] = [
    [
      "underscores",
      "underscores",
      `# HELP my_metric h
# TYPE my_metric histogram
my_metric_bucket{label_name="v",le="+Inf"} 1
my_metric_count{label_name="v"} 1
`,
    ],
    [
      "dots keeps the suffix's single underscore",
      "dots",
      `# HELP my_dot_metric h
# TYPE my_dot_metric histogram
my_dot_metric_bucket{label_dot_name="v",le="+Inf"} 1
my_dot_metric_count{label_dot_name="v"} 1
`,
    ],
    [
      "values",
      "values",
      `# HELP U__my_2e_metric h
# TYPE U__my_2e_metric histogram
U__my_2e_metric_bucket{U__label_2e_name="v",le="+Inf"} 1
U__my_2e_metric_count{U__label_2e_name="v"} 1
`,
    ],
  ];
  for (const [name, escaping, want] of cases) {
    test(name, () => assert.equal(writeFamily(family, "prometheus-text", { escaping }), want));
  }

  test("allow-utf-8 is the default", () => {
    assert.equal(
      writeFamily(family, "prometheus-text", { escaping: "allow-utf-8" }),
      writeFamily(family, "prometheus-text"),
    );
    assert.match(
      writeFamily(family, "prometheus-text"),
      /^\{"my\.metric_bucket","label\.name"="v",le="\+Inf"\} 1$/m,
    );
  });
});
