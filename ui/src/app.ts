/** `vigil server`'s UI: its pages, in navigation order (upstream Prometheus 3.x paths). */
import { AlertsPage } from "./pages/alerts/AlertsPage.tsx";
import { RulesPage } from "./pages/alerts/RulesPage.tsx";
import { QueryPage } from "./pages/query/QueryPage.tsx";
import { ConfigPage } from "./pages/status/ConfigPage.tsx";
import { FlagsPage } from "./pages/status/FlagsPage.tsx";
import { StatusPage } from "./pages/status/StatusPage.tsx";
import { TsdbStatusPage } from "./pages/status/TsdbStatusPage.tsx";
import { ServiceDiscoveryPage } from "./pages/targets/ServiceDiscoveryPage.tsx";
import { TargetsPage } from "./pages/targets/TargetsPage.tsx";
import type { AppDef } from "./shell/pages.ts";

/** The server UI's registry; the server's `SERVER_UI_ROUTES` must list the same paths. */
export const SERVER_APP: AppDef = {
  brand: "app.server",
  home: "/query",
  pages: [
    { path: "/query", title: "nav.query", component: QueryPage, nav: "top" },
    { path: "/alerts", title: "nav.alerts", component: AlertsPage, nav: "top" },
    { path: "/targets", title: "nav.targets", component: TargetsPage, nav: "nav.status" },
    { path: "/rules", title: "nav.rules", component: RulesPage, nav: "nav.status" },
    { path: "/service-discovery", title: "nav.sd", component: ServiceDiscoveryPage, nav: "nav.status" },
    { path: "/status", title: "nav.runtime", component: StatusPage, nav: "nav.status" },
    { path: "/tsdb-status", title: "nav.tsdb", component: TsdbStatusPage, nav: "nav.status" },
    { path: "/flags", title: "nav.flags", component: FlagsPage, nav: "nav.status" },
    { path: "/config", title: "nav.config", component: ConfigPage, nav: "nav.status" },
  ],
};
