/**
 * Builds the web UIs into `ui/dist`: one HTML entry per command
 * (`index.html` for `vigil server`, `alertmanager.html`, `pushgateway.html`), assets referenced relatively so they
 * load under any route prefix (the server writes the `<base href>`).
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        index: "index.html",
        alertmanager: "alertmanager.html",
        pushgateway: "pushgateway.html",
        dashboards: "dashboards.html",
      },
    },
  },
});
