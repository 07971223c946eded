import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dataSourceBody, EMPTY_DRAFT } from "./datasource.ts";

describe("dataSourceBody", () => {
  it("makes a plain Prometheus data source without auth fields", () => {
    assert.deepEqual(dataSourceBody({ ...EMPTY_DRAFT, name: "vm", url: "http://vm:8428" }), {
      name: "vm",
      type: "prometheus",
      access: "proxy",
      url: "http://vm:8428",
      isDefault: false,
      basicAuth: false,
      jsonData: {},
      secureJsonData: {},
    });
  });

  it("puts basic auth and the custom header where Grafana keeps them (secrets in secureJsonData)", () => {
    const body = dataSourceBody({
      ...EMPTY_DRAFT,
      name: "p",
      url: "https://p",
      basicAuthUser: "u",
      basicAuthPassword: "pw",
      headerName: "X-Scope-OrgID",
      headerValue: "tenant",
      isDefault: true,
    });
    assert.equal(body.basicAuth, true);
    assert.equal(body.basicAuthUser, "u");
    assert.deepEqual(body.jsonData, { httpHeaderName1: "X-Scope-OrgID" });
    assert.deepEqual(body.secureJsonData, { basicAuthPassword: "pw", httpHeaderValue1: "tenant" });
    assert.equal(body.isDefault, true);
  });
});
