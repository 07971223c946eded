import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { nopLogger } from "../../log/log.ts";
import { parseExpr } from "../../promql/parser/parse.ts";
import { BUILTIN_PROVISIONING_PATH } from "../dashboards.ts";
import { type JsonObject, objects } from "../model/json.ts";
import { migrateDashboard } from "../model/migrate.ts";
import { allPanels } from "../model/migrate_grid.ts";
import { validateDashboard } from "../model/validate.ts";
import { interpolate } from "../model/variables/interpolate.ts";
import { builtinValues } from "../model/variables/interval.ts";
import { Provisioner } from "../provisioning/provisioner.ts";
import { Store } from "../store/store.ts";
import { BUILTIN_DASHBOARDS } from "./generate.ts";

describe("built-in dashboards", () => {
  for (const [name, make] of Object.entries(BUILTIN_DASHBOARDS)) {
    it(`${name} is the generator's output, valid, current, and its queries parse`, () => {
      const file = JSON.parse(
        readFileSync(new URL(`./dashboards/${name}`, import.meta.url), "utf8"),
      ) as JsonObject;
      assert.deepEqual(file, make(), "run: node src/dashboards/builtin/generate.ts");
      validateDashboard(file);
      const migrated = migrateDashboard(file);
      assert.deepEqual(
        allPanels(migrated).map((p) => p.type),
        allPanels(file).map((p) => p.type),
      );
      const vars = new Map(
        objects((file.templating as JsonObject).list).map((v) => [
          String(v.name),
          { name: String(v.name), current: { text: "x", value: "x" } },
        ]),
      );
      const builtins = { ...builtinValues({ from: 0, to: 3_600_000 }, 15_000) };
      let queries = 0;
      for (const p of allPanels(file)) {
        for (const t of objects(p.targets)) {
          const expr = interpolate(String(t.expr), vars, { builtins });
          assert.doesNotThrow(() => parseExpr(expr), `${name} panel ${p.title}: ${expr}`);
          queries++;
        }
      }
      assert.ok(queries >= 5);
    });
  }

  it("provision from the built-in directory: a default Vigil data source and five dashboards in the Vigil folder", () => {
    const s = Store.open(":memory:");
    const p = new Provisioner(s, [BUILTIN_PROVISIONING_PATH], nopLogger, {});
    p.start();
    p.stop();
    const ds = s.datasources.defaultSource()!;
    assert.deepEqual([ds.uid, ds.url, ds.readOnly], ["vigil", "http://localhost:9090", true]);
    assert.deepEqual(
      s.dashboards.list().map((d) => [d.uid, d.folderUid]),
      [
        ["vigil-host-overview", "vigil"],
        ["vigil-k8s-cluster", "vigil"],
        ["vigil-k8s-namespace", "vigil"],
        ["vigil-k8s-pod", "vigil"],
        ["vigil-health", "vigil"],
      ],
    );
  });
});
