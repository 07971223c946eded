import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeWith } from "../config/testing.ts";
import { Labels } from "../model/labels/labels.ts";
import { relabelConfigsSchema } from "../relabel/relabel.ts";
import { type Alert, relabelAlerts } from "./alert.ts";

const configs = (yaml: string) => decodeWith(relabelConfigsSchema("empty"), yaml);

function alert(...flat: string[]): Alert {
  return {
    labels: Labels.fromStrings(...flat),
    annotations: Labels.fromStrings("summary", "s"),
    startsAt: new Date(1000),
    endsAt: null,
    generatorURL: "g",
  };
}

describe("relabelAlerts", () => {
  const table: Array<{ name: string; relabel: string; external: Labels; input: Alert[]; want: string[] }> = [
    {
      name: "external labels fill in, the alert's own labels win",
      relabel: "[]",
      external: Labels.fromStrings("cluster", "c1", "severity", "ext"),
      input: [alert("alertname", "A", "severity", "page"), alert("alertname", "B")],
      want: [
        '{alertname="A", cluster="c1", severity="page"}',
        '{alertname="B", cluster="c1", severity="ext"}',
      ],
    },
    {
      name: "relabeling sees external labels and may drop",
      relabel: "- source_labels: [cluster, alertname]\n  regex: c1;B\n  action: drop\n",
      external: Labels.fromStrings("cluster", "c1"),
      input: [alert("alertname", "A"), alert("alertname", "B")],
      want: ['{alertname="A", cluster="c1"}'],
    },
    {
      name: "replace and labeldrop",
      relabel: "- target_label: team\n  replacement: infra\n- regex: instance\n  action: labeldrop\n",
      external: Labels.EMPTY,
      input: [alert("alertname", "A", "instance", "i:1")],
      want: ['{alertname="A", team="infra"}'],
    },
    {
      name: "nothing to do keeps alerts as they are",
      relabel: "[]",
      external: Labels.EMPTY,
      input: [alert("alertname", "A")],
      want: ['{alertname="A"}'],
    },
  ];
  for (const tc of table) {
    it(tc.name, () => {
      const out = relabelAlerts(configs(tc.relabel), tc.external, tc.input);
      assert.deepEqual(
        out.map((a) => a.labels.toString()),
        tc.want,
      );
      for (const a of out) {
        assert.equal(a.annotations.toString(), '{summary="s"}');
        assert.equal(a.generatorURL, "g");
      }
    });
  }

  it("does not modify its input", () => {
    const input = [alert("alertname", "A")];
    relabelAlerts(configs("- target_label: x\n  replacement: y\n"), Labels.fromStrings("c", "d"), input);
    assert.equal(input[0].labels.toString(), '{alertname="A"}');
  });
});
