import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatFromContentType } from "../negotiate.ts";
import type { Format, MetricFamily } from "../types.ts";

/** ../shared/fixtures/exposition, next to the repository. */
export const FIXTURES = new URL("../../../../shared/fixtures/exposition/", import.meta.url).pathname;

export interface Fixture {
  readonly name: string;
  readonly format: Format;
  readonly body: Buffer;
}

/** Content-Type each captured body was served with (captures.json), by file name. */
function capturedContentTypes(): Map<string, string> {
  const captures = JSON.parse(readFileSync(join(FIXTURES, "captures.json"), "utf8")) as {
    file: string;
    response_headers: Record<string, string>;
  }[];
  return new Map(captures.map((c) => [c.file, c.response_headers["Content-Type"] ?? ""]));
}

/**
 * Every text exposition under the fixtures folder (protobuf bodies and notes
 * excluded), with the format its server declared; files without a capture
 * record (third-party ones) are classic text.
 */
export function textFixtures(): Fixture[] {
  const types = capturedContentTypes();
  const out: Fixture[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      const name = rel === "" ? entry : `${rel}/${entry}`;
      if (statSync(path).isDirectory()) walk(path, name);
      else if (/\.(prom|txt)$/.test(entry) && !entry.endsWith(".out.txt")) {
        const format = formatFromContentType(types.get(name), "prometheus-text");
        out.push({ name, format, body: readFileSync(path) });
      }
    }
  };
  walk(FIXTURES, "");
  return out;
}

/** A plain, comparable view of families: labels as strings, -0 as 0 (the writer prints both as 0). */
export function comparable(families: readonly MetricFamily[]): unknown {
  return families.map((f) => ({
    name: f.name,
    type: f.type,
    help: f.help,
    unit: f.unit,
    samples: f.samples.map((s) => ({
      name: s.name,
      labels: s.labels.toString(),
      value: s.value === 0 ? 0 : s.value,
      timestampMs: s.timestampMs,
      exemplar:
        s.exemplar === undefined
          ? undefined
          : {
              labels: s.exemplar.labels.toString(),
              value: s.exemplar.value,
              timestampMs: s.exemplar.timestampMs,
            },
    })),
  }));
}
