import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { safeLinkUrl } from "./display.ts";
import { formatUnit, toFixed } from "./units.ts";

describe("formatUnit", () => {
  const cases: [number | null, string, number | undefined, string][] = [
    [null, "bytes", undefined, "No data"],
    [0, "bytes", undefined, "0 B"],
    [1023, "bytes", undefined, "1023 B"],
    [1536, "bytes", undefined, "1.50 KiB"],
    [5 * 1024 ** 3, "bytes", 1, "5.0 GiB"],
    [1500, "decbytes", undefined, "1.50 kB"],
    [2048, "kbytes", 0, "2 MiB"],
    [1.25e6, "bps", undefined, "1.25 Mb/s"],
    [1.25e6, "Bps", undefined, "1.25 MB/s"],
    [3e9, "binBps", undefined, "2.79 GiB/s"],
    [42, "percent", undefined, "42%"],
    [0.4242, "percentunit", 1, "42.4%"],
    [0.5, "percentunit", undefined, "50%"],
    [0.0015, "s", undefined, "1.50 ms"],
    [0.0000015, "s", undefined, "1.50 µs"],
    [90, "s", undefined, "1.50 min"],
    [7200, "s", 0, "2 hour"],
    [250, "ms", undefined, "250 ms"],
    [1500, "ms", undefined, "1.50 s"],
    [5, "µs", undefined, "5 µs"],
    [1500, "short", undefined, "1.50 K"],
    [2.5e6, "short", undefined, "2.50 Mil"],
    [3e9, "short", 0, "3 Bil"],
    [12, "short", undefined, "12"],
    [1200, "ops", undefined, "1.20 K ops/s"],
    [3, "reqps", undefined, "3 req/s"],
    [93784, "dtdurations", undefined, "1 day, 2 hours"],
    [0.5, "none", 2, "0.50"],
    [7, "suffix: apples", undefined, "7 apples"],
    [7, "prefix:$", 0, "$7"],
    [1, "bool", undefined, "true"],
    [25, "celsius", 0, "25°C"],
    [5, "widgets", 0, "5 widgets"],
    [Number.POSITIVE_INFINITY, "short", undefined, "+Inf"],
  ];
  for (const [v, unit, dec, want] of cases) {
    it(`${v} ${unit} (${dec ?? "auto"}) → ${want}`, () => {
      assert.equal(formatUnit(v, unit, dec), want);
    });
  }
});

describe("toFixed", () => {
  const cases: [number, number | undefined, string][] = [
    [0.000123, undefined, "0.000123"],
    [123.456, undefined, "123"],
    [1.005, 1, "1.0"],
    [-12.34, undefined, "-12.3"],
  ];
  for (const [v, d, want] of cases) it(`${v} → ${want}`, () => assert.equal(toFixed(v, d), want));
});

describe("safeLinkUrl", () => {
  it("keeps http(s), mailto and relative links and blanks scripts hidden in imported dashboards", () => {
    for (const ok of [
      "https://grafana.com/x",
      "http://a/b?c=1",
      "mailto:ops@example.com",
      "/d/abc?var-x=1",
      "d/x",
    ])
      assert.equal(safeLinkUrl(ok), ok);
    for (const bad of [
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>",
      "vbscript:x",
    ])
      assert.equal(safeLinkUrl(bad), "about:blank");
  });
});
