/**
 * Regenerates the golden files from the reference binaries (run by hand):
 *
 *   ./node_modules/.bin/node src/template/testdata/gen.ts
 *
 * - amtool-golden.json: every template of amtool-corpus.json rendered by
 *   `amtool template render` (text or html) with amtool-data.json and fixture.tmpl.
 * - promtool-golden.json: every annotation of promtool-corpus.json expanded by
 *   `promtool test rules` (the rendered annotations are read from its failure report).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "../../../.reference/bin");

interface Case {
  readonly name: string;
  readonly text: string;
  readonly type: "text" | "html";
}

function genAmtool(): void {
  const corpus = JSON.parse(readFileSync(join(here, "amtool-corpus.json"), "utf8")) as Case[];
  const out = corpus.map((c) => {
    const r = spawnSync(
      join(bin, "amtool"),
      [
        "template",
        "render",
        `--template.glob=${join(here, "fixture.tmpl")}`,
        `--template.data=${join(here, "amtool-data.json")}`,
        `--template.type=${c.type}`,
        `--template.text=${c.text}`,
      ],
      { encoding: "utf8", env: { ...process.env, TZ: "UTC" } },
    );
    if (r.status === 0) return { ...c, output: r.stdout };
    const error = r.stderr.replace(/^amtool: error: /, "").replace(/\n+$/, "");
    return { ...c, error };
  });
  writeFileSync(join(here, "amtool-golden.json"), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`amtool: ${out.length} templates rendered`);
}

interface PromCase {
  readonly name: string;
  readonly text: string;
}

/** Unquotes a Go-quoted label value from promtool's report. */
function unquoteGo(s: string): string {
  return JSON.parse(s.replace(/\\x([0-9a-f]{2})/g, "\\u00$1").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
}

function genPromtool(): void {
  const corpus = JSON.parse(readFileSync(join(here, "promtool-corpus.json"), "utf8")) as PromCase[];
  const dir = mkdtempSync(join(tmpdir(), "vigil-tmpl-gen-"));
  try {
    const rules = corpus.map((c, i) => ({
      alert: `A${i}`,
      expr: 'up{job="node"} + 1234.5678',
      labels: { sev: "x" },
      annotations: { a: c.text },
    }));
    writeFileSync(join(dir, "rules.yml"), JSON.stringify({ groups: [{ name: "g", rules }] }));
    const tests = {
      rule_files: ["rules.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [
            { series: 'up{job="node",instance="host-b.example.com:9100"}', values: "1+0x10" },
            { series: 'up{job="node",instance="host-a.example.com:9100"}', values: "0+0x10" },
            { series: 'node_load1{job="node",instance="host-a.example.com:9100"}', values: "0.25+0.25x10" },
          ],
          alert_rule_test: corpus.map((_, i) => ({ eval_time: "5m", alertname: `A${i}`, exp_alerts: [] })),
        },
      ],
    };
    writeFileSync(join(dir, "tests.yml"), JSON.stringify(tests));
    const r = spawnSync(join(bin, "promtool"), ["test", "rules", "tests.yml"], { cwd: dir, encoding: "utf8" });
    const report = r.stdout + r.stderr;
    const got = new Map<number, string[]>();
    for (const block of report.split(/\n\s*alertname: /).slice(1)) {
      const i = Number(/^A(\d+),/.exec(block)?.[1]);
      const re = /Annotations:\{a=("(?:[^"\\]|\\.)*")\}/g;
      for (let m = re.exec(block); m !== null; m = re.exec(block)) got.set(i, [...(got.get(i) ?? []), unquoteGo(m[1])]);
    }
    const out = corpus.map((c, i) => ({ ...c, outputs: got.get(i) ?? [] }));
    writeFileSync(join(here, "promtool-golden.json"), `${JSON.stringify(out, null, 1)}\n`);
    console.log(`promtool: ${out.filter((o) => o.outputs.length > 0).length}/${out.length} annotations expanded`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function genPromtoolCheck(): void {
  const corpus = JSON.parse(readFileSync(join(here, "promtool-check-corpus.json"), "utf8")) as PromCase[];
  const dir = mkdtempSync(join(tmpdir(), "vigil-tmpl-gen-"));
  try {
    const annotations = Object.fromEntries(corpus.map((c, i) => [`a${i}`, c.text]));
    const rules = [{ alert: "Check", expr: "vector(1)", annotations }];
    writeFileSync(join(dir, "rules.yml"), JSON.stringify({ groups: [{ name: "g", rules }] }));
    const r = spawnSync(join(bin, "promtool"), ["check", "rules", "rules.yml"], { cwd: dir, encoding: "utf8" });
    const errors = new Map<number, string>();
    for (const line of (r.stdout + r.stderr).split("\n")) {
      const m = /annotation "a(\d+)": (.*)$/.exec(line);
      if (m !== null) errors.set(Number(m[1]), m[2]);
    }
    const out = corpus.map((c, i) => ({ ...c, error: errors.get(i) ?? null }));
    writeFileSync(join(here, "promtool-check-golden.json"), `${JSON.stringify(out, null, 1)}\n`);
    console.log(`promtool check: ${errors.size}/${out.length} templates rejected`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the reference Prometheus with an external URL and reads rendered annotations from /api/v1/alerts. */
async function genPrometheusLive(): Promise<void> {
  const corpus: Record<string, string> = {
    externalURL: "{{ externalURL }}|{{ pathPrefix }}|{{ $externalURL }}|{{ .ExternalURL }}",
    links: '{{ externalURL }}{{ graphLink "up == 0" }}',
    labels: "{{ $labels.alertname }}|{{ $labels.job }}|{{ $externalLabels.cluster }}|{{ $value }}|{{ humanize $value }}",
    query: '{{ with query "vector(42)" }}{{ . | first | value }}{{ end }}',
    time: "{{ (toTime 1700000000).Format \"2006-01-02\" }}",
  };
  const dir = mkdtempSync(join(tmpdir(), "vigil-tmpl-prom-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const rules = { groups: [{ name: "g", interval: "1s", rules: [{ alert: "Live", expr: 'vector(3.5) + on() group_left() (0 * label_replace(vector(1), "job", "j", "", ""))', labels: { job: "j" }, annotations: corpus }] }] };
  writeFileSync(join(dir, "rules.yml"), JSON.stringify(rules));
  writeFileSync(join(dir, "prometheus.yml"), JSON.stringify({ global: { evaluation_interval: "1s", external_labels: { cluster: "c1" } }, rule_files: ["rules.yml"] }));
  const child = spawn(
    join(bin, "prometheus"),
    [
      "--config.file=prometheus.yml",
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.external-url=http://example.com:9090/prefix/",
    ],
    { cwd: dir, stdio: "ignore" },
  );
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        const res = await fetch(`http://127.0.0.1:${port}/prefix/api/v1/alerts`);
        const body = (await res.json()) as { data: { alerts: { annotations: Record<string, string> }[] } };
        const alert = body.data.alerts[0];
        if (alert === undefined) continue;
        const out = Object.entries(corpus).map(([name, text]) => ({ name, text, output: alert.annotations[name] }));
        writeFileSync(join(here, "prometheus-live-golden.json"), `${JSON.stringify(out, null, 1)}\n`);
        console.log(`prometheus: ${out.length} annotations read from /api/v1/alerts`);
        return;
      } catch {
        // not up yet
      }
    }
    throw new Error("prometheus did not report the alert in time");
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

genAmtool();
genPromtool();
genPromtoolCheck();
await genPrometheusLive();
