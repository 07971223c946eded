import type { MetricFamily } from "../exposition/types.ts";
import { Labels } from "../model/labels/labels.ts";
import { type BuildInfo, buildInfo } from "./info.ts";

/**
 * The `<program>_build_info` gauge, upstream's `version.NewCollector`: a
 * constant 1 labelled with version, revision, branch, Node.js version and the
 * Go-named platform, so `vigil_build_info` joins like `prometheus_build_info`.
 */
export function buildInfoFamily(program: string, info: BuildInfo = buildInfo()): MetricFamily {
  const name = `${program}_build_info`;
  const labels = Labels.fromObject({
    version: info.version,
    revision: info.revision,
    branch: info.branch,
    nodeversion: info.nodeVersion,
    goos: info.goos,
    goarch: info.goarch,
    tags: info.tags,
  });
  return {
    name,
    type: "gauge",
    help:
      "A metric with a constant '1' value labeled by version, revision, branch, nodeversion " +
      `from which ${program} was built, and the goos and goarch for the build.`,
    samples: [{ name, labels, value: 1 }],
  };
}
