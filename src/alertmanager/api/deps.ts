/**
 * What API v2 needs from the rest of the Alertmanager. `AlertGroupsSource`
 * is the interface the dispatcher implements for `GET /api/v2/alerts/groups`
 * (upstream's `groupsFn`).
 */
import type { Registry } from "prom-client";
import type { Logger } from "../../log/log.ts";
import type { AlertmanagerConfig } from "../config/types.ts";
import type { AlertStore } from "../provider/alerts.ts";
import type { Route } from "../route/route.ts";
import type { Silences } from "../silence/silences.ts";
import type { Alert, AlertMarker, GroupMarker, LabelSet } from "../types/types.ts";

/** One aggregation group as the dispatcher holds it (upstream `dispatch.AlertGroup`). */
export interface AlertGroup {
  /** The group's labels (the `group_by` values). */
  readonly labels: LabelSet;
  /** The receiver of the group's route. */
  readonly receiver: string;
  /** The route's `id()`, for the group marker. */
  readonly routeID: string;
  /** The group key, for the group marker. */
  readonly groupKey: string;
  readonly alerts: readonly Alert[];
}

/** The groups and, for every alert in them, the receivers of all groups holding it. */
export interface AlertGroupsResult {
  readonly groups: readonly AlertGroup[];
  readonly receivers: ReadonlyMap<bigint, readonly string[]>;
}

/**
 * Implemented by the dispatcher (upstream `Dispatcher.Groups`): the groups of
 * routes accepted by `routeFilter`, each holding only the alerts accepted by
 * `alertFilter` (groups left empty are omitted), sorted as upstream sorts them.
 */
export interface AlertGroupsSource {
  groups(
    routeFilter: (r: Route) => boolean,
    alertFilter: (a: Alert, now: number) => boolean,
  ): AlertGroupsResult;
}

/** Build information served by `/api/v2/status`. */
export interface VersionInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** The parts that change on a config reload (upstream `API.Update`). */
export interface APIv2Config {
  readonly config: AlertmanagerConfig;
  /** `config.original` of `/api/v2/status`: the marshalled config. */
  readonly original: string;
  /** The routing tree built from `config.route`. */
  readonly route: Route;
  /** Runs the inhibitor and the silencer on a label set (marking it). */
  readonly setAlertStatus: (labels: LabelSet) => void;
}

/** Everything {@link createAPIv2Handler} uses. */
export interface APIv2Deps {
  readonly alerts: AlertStore;
  readonly silences: Silences;
  readonly marker: AlertMarker;
  readonly groupMarker: GroupMarker;
  readonly groups: AlertGroupsSource;
  /** The current config; read on every request, so a reload takes effect at once. */
  readonly current: () => APIv2Config;
  readonly versionInfo: VersionInfo;
  /** When the process started (ms), for `uptime`. */
  readonly uptime: number;
  readonly logger?: Logger;
  /** Registers `alertmanager_alerts_received_total` / `alertmanager_alerts_invalid_total`. */
  readonly registry?: Registry;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}
