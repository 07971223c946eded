/**
 * Serves the dashboards UI (`ui/dist/dashboards.html`, see `ui/README.md`)
 * for the client routes below; assets under `/assets/`. Paths that are not
 * the UI's, and every path while the UI is not built, go to `fallback`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createUiHandler } from "../../web/ui.ts";

/** The client routes of the dashboards UI; must match `ui/src/dashboards/app.ts`. */
export const DASHBOARDS_UI_ROUTES: readonly string[] = [
  "/",
  "/login",
  "/dashboard/import",
  "/datasources",
  "/d/:uid",
  "/d/:uid/:slug",
];

/** A UI hook serving the built UI, else `fallback`. */
export function dashboardsUI(
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
  dir?: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = createUiHandler({
    ...(dir !== undefined ? { dir } : {}),
    entry: "dashboards.html",
    prefix: "",
    routes: DASHBOARDS_UI_ROUTES,
    home: "/",
    notBuilt: fallback,
  });
  return (req, res) => {
    const rel = new URL(req.url ?? "/", "http://localhost").pathname;
    handler(req, res, rel).then(
      (served) => {
        if (!served) fallback(req, res);
      },
      () => {
        if (!res.headersSent) fallback(req, res);
      },
    );
  };
}
