/**
 * deploy/Dockerfile read statically (no Docker daemon needed): base image,
 * production install, non-root user, the entrypoint and its V8 flag, the
 * ports the manifests use, and COPY sources that exist and are not ignored.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { render } from "./kustomize.ts";
import { podTemplates } from "./wiring.ts";

const REPO = join(import.meta.dirname, "..");
const text = readFileSync(join(REPO, "deploy", "Dockerfile"), "utf8");
/** Instructions with continuation lines joined, comments dropped. */
const lines = text
  .replaceAll(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const instr = (name: string) =>
  lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));

test("base image, production install, non-root user", () => {
  assert.deepEqual(instr("ARG"), ["NODE_IMAGE=node:24-slim"]);
  assert.ok(instr("FROM").every((f) => f.startsWith("$" + "{NODE_IMAGE}")));
  assert.ok(instr("RUN").some((r) => r.includes("npm ci --omit=dev")));
  assert.deepEqual(instr("USER"), ["10001:10001"]);
});

test("the entrypoint is bin/vigil.mjs with its shebang's flags, and the compile cache is warmed with them", () => {
  const shebang = readFileSync(join(REPO, "bin", "vigil.mjs"), "utf8").split("\n")[0]!;
  const flags = shebang.replace("#!/usr/bin/env -S node", "").trim().split(/\s+/);
  assert.deepEqual(flags, ["--max-semi-space-size=4"]);
  assert.deepEqual(JSON.parse(instr("ENTRYPOINT")[0]!), ["node", ...flags, "/app/bin/vigil.mjs"]);
  assert.ok(instr("RUN").includes(`node ${flags.join(" ")} bin/vigil.mjs --help > /dev/null`));
});

test("EXPOSE lists every container port of the manifests", async () => {
  const objects = await render(join(REPO, "deploy", "kubernetes", "base"));
  const ports = podTemplates(objects).flatMap((p) =>
    p.spec.containers.flatMap((c) => (c.ports ?? []).map((q) => q.containerPort)),
  );
  const exposed = instr("EXPOSE")[0]!.split(/\s+/).map(Number);
  assert.deepEqual([...new Set(ports)].sort(), [...exposed].sort());
});

test("COPY sources exist and .dockerignore keeps them", () => {
  const ignored = readFileSync(join(REPO, ".dockerignore"), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  const copies = instr("COPY").filter((c) => !c.startsWith("--from"));
  assert.ok(copies.length >= 4);
  for (const c of copies) {
    const sources = c.split(/\s+/).slice(0, -1);
    for (const s of sources.filter((x) => x !== ".")) {
      assert.ok(existsSync(join(REPO, s)), `${s} missing`);
      assert.ok(!ignored.includes(s), `${s} is in .dockerignore`);
    }
  }
  assert.ok(ignored.includes("**/node_modules") && ignored.includes(".git"));
  // The manifests run the reloader from where the image puts it.
  assert.ok(copies.includes("deploy/config-reloader.ts ./deploy/config-reloader.ts"));
  assert.ok(instr("WORKDIR").includes("/app"));
});
