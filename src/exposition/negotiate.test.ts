import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  ContentTypeError,
  formatFromContentType,
  negotiate,
  PROMETHEUS_SCRAPE_ACCEPT,
  parseContentType,
} from "./negotiate.ts";

const SHARED = new URL("../../../shared/fixtures/", import.meta.url);

interface Capture {
  readonly file: string;
  readonly target: string;
  readonly request_headers: Readonly<Record<string, string>>;
  readonly response_headers: Readonly<Record<string, string>>;
}

const captures = (
  JSON.parse(readFileSync(new URL("exposition/captures.json", SHARED), "utf8")) as Capture[]
).filter((c) => c.target === "/metrics");

/** Servers that negotiate with expfmt (client_golang's promhttp, OpenMetrics not enabled). */
const GO_EXPFMT = /^(alertmanager|node_exporter|prometheus|pushgateway)-/;
const TEXT_UNDERSCORES = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores";

test("PROMETHEUS_SCRAPE_ACCEPT is the header Prometheus 3.5.3 sends", () => {
  const request = readFileSync(new URL("api/prometheus/sent/scrape-request.txt", SHARED), "utf8");
  const accept = /^Accept: (.*)$/m.exec(request)?.[1]?.trimEnd();
  assert.equal(PROMETHEUS_SCRAPE_ACCEPT, accept);
});

describe("negotiate matches the captured responses", () => {
  assert.ok(captures.length >= 10, "captures.json has the /metrics entries");
  for (const c of captures) {
    const accept = c.request_headers.Accept;
    const captured = c.response_headers["Content-Type"];
    if (GO_EXPFMT.test(c.file)) {
      test(`${c.file} (expfmt, exact Content-Type)`, () => {
        const got = negotiate(accept);
        if (captured.startsWith("application/vnd.google.protobuf")) {
          // Upstream answered protobuf, which we do not offer: the text format
          // with the same escaping parameter.
          assert.match(captured, /; escaping=underscores$/);
          assert.deepEqual(got, {
            format: "prometheus-text",
            contentType: TEXT_UNDERSCORES,
            escaping: "underscores",
          });
        } else {
          assert.equal(got.contentType, captured);
          assert.equal(got.format, formatFromContentType(captured));
        }
      });
    } else {
      test(`${c.file} (other client, same format)`, () => {
        assert.equal(negotiate(accept, { openMetrics: true }).format, formatFromContentType(captured));
      });
    }
  }
});

describe("negotiate", () => {
  const OM1 = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  const OM0 = "application/openmetrics-text; version=0.0.1; charset=utf-8";
  const TEXT = "text/plain; version=0.0.4; charset=utf-8";
  const cases: [string, string | undefined, boolean, string][] = [
    // name, Accept, OpenMetrics offered, Content-Type
    ["no Accept header", undefined, true, `${TEXT}; escaping=underscores`],
    ["empty Accept header", "", true, `${TEXT}; escaping=underscores`],
    ["wildcard", "*/*", true, `${TEXT}; escaping=underscores`],
    [
      "Prometheus scrape, OpenMetrics offered",
      PROMETHEUS_SCRAPE_ACCEPT,
      true,
      `${OM1}; escaping=allow-utf-8`,
    ],
    ["Prometheus scrape, text only", PROMETHEUS_SCRAPE_ACCEPT, false, `${TEXT}; escaping=allow-utf-8`],
    ["OpenMetrics 1.0.0", "application/openmetrics-text;version=1.0.0", true, `${OM1}; escaping=underscores`],
    [
      "OpenMetrics 1.0.0 not offered",
      "application/openmetrics-text;version=1.0.0",
      false,
      `${TEXT}; escaping=underscores`,
    ],
    [
      "OpenMetrics without version is 0.0.1",
      "application/openmetrics-text",
      true,
      `${OM0}; escaping=underscores`,
    ],
    [
      "OpenMetrics 2.0.0 is not offered",
      "application/openmetrics-text;version=2.0.0",
      true,
      `${TEXT}; escaping=underscores`,
    ],
    [
      "text 1.0.0 does not match",
      "text/plain;version=1.0.0;escaping=allow-utf-8",
      true,
      `${TEXT}; escaping=allow-utf-8`,
    ],
    [
      "higher q wins over header order",
      "text/plain;q=0.5,application/openmetrics-text;version=1.0.0",
      true,
      `${OM1}; escaping=underscores`,
    ],
    [
      "lower q for OpenMetrics",
      "application/openmetrics-text;version=1.0.0;q=0.1,text/plain;q=0.9",
      true,
      `${TEXT}; escaping=underscores`,
    ],
    ["escaping=dots", "text/plain;version=0.0.4;escaping=dots", false, `${TEXT}; escaping=dots`],
    ["escaping=values", "text/plain;escaping=values", false, `${TEXT}; escaping=values`],
    ["unknown escaping is ignored", "text/plain;escaping=bogus", false, `${TEXT}; escaping=underscores`],
    [
      "escaping from a clause visited before the match",
      "application/json;escaping=values,text/plain;q=0.5",
      false,
      `${TEXT}; escaping=values`,
    ],
    [
      "concrete types sort before wildcards at equal q",
      "*/*;escaping=dots,application/openmetrics-text;version=1.0.0",
      true,
      `${OM1}; escaping=underscores`,
    ],
    [
      "protobuf is skipped",
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,application/openmetrics-text;version=0.0.1;q=0.3",
      true,
      `${OM0}; escaping=underscores`,
    ],
    [
      "unparsable q counts as 0",
      "application/openmetrics-text;q=x,text/plain;q=0.1",
      true,
      `${TEXT}; escaping=underscores`,
    ],
    [
      "spaces around clauses and params",
      " text/plain ; version = 0.0.4 ; escaping = allow-utf-8 ",
      false,
      `${TEXT}; escaping=allow-utf-8`,
    ],
  ];
  for (const [name, accept, openMetrics, contentType] of cases) {
    test(name, () => {
      const got = negotiate(accept, { openMetrics });
      assert.equal(got.contentType, contentType);
      assert.equal(got.format, contentType.startsWith("text/plain") ? "prometheus-text" : "openmetrics");
      assert.equal(got.escaping, /escaping=(.*)$/.exec(contentType)?.[1]);
    });
  }
});

describe("parseContentType", () => {
  const ok: [string, "prometheus-text" | "openmetrics"][] = [
    ["text/plain; version=0.0.4; charset=utf-8; escaping=underscores", "prometheus-text"],
    ["text/plain; charset=utf-8", "prometheus-text"],
    ["text/plain;version=0.0.4", "prometheus-text"],
    ["TEXT/Plain", "prometheus-text"],
    ["text/plain;", "prometheus-text"],
    ['text/plain; charset="utf-8"', "prometheus-text"],
    ["application/openmetrics-text; version=1.0.0; charset=utf-8", "openmetrics"],
    ["application/openmetrics-text; version=0.0.1; charset=utf-8", "openmetrics"],
  ];
  for (const [ct, format] of ok) {
    test(`${ct} → ${format}`, () => {
      assert.deepEqual(parseContentType(ct), { format });
      assert.deepEqual(parseContentType(ct, "openmetrics"), { format });
    });
  }

  const bad: [string | undefined, RegExp][] = [
    [undefined, /^non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol/],
    ["", /^non-compliant scrape target sending blank Content-Type/],
    [
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
      /^received unsupported Content-Type "application\/vnd\.google\.protobuf; proto=/,
    ],
    ["text/html", /^received unsupported Content-Type "text\/html"/],
    ["constructor", /^received unsupported Content-Type "constructor"/],
    ["text/plain; charset", /^cannot parse Content-Type "text\/plain; charset"/],
    ["text/plain; version=1; version=2", /^cannot parse Content-Type/],
    ["text /plain", /^cannot parse Content-Type/],
    ["/plain", /^cannot parse Content-Type/],
  ];
  for (const [ct, message] of bad) {
    test(`${JSON.stringify(ct)} needs a fallback`, () => {
      assert.throws(
        () => formatFromContentType(ct),
        (err: unknown) =>
          err instanceof ContentTypeError && message.test(err.message) && err.contentType === (ct ?? ""),
      );
      const withFallback = parseContentType(ct, "prometheus-text");
      assert.equal(withFallback.format, "prometheus-text");
      assert.match(withFallback.warning ?? "", /using fallback_scrape_protocol "text\/plain"$/);
      assert.equal(formatFromContentType(ct, "openmetrics"), "openmetrics");
    });
  }
});
