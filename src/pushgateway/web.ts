/**
 * What the Pushgateway's HTTP handlers share: their options, the own
 * families (`/metrics` and the consistency check need them), request counting.
 */

import type { IncomingMessage } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../log/log.ts";
import type { StatusInfo } from "./api.ts";
import type { Family } from "./model.ts";
import type { PushgatewayMetrics } from "./selfmetrics.ts";
import { registryFamilies, registryShapes } from "./selfmetrics.ts";
import type { MetricStore } from "./store.ts";

/** Options of `createHandler` (`handler.ts`). */
export interface PushgatewayWebOptions {
  readonly store: MetricStore;
  /** The registry holding `metrics` (and any other own metric). */
  readonly registry: Registry;
  readonly metrics: PushgatewayMetrics;
  readonly logger?: Logger;
  /** `--web.telemetry-path`, default `/metrics`. */
  readonly telemetryPath?: string;
  /** The effective route prefix (see `computeRoutePrefix`): `""` or `/path`. */
  readonly routePrefix?: string;
  readonly enableLifecycle?: boolean;
  readonly enableAdminApi?: boolean;
  /** False for `--push.disable-consistency-check`. */
  readonly checkConsistency?: boolean;
  readonly utf8Names?: boolean;
  readonly status: StatusInfo;
  /** Own families not on the registry: process and Node.js metrics, `pushgateway_build_info`. */
  readonly processFamilies?: () => readonly Family[];
  /** The UI build directory; default `ui/dist` (see `src/web/ui.ts`). */
  readonly uiDir?: string;
  /** Called after answering an accepted `/-/quit`. */
  readonly onQuit?: () => void;
}

/** The Pushgateway's own families: those of `processFamilies` and of the registry. */
export async function ownFamilies(options: PushgatewayWebOptions): Promise<Family[]> {
  return [...(options.processFamilies?.() ?? []), ...(await registryFamilies(options.registry))];
}

/**
 * The own families' names, help and types without their metrics: all a
 * push's consistency check needs of them, without computing summary
 * quantiles or reading /proc for every push.
 */
export function ownShapes(options: PushgatewayWebOptions): Family[] {
  let processShapes = processShapeCache.get(options);
  if (processShapes === undefined) {
    processShapes = (options.processFamilies?.() ?? []).map((f) => ({ ...f, metrics: [] }));
    processShapeCache.set(options, processShapes);
  }
  return [...processShapes, ...registryShapes(options.registry)];
}

const processShapeCache = new WeakMap<PushgatewayWebOptions, Family[]>();

/** Counts a request in `pushgateway_http_requests_total` (upstream's `InstrumentWithCounter`). */
export function count(o: PushgatewayWebOptions, handler: string, req: IncomingMessage, code: number): void {
  o.metrics.requests.inc({ handler, code: String(code), method: (req.method ?? "").toLowerCase() });
}
