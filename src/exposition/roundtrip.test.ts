import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCorpus } from "../../conformance/exposition/corpus.ts";
import { parseFamilies } from "./families.ts";
import { comparable, textFixtures } from "./testing/fixtures.ts";
import type { Format } from "./types.ts";
import { writeFamilies } from "./writer.ts";

/** parse → write → parse must give the same families. */
function assertRoundTrip(body: Uint8Array, format: Format): number {
  const first = parseFamilies(body, format);
  const written = writeFamilies(first, format);
  const second = parseFamilies(Buffer.from(written), format);
  assert.deepEqual(comparable(second), comparable(first));
  return first.reduce((n, f) => n + f.samples.length, 0);
}

describe("fixtures", () => {
  const fixtures = textFixtures();
  it("finds the real exporter outputs", () => {
    assert.ok(fixtures.length >= 19, `only ${fixtures.length} fixtures found`);
  });
  for (const f of fixtures) {
    it(`${f.name} parses and round-trips`, () => {
      const samples = assertRoundTrip(f.body, f.format);
      assert.ok(samples > 0, "no samples parsed");
    });
  }
});

describe("conformance inputs accepted by the scraper round-trip", () => {
  for (const c of loadCorpus()) {
    if (c.prometheus !== "accept" || c.body.length === 0) continue;
    it(c.name, () => {
      assert.equal(assertRoundTrip(c.body, c.format), c.samples);
    });
  }
});

describe("families", () => {
  it("keeps HELP, TYPE, UNIT, timestamps and exemplars through OpenMetrics", () => {
    const body = Buffer.from(
      [
        "# TYPE req counter",
        "# UNIT req_seconds seconds",
        '# HELP req Requests with a \\"quote\\" and \\\\ backslash.',
        'req_total{code="200"} 7 1795313338.886 # {trace_id="abc"} 1.5 1795313338.001',
        "req_created 1795313000.5",
        "# EOF",
        "",
      ].join("\n"),
    );
    const fams = parseFamilies(body, "openmetrics");
    assert.equal(fams[0].help, 'Requests with a "quote" and \\ backslash.');
    assert.equal(fams[0].samples[0].timestampMs, 1795313338886);
    assert.equal(fams[0].samples[0].exemplar?.timestampMs, 1795313338001);
    assertRoundTrip(body, "openmetrics");
  });

  it("stores le and quantile in OpenMetrics float form in scrape mode, as Prometheus 3 does", () => {
    const body = Buffer.from(
      '# TYPE h histogram\nh_bucket{le="1"} 0\nh_bucket{le="+INF"} 1\n# TYPE s summary\ns{quantile="0"} 1\n# TYPE g gauge\ng{le="1"} 1\n',
    );
    const labels = (mode: "scrape" | "strict") =>
      parseFamilies(body, "prometheus-text", { mode }).flatMap((f) =>
        f.samples.map((x) => x.labels.toString()),
      );
    assert.deepEqual(labels("scrape"), ['{le="1.0"}', '{le="+Inf"}', '{quantile="0.0"}', '{le="1"}']);
    // Strict mode keeps the spelling as written, so the validators can judge it.
    assert.deepEqual(labels("strict").slice(0, 2), ['{le="1"}', '{le="+INF"}']);
  });
});
