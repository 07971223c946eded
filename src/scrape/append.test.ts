import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it, mock } from "node:test";
import { Registry } from "prom-client";
import { TextParser } from "../exposition/textparser.ts";
import { nopLogger } from "../log/log.ts";
import { Labels } from "../model/labels/labels.ts";
import { isStaleNaN } from "../model/value/value.ts";
import { type RelabelConfig, RelabelRegex } from "../relabel/relabel.ts";
import { type AppendOptions, type AppendResult, TargetAppender } from "./append.ts";
import { ScrapeCache } from "./cache.ts";
import { ScrapeMetrics } from "./metrics.ts";
import { FakeAppendable } from "./testing.ts";

const TEXT = "text/plain; version=0.0.4";
const OM = "application/openmetrics-text; version=1.0.0";
const FIXTURES = "/work/shared/fixtures/exposition";
const T0 = 1_700_000_000_000;
const enc = (s: string): Uint8Array => Buffer.from(s);

function setup(over: Partial<AppendOptions> = {}) {
  const registry = new Registry();
  const metrics = new ScrapeMetrics(registry, { metadataSizes: () => new Map() });
  const db = new FakeAppendable();
  const opts: AppendOptions = {
    targetLabels: Labels.fromStrings("instance", "h:1", "job", "j"),
    honorLabels: false,
    honorTimestamps: true,
    trackTimestampsStaleness: false,
    metricRelabelConfigs: [],
    sampleLimit: 0,
    labelLimits: { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 },
    validationScheme: "utf8",
    ...over,
  };
  const ta = new TargetAppender(new ScrapeCache(metrics), opts, metrics, nopLogger, () => T0);
  /** Appends one body and commits unless it failed (then rolls back, like the loop). */
  const scrape = async (body: string, t: number, ct = TEXT): Promise<AppendResult> => {
    const app = db.appender();
    const res = await ta.append(app, enc(body), ct, t);
    if (res.error === null) app.commit();
    else app.rollback();
    return res;
  };
  const empty = async (t: number): Promise<void> => {
    const app = db.appender();
    await ta.append(app, new Uint8Array(0), "", t);
    app.commit();
  };
  const counter = async (name: string): Promise<number> => {
    const m = await registry.getSingleMetric(name)?.get();
    return m?.values[0]?.value ?? 0;
  };
  return { db, ta, scrape, empty, metrics, counter };
}

const S = (lset: string) => `{${lset}, instance="h:1", job="j"}`;

describe("TargetAppender: the scrape cache", () => {
  it("parses the labels of a series line only the first time it is seen", async () => {
    const { scrape, db } = setup();
    const labels = mock.method(TextParser.prototype, "labels");
    try {
      const body = 'a{x="1"} 1\na{x="2"} 2\nb 3\n';
      await scrape(body, T0);
      assert.equal(labels.mock.callCount(), 3);
      await scrape(body.replace("1\n", "10\n"), T0 + 1000);
      assert.equal(labels.mock.callCount(), 3, "unchanged lines: no label parse");
      await scrape(`${body}c 4\n`, T0 + 2000);
      assert.equal(labels.mock.callCount(), 4, "only the new line is parsed");
    } finally {
      labels.mock.restore();
    }
    assert.deepEqual(db.samples(`{__name__="a", instance="h:1", job="j", x="1"}`), [
      { t: T0, v: 1 },
      { t: T0 + 1000, v: 10 },
      { t: T0 + 2000, v: 1 },
    ]);
    assert.ok(db.refHits >= 6, "cached refs are passed to storage");
  });

  it("finds series when their order changes and after forgotten keys are compacted away", async () => {
    const { scrape, db } = setup();
    const lines = (from: number, n: number) =>
      Array.from(
        { length: n },
        (_, i) => `series_with_a_long_name{idx="${from + i}",pad="${"p".repeat(20)}"} ${from + i}\n`,
      );
    const first = lines(0, 2000);
    await scrape(first.join(""), T0);
    // Reversed order: the position guess misses for every line, the hash lookup must find them.
    await scrape([...first].reverse().join(""), T0 + 1000);
    // Entirely new series: the first 2000 keys are forgotten (well over half the arena), then compacted.
    await scrape(lines(5000, 2000).join(""), T0 + 2000);
    // Old and new series again, interleaved: hits must resolve to the right series after compaction.
    const mixed = lines(5000, 2000).flatMap((l, i) => [l, first[i]!]);
    const labels = mock.method(TextParser.prototype, "labels");
    try {
      await scrape(mixed.join(""), T0 + 3000);
      await scrape(mixed.join(""), T0 + 4000);
      assert.equal(
        labels.mock.callCount(),
        2000,
        "the forgotten series are parsed once, the kept ones never",
      );
    } finally {
      labels.mock.restore();
    }
    const S = (i: number) =>
      `{__name__="series_with_a_long_name", idx="${i}", instance="h:1", job="j", pad="${"p".repeat(20)}"}`;
    // T0+2000 is the staleness marker of the scrape that lacked it.
    assert.deepEqual(
      db.samples(S(7)).map((s) => [s.t, isStaleNaN(s.v) ? "stale" : s.v]),
      [
        [T0, 7],
        [T0 + 1000, 7],
        [T0 + 2000, "stale"],
        [T0 + 3000, 7],
        [T0 + 4000, 7],
      ],
    );
    assert.deepEqual(
      db.samples(S(5007)).map((s) => [s.t, s.v]),
      [
        [T0 + 2000, 5007],
        [T0 + 3000, 5007],
        [T0 + 4000, 5007],
      ],
    );
  });

  it("caches series dropped by metric relabeling as dropped", async () => {
    const drop: RelabelConfig = {
      source_labels: ["__name__"],
      separator: ";",
      regex: new RelabelRegex("go_.*"),
      modulus: 0,
      target_label: "",
      replacement: "$1",
      action: "drop",
    };
    const { scrape, db } = setup({ metricRelabelConfigs: [drop] });
    const labels = mock.method(TextParser.prototype, "labels");
    try {
      const r1 = await scrape("go_x 1\nkeep 2\n", T0);
      const r2 = await scrape("go_x 1\nkeep 2\n", T0 + 1000);
      assert.equal(labels.mock.callCount(), 2);
      assert.deepEqual([r1.total, r1.added, r2.total, r2.added], [2, 1, 2, 1]);
    } finally {
      labels.mock.restore();
    }
    assert.deepEqual(db.seriesNames(), [S('__name__="keep"')]);
  });
});

describe("TargetAppender: staleness", () => {
  it("marks series that vanished since the last scrape stale", async () => {
    const { scrape, db } = setup();
    await scrape("a 1\nb 2\n", T0);
    await scrape("a 1\n", T0 + 1000);
    const b = db.samples(S('__name__="b"'));
    assert.equal(b.length, 2);
    assert.equal(b[1].t, T0 + 1000);
    assert.ok(isStaleNaN(b[1].v));
    assert.ok(!db.isStale(S('__name__="a"')));
  });

  it("marks every series stale after an empty or failed scrape", async () => {
    const { scrape, empty, db } = setup();
    await scrape("a 1\nb 2\n", T0);
    const bad = await scrape("a 1\nb 2 3 4 5\n", T0 + 1000);
    assert.notEqual(bad.error, null);
    await empty(T0 + 1000); // what the loop does after a failed body
    assert.ok(db.isStale(S('__name__="a"')));
    assert.ok(db.isStale(S('__name__="b"')));
    await scrape("a 5\n", T0 + 2000);
    assert.equal(db.last(S('__name__="a"')), 5, "series come back");
  });

  it("does not track series with explicit timestamps unless track_timestamps_staleness", async () => {
    for (const track of [false, true]) {
      const { scrape, db } = setup({ trackTimestampsStaleness: track });
      await scrape(`a 1 ${T0 - 500}\n`, T0);
      await scrape("", T0 + 1000);
      assert.equal(db.isStale(S('__name__="a"')), track);
    }
  });
});

describe("TargetAppender: timestamps and storage errors", () => {
  it("honors exposed timestamps only with honor_timestamps", async () => {
    for (const honor of [true, false]) {
      const { scrape, db } = setup({ honorTimestamps: honor });
      await scrape(`a 1 ${T0 - 5000}\n`, T0);
      assert.equal(db.samples(S('__name__="a"'))[0].t, honor ? T0 - 5000 : T0);
    }
  });

  it("counts out-of-order, duplicate and out-of-bounds samples without failing", async () => {
    const { scrape, db, counter } = setup();
    await scrape(`a 1 ${T0}\n`, T0);
    const res = await scrape(`a 2 ${T0 - 1000}\nb 1\nb 2\nc 1 ${T0 + 11 * 60_000}\n`, T0 + 1000);
    assert.equal(res.error, null);
    assert.equal(res.total, 4);
    assert.equal(res.added, 4);
    assert.equal(await counter("prometheus_target_scrapes_sample_out_of_order_total"), 1);
    assert.equal(await counter("prometheus_target_scrapes_sample_duplicate_timestamp_total"), 1);
    assert.equal(await counter("prometheus_target_scrapes_sample_out_of_bounds_total"), 1);
    assert.deepEqual(db.samples(S('__name__="b"')), [{ t: T0 + 1000, v: 1 }]);
  });
});

describe("TargetAppender: limits", () => {
  const cases: { name: string; opts: Partial<AppendOptions>; body: string; err: string; metric?: string }[] =
    [
      {
        name: "sample_limit",
        opts: { sampleLimit: 2 },
        body: "a 1\nb 1\nc 1\n",
        err: "sample limit exceeded",
        metric: "prometheus_target_scrapes_exceeded_sample_limit_total",
      },
      {
        name: "label_limit",
        opts: { labelLimits: { labelLimit: 3, labelNameLengthLimit: 0, labelValueLengthLimit: 0 } },
        body: 'metric{a="1",b="2"} 1\n',
        err: "label_limit exceeded (metric: metric, number of labels: 5, limit: 3)",
        metric: "prometheus_target_scrape_pool_exceeded_label_limits_total",
      },
      {
        name: "label_name_length_limit",
        opts: { labelLimits: { labelLimit: 0, labelNameLengthLimit: 8, labelValueLengthLimit: 0 } },
        body: 'metric{abcdefghi="1"} 1\n',
        err: "label_name_length_limit exceeded (metric: metric, label name: abcdefghi, length: 9, limit: 8)",
      },
      {
        name: "label_value_length_limit",
        opts: { labelLimits: { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 6 } },
        body: 'metric{a="abcdefg"} 1\n',
        err: 'label_value_length_limit exceeded (metric: metric, label name: a, value: "abcdefg", length: 7, limit: 6)',
      },
    ];
  for (const c of cases) {
    it(c.name, async () => {
      const { scrape, db, counter } = setup(c.opts);
      const res = await scrape(c.body, T0);
      assert.equal(res.error?.message, c.err);
      assert.deepEqual(db.seriesNames(), [], "nothing stored");
      if (c.metric !== undefined) assert.equal(await counter(c.metric), 1);
    });
  }

  it("keeps counting scraped samples past the sample limit", async () => {
    const { scrape } = setup({ sampleLimit: 1 });
    const res = await scrape("a 1\nb 1\nc 1\n", T0);
    assert.equal(res.total, 3);
    assert.equal(res.seriesAdded, 1);
  });
});

describe("TargetAppender: bad bodies", () => {
  const cases: { name: string; body: string; ct: string; err: string | RegExp }[] = [
    {
      name: "parse error, upstream's text without position",
      body: "a 1\nb\n",
      ct: TEXT,
      err: /^expected value after metric, got /,
    },
    {
      name: "missing Content-Type",
      body: "a 1\n",
      ct: "",
      err: "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target",
    },
    {
      name: "unsupported Content-Type",
      body: "a 1\n",
      ct: "application/json",
      err: 'received unsupported Content-Type "application/json" and no fallback_scrape_protocol specified for target',
    },
    {
      name: "invalid legacy name",
      body: '{"a.b"} 1\n',
      ct: TEXT,
      err: /^invalid metric name or label names: /,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { scrape } = setup({ validationScheme: "legacy" });
      assert.match(
        (await scrape(c.body, T0, c.ct)).error?.message ?? "",
        typeof c.err === "string" ? new RegExp(`^${escapeRe(c.err)}$`) : c.err,
      );
    });
  }

  it("uses scrape_fallback_protocol for a missing Content-Type", async () => {
    const { scrape, db } = setup({ fallbackFormat: "prometheus-text" });
    assert.equal((await scrape("a 1\n", T0, "")).error, null);
    assert.equal(db.last(S('__name__="a"')), 1);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("TargetAppender: target labels", () => {
  const cases: { name: string; honor: boolean; body: string; want: string }[] = [
    {
      name: "conflicting exposed label kept as exported_",
      honor: false,
      body: 'a{job="other",instance="i"} 1\n',
      want: '{__name__="a", exported_instance="i", exported_job="other", instance="h:1", job="j"}',
    },
    {
      name: "exported_ prefix repeated until free",
      honor: false,
      body: 'a{job="other",exported_job="x"} 1\n',
      want: '{__name__="a", exported_exported_job="other", exported_job="x", instance="h:1", job="j"}',
    },
    {
      name: "honor_labels keeps exposed values",
      honor: true,
      body: 'a{job="other"} 1\n',
      want: '{__name__="a", instance="h:1", job="other"}',
    },
    {
      // A Pushgateway group pushed without an instance: upstream stores no instance.
      name: "honor_labels keeps an exposed empty value as absent",
      honor: true,
      body: 'a{instance="",job="other"} 1\n',
      want: '{__name__="a", job="other"}',
    },
    {
      name: "without honor_labels an exposed empty value is no conflict",
      honor: false,
      body: 'a{instance=""} 1\n',
      want: '{__name__="a", instance="h:1", job="j"}',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { scrape, db } = setup({ honorLabels: c.honor });
      await scrape(c.body, T0);
      assert.deepEqual(db.seriesNames(), [c.want]);
    });
  }
});

describe("TargetAppender: report series and metadata", () => {
  it("appends up, scrape_duration_seconds, samples and series counts", async () => {
    const { ta, db } = setup();
    const run = async (body: string, t: number, failed = false): Promise<void> => {
      const app = db.appender();
      const res = await ta.append(app, enc(body), TEXT, t);
      ta.report(app, t, 0.5, res, failed);
      app.commit();
    };
    await run("a 1\nb 2\nb 3\n", T0);
    await run("a 1\nb 2\nc 3\n", T0 + 1000);
    await run("", T0 + 2000, true);
    const v = (name: string) => db.samples(`{__name__="${name}", instance="h:1", job="j"}`).map((s) => s.v);
    assert.deepEqual(v("up"), [1, 1, 0]);
    assert.deepEqual(v("scrape_duration_seconds"), [0.5, 0.5, 0.5]);
    assert.deepEqual(v("scrape_samples_scraped"), [3, 3, 0]);
    assert.deepEqual(v("scrape_samples_post_metric_relabeling"), [3, 3, 0]);
    assert.deepEqual(v("scrape_series_added"), [2, 1, 0]);
    const app = db.appender();
    ta.reportStale(app, T0 + 5000);
    app.commit();
    assert.ok(db.isStale('{__name__="up", instance="h:1", job="j"}'));
  });

  it("keeps TYPE, HELP and UNIT per metric family", async () => {
    const { scrape, ta } = setup();
    const body =
      "# TYPE foo_seconds counter\n# HELP foo_seconds Time spent.\n# UNIT foo_seconds seconds\nfoo_seconds_total 1\n# EOF\n";
    assert.equal((await scrape(body, T0, OM)).error, null);
    assert.deepEqual(ta.cache.metadata.getMetadata("foo_seconds"), {
      metric: "foo_seconds",
      type: "counter",
      help: "Time spent.",
      unit: "seconds",
    });
    assert.equal(ta.cache.metadata.metadataLength(), 1);
  });

  for (const [file, ct, series, families] of [
    ["node_exporter-1.11.1.prom", TEXT, 523, 290],
    ["prometheus-3.5.3.prom", TEXT, 0, 0],
    ["prom-client-15.1.3.openmetrics.txt", OM, 0, 0],
  ] as const) {
    it(`ingests the ${file} fixture`, async () => {
      const { ta, db } = setup();
      const body = readFileSync(`${FIXTURES}/${file}`);
      const app = db.appender();
      const res = await ta.append(app, body, ct, T0);
      app.commit();
      assert.equal(res.error, null);
      assert.ok(res.total > 0);
      assert.equal(res.seriesAdded, res.total);
      assert.equal(db.seriesNames().length, res.total);
      if (series > 0) assert.equal(res.total, series);
      if (families > 0) assert.equal(ta.cache.metadata.metadataLength(), families);
    });
  }

  it("yields to the event loop while appending a big body", async () => {
    const { ta, db } = setup();
    const body = readFileSync(`${FIXTURES}/kubelet-cadvisor/kubelet-metrics-cadvisor.k8s-1.35.prom`);
    const order: string[] = [];
    setImmediate(() => order.push("other work"));
    const app = db.appender();
    const res = await ta.append(app, body, TEXT, T0);
    order.push("append done");
    app.commit();
    assert.equal(res.error, null);
    assert.ok(res.total > 4000);
    assert.deepEqual(order, ["other work", "append done"]);
  });
});
