import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { TemplateError } from "./errors.ts";
import {
  ALERT_TEMPLATE_DEFS,
  checkTemplate,
  type ExpandOptions,
  expandHTMLTemplate,
  expandTemplate,
} from "./prometheus.ts";

const dir = new URL("./testdata/", import.meta.url).pathname;

function opts(over: Partial<ExpandOptions> = {}): ExpandOptions {
  return {
    name: "__alert_Test",
    data: {
      labels: { instance: "h:9100", job: "node" },
      externalLabels: { cluster: "c1" },
      externalURL: "http://example.com:9090/prefix",
      value: 3.5,
    },
    timestampMs: 1_700_000_000_000,
    query: async () => [],
    externalURL: new URL("http://example.com:9090/prefix/"),
    ...over,
  };
}

test("reference prometheus goldens (/api/v1/alerts with --web.external-url)", async () => {
  const golden = JSON.parse(readFileSync(`${dir}prometheus-live-golden.json`, "utf8")) as {
    name: string;
    text: string;
    output: string;
  }[];
  const query = async (q: string) => (q === "vector(42)" ? [{ labels: {}, value: 42 }] : []);
  for (const c of golden) {
    const out = await expandTemplate(
      c.text,
      opts({
        name: "__alert_Live",
        query,
        data: {
          labels: {},
          externalLabels: { cluster: "c1" },
          externalURL: "http://example.com:9090/prefix",
          value: 3.5,
        },
      }),
    );
    assert.equal(out, c.output, c.name);
  }
  console.log(`prometheus live goldens: ${golden.length}/${golden.length} annotations match`);
});

test("expandTemplate prepends the convenience variables once", async () => {
  assert.equal(await expandTemplate("{{ $labels.instance }} {{ $value }}", opts()), "h:9100 3.5");
  assert.equal(await expandTemplate(`${ALERT_TEMPLATE_DEFS}{{ $labels.job }}`, opts()), "node");
  assert.equal(await expandTemplate("{{ $externalLabels.cluster }}|{{ $labels.nope }}|", opts()), "c1||");
});

test("query runs at the evaluation time and its result is a slice of samples", async () => {
  const seen: [string, number][] = [];
  const query = async (q: string, ts: number) => {
    seen.push([q, ts]);
    return [
      { labels: { __name__: "up", instance: "b" }, value: 1 },
      { labels: { __name__: "up", instance: "a" }, value: 0 },
    ];
  };
  const out = await expandTemplate(
    '{{ range sortByLabel "instance" (query "up") }}{{ .Labels.instance }}={{ .Value }} {{ end }}{{ query "up" | first | label "instance" }} {{ printf "%T" (query "x") }}',
    opts({ query }),
  );
  assert.equal(out, "a=0 b=1 b template.queryResult");
  assert.deepEqual(seen[0], ["up", 1_700_000_000_000]);
});

test("errors use upstream's wrapping", async () => {
  await assert.rejects(expandTemplate("{{ .Nope }}", opts()), (err: Error) => {
    assert.ok(err instanceof TemplateError);
    assert.match(
      err.message,
      /^error executing template __alert_Test: template: __alert_Test:1:\d+: executing "__alert_Test" at <\.Nope>: can't evaluate field Nope/,
    );
    return true;
  });
  await assert.rejects(expandTemplate("{{ end }}", opts()), {
    message: "error parsing template __alert_Test: template: __alert_Test:1: unexpected {{end}}",
  });
  const failing = async () => {
    throw new Error("query timed out");
  };
  await assert.rejects(
    expandTemplate('{{ query "up" }}', opts({ query: failing })),
    /error calling query: query timed out/,
  );
  await assert.rejects(
    expandTemplate("{{ externalURL }}", opts({ externalURL: null })),
    /error calling externalURL: runtime error: invalid memory address or nil pointer dereference/,
  );
});

test("checkTemplate parses only", () => {
  checkTemplate('{{ query "up" | first | value | humanize }}', "__alert_X");
  assert.throws(() => checkTemplate("{{ nofunc }}", "__alert_X"), {
    message: 'template: __alert_X:1: function "nofunc" not defined',
  });
});

test("expandHTMLTemplate escapes and offers tmpl", async () => {
  const out = await expandHTMLTemplate(
    '{{ define "x" }}<i>{{ . }}</i>{{ end }}{{ .a }} {{ tmpl "x" .a }} {{ safeHtml "<b>" }}',
    {
      ...opts(),
      data: { a: "<&>" },
    },
  );
  assert.equal(out, "&lt;&amp;&gt; <i>&lt;&amp;&gt;</i> <b>");
});
