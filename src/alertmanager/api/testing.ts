/**
 * Test helpers for API v2: an Alertmanager state (store, marker, silences,
 * silencer, inhibitor) built from the captured fixtures, a stub of the
 * dispatcher's groups, and an HTTP server on 127.0.0.1 serving the handler.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alertmanagerConfigToYAML, parseAlertmanagerConfig } from "../config/config.ts";
import { Inhibitor } from "../inhibit/inhibit.ts";
import { MemMarker } from "../marker/marker.ts";
import { AlertStore } from "../provider/alerts.ts";
import { Route } from "../route/route.ts";
import { Silencer } from "../silence/silencer.ts";
import { Silences } from "../silence/silences.ts";
import { encodeSilences } from "../silence/snapshot.ts";
import type { Silence } from "../silence/types.ts";
import { type Alert, fingerprint, type LabelSet } from "../types/types.ts";
import { createAPIv2Handler } from "./api.ts";
import type { AlertGroup, AlertGroupsSource, APIv2Deps } from "./deps.ts";
import { labelSetJSON } from "./json.ts";

/** The API fixtures folder. */
export const FIXTURES = "/work/shared/fixtures/api/alertmanager";

/** A fixture file's text. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/** Alerts of a `gettableAlerts` fixture, back in the store's shape. */
export function alertsFromFixture(name: string): Alert[] {
  return (JSON.parse(fixture(name)) as Record<string, unknown>[]).map((a) => ({
    labels: a.labels as LabelSet,
    annotations: a.annotations as LabelSet,
    startsAt: Date.parse(a.startsAt as string),
    endsAt: Date.parse(a.endsAt as string),
    updatedAt: Date.parse(a.updatedAt as string),
    generatorURL: (a.generatorURL as string | undefined) ?? "",
    timeout: false,
  }));
}

/** Silences of a `gettableSilences` fixture. */
export function silencesFromFixture(name: string): Silence[] {
  return (JSON.parse(fixture(name)) as Record<string, unknown>[]).map((s) => ({
    id: s.id as string,
    matchers: (s.matchers as { name: string; value: string; isRegex: boolean; isEqual: boolean }[]).map(
      (m) => ({
        type: m.isRegex ? (m.isEqual ? "=~" : "!~") : m.isEqual ? "=" : "!=",
        name: m.name,
        pattern: m.value,
      }),
    ),
    startsAt: Date.parse(s.startsAt as string),
    endsAt: Date.parse(s.endsAt as string),
    updatedAt: Date.parse(s.updatedAt as string),
    createdBy: s.createdBy as string,
    comment: s.comment as string,
  }));
}

/** A groups source grouping the store's alerts by route and `group_by`, as the dispatcher would. */
export function stubGroups(
  store: AlertStore,
  route: () => Route,
  clock: () => number = Date.now,
): AlertGroupsSource {
  return {
    groups(routeFilter, alertFilter) {
      const groups = new Map<string, AlertGroup & { alerts: Alert[] }>();
      const receivers = new Map<bigint, string[]>();
      const now = clock();
      for (const a of store.list()) {
        for (const r of route().match(a.labels)) {
          if (!routeFilter(r)) continue;
          const labels: Record<string, string> = {};
          for (const n of r.opts.groupBy) if (a.labels[n] !== undefined) labels[n] = a.labels[n];
          const key = `${r.id()}:${labelSetJSON(labels)}`;
          let g = groups.get(key);
          if (g === undefined) {
            g = { labels, receiver: r.opts.receiver, routeID: r.id(), groupKey: key, alerts: [] };
            groups.set(key, g);
          }
          const fp = fingerprint(a.labels);
          receivers.set(fp, [...(receivers.get(fp) ?? []), r.opts.receiver]);
          if (alertFilter(a, now)) g.alerts.push(a);
        }
      }
      const list = [...groups.values()].filter((g) => g.alerts.length > 0);
      list.sort((x, y) => (labelSetJSON(x.labels) < labelSetJSON(y.labels) ? -1 : 1));
      return { groups: list, receivers };
    },
  };
}

/** Everything a test needs around one handler. */
export interface Harness {
  readonly deps: APIv2Deps;
  readonly store: AlertStore;
  readonly silences: Silences;
  readonly marker: MemMarker;
  readonly inhibitor: Inhibitor;
  readonly url: string;
  close(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  readonly now?: () => number;
  readonly alerts?: readonly Alert[];
  readonly silences?: readonly Silence[];
}

/** Starts the API on 127.0.0.1 (OS-chosen port) over a state built from the fixture config. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const now = opts.now ?? Date.now;
  const loaded = parseAlertmanagerConfig(fixture("config/alertmanager.yml"), "alertmanager.yml");
  const route = Route.fromConfig(loaded.config.route);
  const marker = new MemMarker();
  const store = new AlertStore({ marker, gcInterval: 0, now });
  const silences = new Silences({ now });
  const dir = mkdtempSync(join(tmpdir(), "vigil-api-"));
  try {
    const file = join(dir, "silences");
    writeFileSync(
      file,
      encodeSilences((opts.silences ?? []).map((s) => ({ silence: s, expiresAt: s.endsAt + 1e9 }))),
    );
    await silences.loadSnapshot(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const inhibitor = new Inhibitor(store, loaded.config.inhibit_rules, marker, { now });
  const silencer = new Silencer(silences, marker);
  store.put(...(opts.alerts ?? []));
  const original = alertmanagerConfigToYAML(loaded.config);
  const deps: APIv2Deps = {
    alerts: store,
    silences,
    marker,
    groupMarker: marker,
    groups: stubGroups(store, () => route, now),
    current: () => ({
      config: loaded.config,
      original,
      route,
      setAlertStatus: (l) => {
        inhibitor.mutes(l);
        silencer.mutes(l);
      },
    }),
    versionInfo: {
      branch: "debian/sid",
      buildDate: "20260929-12:08:01",
      buildUser: "team+pkg-go@tracker.debian.org",
      goVersion: "go1.27.1",
      revision: "0.33.1-5",
      version: "0.33.1",
    },
    uptime: Date.parse("2026-11-22T02:07:03.130Z"),
    now,
  };
  const handler = createAPIv2Handler(deps);
  const server: Server = createServer((req, res) => {
    handler(req, res).then(
      (ok) => {
        if (!ok) {
          res.statusCode = 404;
          res.end("not api");
        }
      },
      (err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  const port = typeof addr === "object" && addr !== null ? addr.port : 0;
  return {
    deps,
    store,
    silences,
    marker,
    inhibitor,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      inhibitor.stop();
      store.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
