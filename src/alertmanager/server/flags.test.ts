import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { externalURL } from "./alertmanager.ts";
import { alertmanagerOptions, flagValues, ignoredClusterFlags } from "./flags.ts";
import { configHashValue } from "./metrics.ts";
import { normalizeRoutePrefix } from "./web.ts";

const opts = (...args: string[]) => alertmanagerOptions(flagValues(args));

describe("alertmanager flags", () => {
  it("has upstream's defaults", () => {
    const o = opts();
    assert.equal(o.configFile, "alertmanager.yml");
    assert.equal(o.storagePath, "data/");
    assert.equal(o.retentionMs, 120 * 3_600_000);
    assert.equal(o.maintenanceIntervalMs, 15 * 60_000);
    assert.equal(o.alertGCIntervalMs, 30 * 60_000);
    assert.equal(o.dispatchMaintenanceIntervalMs, 30_000);
    assert.equal(o.listenAddress, ":9093");
    assert.equal(o.clusterListenAddress, "0.0.0.0:9094");
    assert.equal(o.webTimeoutMs, 0);
    assert.equal(o.getConcurrency, 0);
    assert.equal(o.matcherMode, "fallback");
  });

  const cases: [string[], Partial<ReturnType<typeof opts>>][] = [
    [["--data.retention=1h30m"], { retentionMs: 5_400_000 }],
    [["--web.timeout=1.5s"], { webTimeoutMs: 1500 }],
    [["--web.get-concurrency=3"], { getConcurrency: 3 }],
    [["--enable-feature=utf8-strict-mode"], { matcherMode: "utf8-strict", features: ["utf8-strict-mode"] }],
    [["--enable-feature=classic-mode, receiver-name-in-metrics"], { matcherMode: "classic" }],
    [["--cluster.listen-address="], { clusterListenAddress: "" }],
  ];
  for (const [args, want] of cases) {
    it(args.join(" "), () => {
      const o = opts(...args) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(o[k], v, k);
    });
  }

  it("refuses malformed values with Go's reason", () => {
    assert.throws(
      () => opts("--data.retention=1y"),
      /invalid value "1y" for flag --data.retention: time: unknown unit "y"/,
    );
    assert.throws(() => opts("--web.get-concurrency=x"), /invalid value "x" for flag --web.get-concurrency/);
  });

  it("lists the ignored cluster flags given", () => {
    assert.deepEqual(
      ignoredClusterFlags(["--cluster.peer=a", "--cluster.peer=b", "--cluster.label=x", "--log.level=debug"]),
      ["cluster.peer", "cluster.label"],
    );
  });
});

describe("externalURL (upstream's extURL)", () => {
  const cases: [string, string, string][] = [
    [":9093", "", "http://host1:9093"],
    ["127.0.0.1:0", "", "http://host1:0"],
    [":9093", "http://am.example/", "http://am.example"],
    [":9093", "https://am.example:8443/prefix/", "https://am.example:8443/prefix"],
  ];
  for (const [listen, ext, want] of cases) {
    it(`${listen} ${JSON.stringify(ext)} → ${want}`, () =>
      assert.equal(externalURL(listen, ext, "host1"), want));
  }
  it("refuses other schemes", () => {
    assert.throws(
      () => externalURL(":9093", "ftp://x/", "h"),
      /invalid "ftp" scheme, only 'http' and 'https' are supported/,
    );
  });
});

describe("route prefix and config hash", () => {
  for (const [given, want] of [
    ["", "/"],
    ["/", "/"],
    ["am", "/am"],
    ["/am/", "/am"],
    ["/a/b//", "/a/b"],
  ] as const) {
    it(`prefix ${JSON.stringify(given)} → ${want}`, () => assert.equal(normalizeRoutePrefix(given), want));
  }
  it("hashes as upstream's md5HashAsMetricValue", () => {
    // The reference Alertmanager 0.33.1 exported 1.69305133433276e+14 for ha-example.yml.
    const text = `route:
  group_by: ['alertname']
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
  receiver: 'web.hook'
receivers:
  - name: 'web.hook'
    webhook_configs:
      - url: 'http://127.0.0.1:5001/'
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    # Apply inhibition if the alertname is the same.
    # CAUTION:
    #   If all label names listed in \`equal\` are missing
    #   from both the source and target alerts,
    #   the inhibition rule will apply!
    equal: [alertname, dev, instance]
`;
    assert.equal(configHashValue(text), 169305133433276);
    assert.ok(configHashValue("x") < 2 ** 48);
  });
});
