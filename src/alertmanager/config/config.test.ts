import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../config/decode.ts";
import { checkConfig } from "./check.ts";
import { alertmanagerConfigToYAML, loadAlertmanagerConfigFile, parseAlertmanagerConfig } from "./config.ts";
import { tempDir } from "./testing.ts";

const FIXTURES = "/work/shared/fixtures";
const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));

describe("fixtures", () => {
  for (const name of ["simple.yml", "ha-example.yml", "routing-tree.yml"]) {
    it(`loads alertmanager/${name}`, async () => {
      const { config } = await loadAlertmanagerConfigFile(`${FIXTURES}/alertmanager/${name}`);
      assert.ok(config.receivers.length > 0);
      assert.equal(config.route.continue, false);
    });
  }

  it("prints the API fixture config as /api/v2/status does", async () => {
    const { config } = await loadAlertmanagerConfigFile(
      `${FIXTURES}/api/alertmanager/config/alertmanager.yml`,
    );
    const status = JSON.parse(readFileSync(`${FIXTURES}/api/alertmanager/status.json`, "utf8"));
    assert.equal(alertmanagerConfigToYAML(config), status.config.original);
  });

  it("reports the fixtures as amtool check-config does", async () => {
    let out = "";
    const cwd = process.cwd();
    process.chdir(`${FIXTURES}/alertmanager`);
    try {
      const r = await checkConfig(["simple.yml", "ha-example.yml", "routing-tree.yml"], (t) => {
        out += t;
      });
      assert.deepEqual(r, { failed: 0, exitCode: 0 });
    } finally {
      process.chdir(cwd);
    }
    assert.equal(out, readFileSync(`${FIXTURES}/alertmanager/amtool-check-config.out.txt`, "utf8"));
  });
});

describe("marshalling (goldens from Alertmanager 0.33.1's /api/v2/status)", () => {
  // all: every integration with defaults; full: every field set; full2: *_file globals;
  // flowleak: yaml.v2's flow flag leaking out of a time interval's `location`.
  for (const name of ["all", "full", "full2", "flowleak"]) {
    it(name, () => {
      const path = `${TESTDATA}${name}.yml`;
      const { config } = parseAlertmanagerConfig(readFileSync(path, "utf8"), path);
      assert.equal(alertmanagerConfigToYAML(config), readFileSync(`${TESTDATA}${name}.status.yml`, "utf8"));
    });
  }
});

describe("loading", () => {
  const base = "route:\n  receiver: r\nreceivers:\n- name: r\n";

  it("inherits global settings into receivers", () => {
    const { config } = parseAlertmanagerConfig(
      `global:\n  smtp_smarthost: mail:25\n  smtp_from: am@example.org\n  http_config:\n    proxy_url: http://proxy:3128\n${base}  email_configs: [{to: ops@example.org}]\n  webhook_configs: [{url: 'http://hook/'}]\n`,
      "am.yml",
    );
    const [r] = config.receivers;
    assert.equal(r.email_configs[0].smarthost, "mail:25");
    assert.equal(r.email_configs[0].headers.From, "am@example.org");
    assert.equal(r.email_configs[0].require_tls, true);
    assert.equal(r.webhook_configs[0].http_config?.proxy_url, "http://proxy:3128");
    assert.equal(r.webhook_configs[0].send_resolved, true);
    assert.deepEqual(r.labels, { name: "r" });
  });

  it("applies upstream's defaults", () => {
    const { config } = parseAlertmanagerConfig(base, "am.yml");
    assert.equal(config.global.resolve_timeout, 300_000);
    assert.equal(config.global.smtp_hello, "localhost");
    assert.equal(config.global.pagerduty_url, "https://events.pagerduty.com/v2/enqueue");
    assert.deepEqual(config.templates, []);
  });

  it("joins template globs with the file's directory", () => {
    const { config } = parseAlertmanagerConfig(
      `${base}templates: ['t/*.tmpl', '/abs/*.tmpl']\n`,
      "/etc/am/am.yml",
    );
    assert.deepEqual(config.templates, ["/etc/am/t/*.tmpl", "/abs/*.tmpl"]);
  });

  it("warns when a matcher needs the classic parser", () => {
    const { warnings } = parseAlertmanagerConfig(
      "route:\n  receiver: r\n  routes:\n  - matchers: ['foo=']\nreceivers:\n- name: r\n",
      "am.yml",
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^Alertmanager is moving to a new parser.* input="foo=" origin="config"/);
  });

  const ERRORS: ReadonlyArray<[string, string]> = [
    ["", "am.yml: no route provided in config"],
    [
      "route:\n  receiver: x\nreceivers:\n- name: r\n",
      'am.yml:2:13: route.receiver: undefined receiver "x" used in route',
    ],
    [
      "route:\n  receiver: r\n  foo: 1\nreceivers:\n- name: r\n",
      "am.yml:3:3: route: field foo not found in type config.plain",
    ],
    [
      "route:\n  receiver: r\n  routes:\n  - matchers: ['a=~\"(\"']\nreceivers:\n- name: r\n",
      "am.yml:4:16: route.routes[0].matchers[0]: error parsing regexp: missing closing ): `^(?:()$`",
    ],
    [`${base}- name: r\n`, 'am.yml:5:9: receivers[1].name: notification config name "r" is not unique'],
    [
      `${base}  email_configs: [{to: a}]\n`,
      "am.yml:5:19: receivers[0].email_configs[0].smarthost: no global SMTP smarthost set",
    ],
    [
      `${base}time_intervals:\n- name: t\n  time_intervals:\n  - weekdays: [funday]\n`,
      "am.yml:8:16: time_intervals[0].time_intervals[0].weekdays[0]: funday is not a valid weekday",
    ],
  ];
  for (const [text, message] of ERRORS) {
    it(`refuses: ${message}`, () => {
      assert.throws(
        () => parseAlertmanagerConfig(text, "am.yml"),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(err.message, message);
          return true;
        },
      );
    });
  }

  it("names a missing file as Go does", async () => {
    await assert.rejects(loadAlertmanagerConfigFile("/nonexistent/am.yml"), {
      message: "/nonexistent/am.yml: open /nonexistent/am.yml: no such file or directory",
    });
  });

  it("reports a failing file and its templates in check-config", async () => {
    const tmp = tempDir();
    try {
      const bad = tmp.write("bad.yml", "route:\n  receiver: x\nreceivers:\n- name: r\n");
      const good = tmp.write("good.yml", `${base}templates: ['*.tmpl']\n`);
      tmp.write("a.tmpl", '{{ define "x" }}{{ end }}');
      let out = "";
      let err = "";
      const r = await checkConfig([bad, good], (t) => (out += t), {
        stderr: (t) => (err += t),
        checkTemplates: (files) => {
          throw new Error(`template: ${files.length} file(s) refused`);
        },
      });
      assert.deepEqual(r, { failed: 2, exitCode: 1 });
      assert.equal(
        out,
        `Checking '${bad}'  FAILED: ${bad}:2:13: route.receiver: undefined receiver "x" used in route\n\n` +
          `Checking '${good}'  SUCCESS\nFound:\n - global config\n - route\n - 0 inhibit rules\n - 1 receivers\n - 1 templates\n  FAILED: template: 1 file(s) refused\n\n`,
      );
      assert.equal(err, "amtool: error: failed to validate 2 file(s)\n\n");
    } finally {
      tmp.cleanup();
    }
  });
});
