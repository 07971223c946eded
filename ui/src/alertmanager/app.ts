/** `vigil alertmanager`'s UI: its pages (history routes for upstream's `#/alerts`, `#/silences`, `#/status`). */
import type { AppDef } from "../shell/pages.ts";
import { AmAlertsPage } from "./pages/AlertsPage.tsx";
import { SilenceFormPage } from "./pages/SilenceFormPage.tsx";
import { SilencesPage } from "./pages/SilencesPage.tsx";
import { SilenceViewPage } from "./pages/SilenceViewPage.tsx";
import { AmStatusPage } from "./pages/StatusPage.tsx";

/** The registry; `ALERTMANAGER_UI_ROUTES` (`src/alertmanager/server/web.ts`) must list the same paths. */
export const ALERTMANAGER_APP: AppDef = {
  brand: "app.alertmanager",
  home: "/alerts",
  pages: [
    { path: "/alerts", title: "nav.alerts", component: AmAlertsPage, nav: "top" },
    { path: "/silences", title: "am.silences", component: SilencesPage, nav: "top" },
    { path: "/silences/new", title: "am.newSilence", component: SilenceFormPage, nav: "hidden" },
    { path: "/silences/:id/edit", title: "am.editSilence", component: SilenceFormPage, nav: "hidden" },
    { path: "/silences/:id", title: "am.silenceTitle", component: SilenceViewPage, nav: "hidden" },
    { path: "/status", title: "nav.status", component: AmStatusPage, nav: "top" },
  ],
};
