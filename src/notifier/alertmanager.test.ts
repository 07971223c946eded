import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeWith } from "../config/testing.ts";
import type { TargetGroup } from "../discovery/discovery.ts";
import { Labels } from "../model/labels/labels.ts";
import { relabelConfigsSchema } from "../relabel/relabel.ts";
import { alertmanagersFromGroup, type EndpointConfig, endpointURL, postPath } from "./alertmanager.ts";

const relabel = (yaml: string) => decodeWith(relabelConfigsSchema("empty"), yaml);

function cfg(over: Partial<EndpointConfig> = {}): EndpointConfig {
  return { scheme: "http", path_prefix: "", api_version: "v2", relabel_configs: [], ...over };
}

describe("postPath", () => {
  const table: Array<[string, string]> = [
    ["", "/api/v2/alerts"],
    ["/", "/api/v2/alerts"],
    ["prefix", "/prefix/api/v2/alerts"],
    ["/prefix/", "/prefix/api/v2/alerts"],
    ["/a//b/", "/a/b/api/v2/alerts"],
    ["/a/../b", "/b/api/v2/alerts"],
  ];
  for (const [prefix, want] of table)
    it(JSON.stringify(prefix), () => assert.equal(postPath(prefix, "v2"), want));
});

describe("endpointURL", () => {
  const table: Array<[string[], string]> = [
    [
      ["__scheme__", "http", "__address__", "h:9093", "__alerts_path__", "/api/v2/alerts"],
      "http://h:9093/api/v2/alerts",
    ],
    [["__scheme__", "https", "__address__", "h", "__alerts_path__", "/p q/api"], "https://h/p%20q/api"],
    [["__address__", "h:1", "__alerts_path__", "/x"], "//h:1/x"],
    [["__scheme__", "http", "__address__", "h:1", "__alerts_path__", "x"], "http://h:1/x"],
  ];
  for (const [flat, want] of table)
    it(want, () => assert.equal(endpointURL(Labels.fromStrings(...flat)), want));
});

describe("alertmanagersFromGroup", () => {
  const group: TargetGroup = {
    source: "0",
    labels: { zone: "z1", __scheme__: "https" },
    targets: [
      { __address__: "a:9093" },
      { __address__: "nohost", zone: "own" },
      { __address__: "dropme:9093" },
    ],
  };

  it("adds scheme and path, takes group labels the target lacks, no default port", () => {
    const got = alertmanagersFromGroup(group, cfg({ path_prefix: "/prefix/" }));
    assert.deepEqual(
      got.active.map((l) => endpointURL(l)),
      [
        "https://a:9093/prefix/api/v2/alerts",
        "https://nohost/prefix/api/v2/alerts",
        "https://dropme:9093/prefix/api/v2/alerts",
      ],
    );
    assert.equal(got.active[0].get("zone"), "z1");
    assert.equal(got.active[1].get("zone"), "own");
    assert.deepEqual(got.dropped, []);
  });

  it("keeps dropped targets with their labels before relabeling", () => {
    const rc = relabel("- source_labels: [__address__]\n  regex: dropme.*\n  action: drop\n");
    const got = alertmanagersFromGroup({ ...group, labels: {} }, cfg({ relabel_configs: rc }));
    assert.equal(got.active.length, 2);
    assert.equal(got.dropped.length, 1);
    assert.equal(
      got.dropped[0].toString(),
      '{__address__="dropme:9093", __alerts_path__="/api/v2/alerts", __scheme__="http"}',
    );
  });

  it("relabeling may rewrite scheme, address and path", () => {
    const rc = relabel(
      [
        "- target_label: __scheme__",
        "  replacement: https",
        "- source_labels: [__address__]",
        "  regex: (.*):9093",
        "  target_label: __address__",
        "  replacement: $1:443",
        "- target_label: __alerts_path__",
        "  replacement: /custom/api/v2/alerts",
      ].join("\n"),
    );
    const got = alertmanagersFromGroup(
      { source: "0", labels: {}, targets: [{ __address__: "a:9093" }] },
      cfg({ relabel_configs: rc }),
    );
    assert.deepEqual(
      got.active.map((l) => endpointURL(l)),
      ["https://a:443/custom/api/v2/alerts"],
    );
  });

  it("refuses an address holding a slash, as upstream's CheckTargetAddress", () => {
    const bad: TargetGroup = { source: "0", labels: {}, targets: [{ __address__: "http://a:9093" }] };
    assert.throws(() => alertmanagersFromGroup(bad, cfg()), {
      message: '"http://a:9093" is not a valid hostname',
    });
  });
});
