import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { SMTPServer } from "smtp-server";
import { parseAlertmanagerConfig } from "../../config/config.ts";
import { EmailNotifier } from "./email.ts";
import { alertsFromJSON, receiverContext } from "./testing.ts";

interface Received {
  readonly auth: { user: string; method: string; ok: boolean };
  readonly secure: boolean;
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
}

async function startSMTP(opts: {
  auth: boolean;
  starttls: boolean;
}): Promise<{ port: number; mails: Received[]; close(): Promise<void> }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    authOptional: !opts.auth,
    disabledCommands: opts.starttls ? [] : ["STARTTLS"],
    authMethods: ["PLAIN", "LOGIN", "CRAM-MD5"],
    logger: false,
    onAuth(auth, _session, cb) {
      const ok =
        auth.username === "alice" &&
        (auth.method === "CRAM-MD5" ? auth.validatePassword?.("s3cret") === true : auth.password === "pw");
      cb(
        ok ? null : new Error("bad credentials"),
        ok ? { user: `${auth.method}:${auth.username}` } : undefined,
      );
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          auth: { user: String(session.user ?? ""), method: "", ok: session.user !== undefined },
          secure: session.secure,
          from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function emailConfig(extra: string, port: number) {
  const yml = `route: {receiver: mail}
receivers:
  - name: mail
    email_configs:
      - to: "ops@example.org, dba@example.org"
        from: alertmanager@example.org
        smarthost: 127.0.0.1:${port}
        hello: vigil.test
        headers: {X-Team: "{{ .CommonLabels.job }}"}
        text: "{{ len .Alerts }} alerts"
${extra}`;
  return parseAlertmanagerConfig(yml, "/tmp/am.yml").config.receivers[0].email_configs[0];
}

const ALERTS = [
  {
    labels: { alertname: "DiskFull", instance: "db-1", job: "node" },
    annotations: { summary: "Disk <90%> full" },
    startsAt: "2026-11-22T09:00:00Z",
    resolvedAt: "2026-11-22T09:30:00Z",
    generatorURL: "http://prom/graph?g0.expr=up&x=1",
  },
];

/** The decoded quoted-printable bodies of the mail's parts, by content type. */
function parts(raw: string): Map<string, string> {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)![1];
  const out = new Map<string, string>();
  for (const p of raw.split(`--${boundary}`).slice(1, -1)) {
    const [head, ...rest] = p.split("\r\n\r\n");
    const type = /Content-Type: ([^;\r\n]+)/i.exec(head)![1];
    let body = rest.join("\r\n\r\n").replace(/\r\n$/, "");
    if (/quoted-printable/i.test(head)) {
      body = Buffer.from(
        body
          .replace(/=\r\n/g, "")
          .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
        "latin1",
      ).toString("utf8");
    }
    out.set(type, body);
  }
  return out;
}

test("email: STARTTLS, PLAIN auth, headers and multipart text+html as upstream", async () => {
  const smtp = await startSMTP({ auth: true, starttls: true });
  try {
    const conf = emailConfig(
      "        auth_username: alice\n        auth_password: pw\n        tls_config: {insecure_skip_verify: true}\n",
      smtp.port,
    );
    const ctx = await receiverContext("mail", { alertname: "DiskFull" });
    const res = await new EmailNotifier(conf).notify(ctx, alertsFromJSON(ALERTS, false));
    assert.equal(res.error, undefined, res.error?.message);
    assert.equal(smtp.mails.length, 1);
    const m = smtp.mails[0];
    assert.equal(m.secure, true, "upgraded with STARTTLS");
    assert.match(m.auth.user, /^(PLAIN|LOGIN):alice$/);
    assert.equal(m.from, "alertmanager@example.org");
    assert.deepEqual(m.to, ["ops@example.org", "dba@example.org"]);
    assert.match(m.raw, /^Subject: \[FIRING:1\] DiskFull \(db-1 node\)\r$/m);
    assert.match(m.raw, /^To: ops@example.org, dba@example.org\r$/m);
    assert.match(m.raw, /^From: alertmanager@example.org\r$/m);
    assert.match(m.raw, /^X-Team: node\r$/m);
    assert.match(m.raw, /^Content-Type: multipart\/alternative;/m);
    const p = parts(m.raw);
    assert.deepEqual([...p.keys()], ["text/plain", "text/html"]);
    assert.equal(p.get("text/plain"), "1 alerts");
    const html = p.get("text/html")!;
    assert.match(html, /<title>\[FIRING:1\] DiskFull \(db-1 node\)<\/title>/);
    assert.match(html, /summary = Disk &lt;90%&gt; full/);
    assert.match(html, /href="http:\/\/prom\/graph\?g0.expr=up&amp;x=1"/);
  } finally {
    await smtp.close();
  }
});

test("email: CRAM-MD5 with auth_secret", async () => {
  const smtp = await startSMTP({ auth: true, starttls: true });
  try {
    const conf = emailConfig(
      "        auth_username: alice\n        auth_secret: s3cret\n        tls_config: {insecure_skip_verify: true}\n",
      smtp.port,
    );
    const ctx = await receiverContext("mail", { alertname: "DiskFull" });
    const res = await new EmailNotifier(conf).notify(ctx, alertsFromJSON(ALERTS, true));
    assert.equal(res.error, undefined, res.error?.message);
    assert.equal(smtp.mails[0].auth.user, "CRAM-MD5:alice");
    assert.match(smtp.mails[0].raw, /^Subject: \[RESOLVED\] DiskFull \(db-1 node\)\r$/m);
  } finally {
    await smtp.close();
  }
});

test("email: require_tls against a server without STARTTLS fails; require_tls false sends in clear", async () => {
  const smtp = await startSMTP({ auth: false, starttls: false });
  try {
    const ctx = await receiverContext("mail", { alertname: "DiskFull" });
    const strict = await new EmailNotifier(emailConfig("", smtp.port)).notify(
      ctx,
      alertsFromJSON(ALERTS, false),
    );
    assert.notEqual(strict.error, undefined);
    assert.equal(smtp.mails.length, 0);
    const lax = await new EmailNotifier(emailConfig("        require_tls: false\n", smtp.port)).notify(
      ctx,
      alertsFromJSON(ALERTS, false),
    );
    assert.equal(lax.error, undefined, lax.error?.message);
    assert.equal(smtp.mails.length, 1);
    assert.equal(smtp.mails[0].secure, false);
  } finally {
    await smtp.close();
  }
});

test("email: a wrong password is a permanent failure", async () => {
  const smtp = await startSMTP({ auth: true, starttls: true });
  try {
    const conf = emailConfig(
      "        auth_username: alice\n        auth_password: nope\n        tls_config: {insecure_skip_verify: true}\n",
      smtp.port,
    );
    const ctx = await receiverContext("mail", { alertname: "DiskFull" });
    const res = await new EmailNotifier(conf).notify(ctx, alertsFromJSON(ALERTS, false));
    assert.notEqual(res.error, undefined);
    assert.equal(res.retry, false);
  } finally {
    await smtp.close();
  }
});
