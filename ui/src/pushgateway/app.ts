/** `vigil pushgateway`'s UI: the groups at `/` and the status at `/status`, as upstream's page. */
import type { AppDef } from "../shell/pages.ts";
import { PgMetricsPage } from "./pages/MetricsPage.tsx";
import { PgStatusPage } from "./pages/StatusPage.tsx";

/** The registry; the pushgateway's handler serves the entry at the same paths. */
export const PUSHGATEWAY_APP: AppDef = {
  brand: "app.pushgateway",
  home: "/",
  pages: [
    { path: "/", title: "pg.metrics", component: PgMetricsPage, nav: "top" },
    { path: "/status", title: "nav.status", component: PgStatusPage, nav: "top" },
  ],
};
