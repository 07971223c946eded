import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  type EscapingScheme,
  escapeHelp,
  escapeLabelValue,
  escapeName,
  formatFloat,
  formatInt,
  formatOpenMetricsFloat,
  isLegacyLabelName,
  isLegacyMetricName,
  quoteLabelName,
  quoteMetricName,
} from "./escape.ts";

const FIXTURES = new URL("../../../shared/fixtures/exposition/", import.meta.url);

describe("formatFloat (Go strconv.FormatFloat 'g', -1 as expfmt writes it)", () => {
  const cases: [number, string, string][] = [
    // value, Prometheus text, OpenMetrics
    [0, "0", "0.0"],
    [-0, "0", "0.0"],
    [1, "1", "1.0"],
    [-1, "-1", "-1.0"],
    [1e6, "1e+06", "1e+06"],
    [123456, "123456", "123456.0"],
    [-123456, "-123456", "-123456.0"],
    [1234567, "1.234567e+06", "1.234567e+06"],
    [100000, "100000", "100000.0"],
    [0.0001, "0.0001", "0.0001"],
    [0.00012345, "0.00012345", "0.00012345"],
    [0.00001, "1e-05", "1e-05"],
    [1.7976931348623157e308, "1.7976931348623157e+308", "1.7976931348623157e+308"],
    [5e-324, "5e-324", "5e-324"],
    [1e100, "1e+100", "1e+100"],
    [1e-100, "1e-100", "1e-100"],
    [1e21, "1e+21", "1e+21"],
    [0.1, "0.1", "0.1"],
    [0.30000000000000004, "0.30000000000000004", "0.30000000000000004"],
    [2478268416, "2.478268416e+09", "2.478268416e+09"],
    [1795313338.886, "1.795313338886e+09", "1.795313338886e+09"],
    [-2.5e-7, "-2.5e-07", "-2.5e-07"],
    [12.5, "12.5", "12.5"],
    [999999, "999999", "999999.0"],
    [2 ** 53 + 2, "9.007199254740994e+15", "9.007199254740994e+15"],
    [Number.NaN, "NaN", "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf", "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf", "-Inf"],
  ];
  for (const [value, text, om] of cases) {
    test(`${Object.is(value, -0) ? "-0" : value}`, () => {
      assert.equal(formatFloat(value), text);
      assert.equal(formatOpenMetricsFloat(value), om);
    });
  }

  test("round-trips every finite double exactly (random bit patterns)", () => {
    const view = new DataView(new ArrayBuffer(8));
    let seed = 0x2545f491;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    for (let i = 0; i < 20000; i++) {
      view.setUint32(0, next());
      view.setUint32(4, next());
      const f = view.getFloat64(0);
      if (!Number.isFinite(f) || f === 0) continue;
      assert.equal(Number(formatFloat(f)), f, `${f} → ${formatFloat(f)}`);
      assert.equal(Number(formatOpenMetricsFloat(f)), f);
    }
  });

  test("reproduces every value and le/quantile in Go-written fixtures byte for byte", () => {
    let checked = 0;
    for (const file of ["node_exporter-1.11.1.prom", "prometheus-3.5.3.prom", "alertmanager-0.33.1.prom"]) {
      for (const line of readFileSync(new URL(file, FIXTURES), "utf8").split("\n")) {
        if (line === "" || line.startsWith("#")) continue;
        const value = line.slice(line.lastIndexOf(" ") + 1);
        const parsed = value === "+Inf" ? Number.POSITIVE_INFINITY : Number(value);
        assert.equal(formatFloat(parsed), value, `${file}: ${line}`);
        for (const m of line.matchAll(/[{,](?:le|quantile)="([^"]*)"/g)) {
          const bound = m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]);
          assert.equal(formatFloat(bound), m[1], `${file}: ${line}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 1000, `only ${checked} sample lines checked`);
  });
});

test("formatInt writes integers as Go's FormatInt", () => {
  assert.equal(formatInt(1395066363000), "1395066363000");
  assert.equal(formatInt(-1), "-1");
  assert.equal(formatInt(-0), "0");
  assert.equal(formatInt(9007199254740992), "9007199254740992");
  assert.equal(formatInt(2 ** 64 - 2048), "18446744073709549568");
  assert.equal(formatInt(12.9), "12");
});

describe("string escaping", () => {
  const cases: [string, string, string, string][] = [
    // input, label value, HELP (text), HELP (OpenMetrics)
    ["plain text", "plain text", "plain text", "plain text"],
    ['say "hi"', 'say \\"hi\\"', 'say "hi"', 'say \\"hi\\"'],
    ["a\\b", "a\\\\b", "a\\\\b", "a\\\\b"],
    ["line1\nline2", "line1\\nline2", "line1\\nline2", "line1\\nline2"],
    ['\\n"\n', '\\\\n\\"\\n', '\\\\n"\\n', '\\\\n\\"\\n'],
    ["tab\tstays", "tab\tstays", "tab\tstays", "tab\tstays"],
    ["ünïcödé 😱", "ünïcödé 😱", "ünïcödé 😱", "ünïcödé 😱"],
  ];
  for (const [input, value, helpText, helpOM] of cases) {
    test(JSON.stringify(input), () => {
      assert.equal(escapeLabelValue(input), value);
      assert.equal(escapeHelp(input, "prometheus-text"), helpText);
      assert.equal(escapeHelp(input, "openmetrics"), helpOM);
    });
  }
});

describe("names", () => {
  const legacy: [string, boolean, boolean][] = [
    // name, legacy metric name, legacy label name
    ["http_requests_total", true, true],
    ["_x", true, true],
    ["job:rate5m", true, false],
    [":x", true, false],
    ["0abc", false, false],
    ["a0", true, true],
    ["my.metric", false, false],
    ["", false, false],
    ["名前", false, false],
  ];
  for (const [name, metric, label] of legacy) {
    test(`legacy check ${JSON.stringify(name)}`, () => {
      assert.equal(isLegacyMetricName(name), metric);
      assert.equal(isLegacyLabelName(name), label);
    });
  }

  test("quoting", () => {
    assert.equal(quoteMetricName("up"), "up");
    assert.equal(quoteMetricName("job:rate5m"), "job:rate5m");
    assert.equal(quoteMetricName("my.metric"), '"my.metric"');
    assert.equal(quoteMetricName('we"ird\\'), '"we\\"ird\\\\"');
    assert.equal(quoteLabelName("le"), "le");
    assert.equal(quoteLabelName("label.name"), '"label.name"');
    assert.equal(quoteLabelName("a:b"), '"a:b"');
  });

  // Cases from upstream's model TestEscapeName, plus label-name handling.
  const escapes: [string, Record<Exclude<EscapingScheme, "allow-utf-8">, string>][] = [
    [
      "no:escaping_required",
      { underscores: "no:escaping_required", dots: "no:escaping_required", values: "no:escaping_required" },
    ],
    [
      "mysystem.prod.west.cpu.load",
      {
        underscores: "mysystem_prod_west_cpu_load",
        dots: "mysystem_dot_prod_dot_west_dot_cpu_dot_load",
        values: "U__mysystem_2e_prod_2e_west_2e_cpu_2e_load",
      },
    ],
    [
      "mysystem.prod.west.cpu.load_total",
      {
        underscores: "mysystem_prod_west_cpu_load_total",
        dots: "mysystem_dot_prod_dot_west_dot_cpu_dot_load__total",
        values: "U__mysystem_2e_prod_2e_west_2e_cpu_2e_load__total",
      },
    ],
    [
      "http.status:sum",
      { underscores: "http_status:sum", dots: "http_dot_status:sum", values: "U__http_2e_status:sum" },
    ],
    [
      "label with 😱",
      { underscores: "label_with__", dots: "label__with____", values: "U__label_20_with_20__1f631_" },
    ],
    ["0leading", { underscores: "_leading", dots: "__leading", values: "U___30_leading" }],
    ["lone\ud800", { underscores: "lone_", dots: "lone__", values: "U__lone_fffd_" }],
  ];
  for (const [name, want] of escapes) {
    test(`escapeName ${JSON.stringify(name)}`, () => {
      assert.equal(escapeName(name, "allow-utf-8"), name);
      for (const scheme of ["underscores", "dots", "values"] as const) {
        assert.equal(escapeName(name, scheme), want[scheme], scheme);
      }
    });
  }

  test("escapeName for labels treats ':' as invalid", () => {
    assert.equal(escapeName("a:b", "underscores", true), "a_b");
    assert.equal(escapeName("a:b", "underscores"), "a:b");
    assert.equal(escapeName("le", "values", true), "le");
  });
});
