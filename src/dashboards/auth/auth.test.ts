import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { Store } from "../store/store.ts";
import { adminSettings, ensureAdmin } from "./admin.ts";
import { AuthError, Authenticator, checkOrigin, cookie, hasRole, sessionCookie } from "./auth.ts";
import { hashPassword, PasswordError, verifyPassword } from "./password.ts";
import { LoginLimiter } from "./ratelimit.ts";

function fakeReq(headers: Record<string, string>, method = "GET"): IncomingMessage {
  return { headers, method, socket: { remoteAddress: "127.0.0.1" } } as unknown as IncomingMessage;
}

describe("passwords", () => {
  it("hashes with bcrypt and verifies", async () => {
    const h = await hashPassword("pw", 4);
    assert.match(h, /^\$2b\$04\$/);
    assert.equal(await verifyPassword("pw", h), true);
    assert.equal(await verifyPassword("PW", h), false);
    assert.equal(await verifyPassword("", h), false);
    await assert.rejects(hashPassword("", 4), PasswordError);
    await assert.rejects(hashPassword("x".repeat(73), 4), /too long/);
  });
});

describe("initial admin", () => {
  it("flag beats env beats default", () => {
    assert.deepEqual(adminSettings({}, {}), { user: "admin", password: "admin" });
    assert.deepEqual(
      adminSettings({}, { GF_SECURITY_ADMIN_USER: "root", GF_SECURITY_ADMIN_PASSWORD: "envpw" }),
      { user: "root", password: "envpw" },
    );
    assert.deepEqual(
      adminSettings({ user: "boss", password: "flagpw" }, { GF_SECURITY_ADMIN_PASSWORD: "envpw" }),
      { user: "boss", password: "flagpw" },
    );
  });
  it("is created hashed once, on an empty database", async () => {
    const s = Store.open(":memory:");
    const u = await ensureAdmin(s, { user: "admin", password: "first" }, 4);
    assert.equal(u!.role, "Admin");
    assert.notEqual(u!.passwordHash, "first");
    assert.equal(await verifyPassword("first", u!.passwordHash), true);
    assert.equal(await ensureAdmin(s, { user: "admin", password: "second" }, 4), undefined);
    assert.equal(await verifyPassword("first", s.users.byLogin("admin")!.passwordHash), true);
  });
});

describe("sessions", () => {
  it("expire after 7 idle days and at most 30 days; logout ends them", async () => {
    const s = Store.open(":memory:");
    await ensureAdmin(s, { user: "a", password: "pw" }, 4);
    let now = 1_000_000;
    const auth = new Authenticator(s, new LoginLimiter(undefined, () => now), () => now);
    const login = await auth.login("a", "pw", "x");
    const req = () => fakeReq({ cookie: `other=1; grafana_session=${login.token}` });
    assert.equal((await auth.authenticate(req())).user.login, "a");
    now += 6 * 86_400_000;
    await auth.authenticate(req()); // refreshes "seen"
    now += 6 * 86_400_000;
    await auth.authenticate(req());
    now += 8 * 86_400_000;
    await assert.rejects(
      auth.authenticate(req()),
      (e: unknown) => e instanceof AuthError && e.status === 401,
    );
    const second = await auth.login("a", "pw", "x");
    auth.logout(second.token);
    await assert.rejects(
      auth.authenticate(fakeReq({ cookie: `grafana_session=${second.token}` })),
      AuthError,
    );
    await assert.rejects(auth.authenticate(fakeReq({ cookie: "grafana_session=forged" })), AuthError);
  });
  it("stores only the hash of the token", async () => {
    const s = Store.open(":memory:");
    await ensureAdmin(s, { user: "a", password: "pw" }, 4);
    const login = await new Authenticator(s, new LoginLimiter()).login("a", "pw", "x");
    const rows = s.db.prepare("SELECT token_hash FROM session").all() as { token_hash: string }[];
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.token_hash, login.token);
    assert.ok(!JSON.stringify(rows).includes(login.token));
  });
});

describe("helpers", () => {
  it("roles are ordered", () => {
    assert.deepEqual(
      [hasRole("Viewer", "Editor"), hasRole("Editor", "Editor"), hasRole("Admin", "Viewer")],
      [false, true, true],
    );
  });
  it("cookie parsing and Set-Cookie attributes", () => {
    assert.equal(cookie("a=1; grafana_session=abc; b=2", "grafana_session"), "abc");
    assert.equal(cookie(undefined, "x"), undefined);
    assert.equal(
      sessionCookie("t", true, 60),
      "grafana_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure",
    );
    assert.equal(sessionCookie("", false), "grafana_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });
  it("origin check", () => {
    assert.doesNotThrow(() => checkOrigin(fakeReq({ host: "h:3000" })));
    assert.doesNotThrow(() => checkOrigin(fakeReq({ host: "h:3000", origin: "http://h:3000" })));
    assert.throws(
      () => checkOrigin(fakeReq({ host: "h:3000", origin: "http://h:3001" })),
      /origin not allowed/,
    );
    assert.throws(() => checkOrigin(fakeReq({ host: "h:3000", origin: "null" })), /origin not allowed/);
  });
  it("the limiter forgets failures after the window and per login on success", () => {
    let now = 0;
    const l = new LoginLimiter({ maxAttempts: 2, windowMs: 100 }, () => now);
    l.fail("Ann", "1.2.3.4");
    l.fail("ann", "1.2.3.4");
    assert.equal(l.blocked("ANN", "5.6.7.8"), true);
    now = 101;
    assert.equal(l.blocked("ann", "5.6.7.8"), false);
    l.fail("bob", "x");
    l.succeed("bob");
    l.fail("bob", "x");
    assert.equal(l.blocked("bob", "y"), false);
  });
});
