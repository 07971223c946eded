/** Mounts an app into `#root` with the shared styles; each HTML entry calls this once. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "../styles.css";
import type { AppDef } from "./pages.ts";
import { Shell } from "./Shell.tsx";

/** Renders `app` into the page's `#root` element. */
export function mountApp(app: AppDef): void {
  const root = document.getElementById("root");
  if (root === null) throw new Error("no #root element");
  createRoot(root).render(
    <StrictMode>
      <Shell app={app} />
    </StrictMode>,
  );
}
