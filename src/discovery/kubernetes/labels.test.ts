import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchesHostnamePattern } from "./ingress.ts";
import { joinHostPort, podReady, sanitizeLabelName } from "./labels.ts";

describe("label helpers", () => {
  it("joins hosts and ports as Go's net.JoinHostPort", () => {
    assert.equal(joinHostPort("10.0.0.1", 80), "10.0.0.1:80");
    assert.equal(joinHostPort("fd00::1", "9090"), "[fd00::1]:9090");
  });
  it("sanitizes label names as strutil.SanitizeLabelName", () => {
    assert.equal(sanitizeLabelName("app.kubernetes.io/name"), "app_kubernetes_io_name");
    assert.equal(sanitizeLabelName("ünï-code/😀"), "_n__code__");
  });
  it("reads pod readiness, unknown without a Ready condition", () => {
    assert.equal(podReady({ status: { conditions: [{ type: "Ready", status: "True" }] } } as never), "true");
    assert.equal(podReady({ status: {} } as never), "unknown");
  });
  it("matches TLS host patterns as upstream's matchesHostnamePattern", () => {
    // [pattern, host, match]
    const cases: [string, string, boolean][] = [
      ["shop.example.com", "shop.example.com", true],
      ["*.api.example.com", "v1.api.example.com", true],
      ["*.api.example.com", "a.v1.api.example.com", false],
      ["*.example.com", "example.com", false],
      ["a.example.com", "b.example.com", false],
    ];
    for (const [p, h, want] of cases) assert.equal(matchesHostnamePattern(p, h), want, `${p} ${h}`);
  });
});
