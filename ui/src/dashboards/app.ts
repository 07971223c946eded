/** `vigil dashboards`' UI: its pages; `DASHBOARDS_UI_ROUTES` (`src/dashboards/api/ui.ts`) must list the same paths. */
import type { AppDef } from "../shell/pages.ts";
import { DashboardPage } from "./pages/DashboardPage.tsx";
import { DataSourcesPage } from "./pages/DataSourcesPage.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { ImportPage } from "./pages/ImportPage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";

/** The registry. */
export const DASHBOARDS_APP: AppDef = {
  brand: "app.dashboards",
  home: "/",
  pages: [
    { path: "/", title: "dash.dashboards", component: HomePage, nav: "top" },
    { path: "/dashboard/import", title: "dash.import", component: ImportPage, nav: "top" },
    { path: "/datasources", title: "dash.datasources", component: DataSourcesPage, nav: "top" },
    { path: "/login", title: "dash.login", component: LoginPage, nav: "hidden" },
    { path: "/d/:uid", title: "dash.dashboard", component: DashboardPage, nav: "hidden" },
    { path: "/d/:uid/:slug", title: "dash.dashboard", component: DashboardPage, nav: "hidden" },
  ],
};
