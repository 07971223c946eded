/** Entry of `vigil dashboards`' UI (`dashboards.html`). */
import { mountApp } from "../shell/mount.tsx";
import { DASHBOARDS_APP } from "./app.ts";
import "./dashboards.css";

mountApp(DASHBOARDS_APP);
