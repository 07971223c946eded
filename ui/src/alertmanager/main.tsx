/** Entry of `vigil alertmanager`'s UI (`alertmanager.html`). */
import { mountApp } from "../shell/mount.tsx";
import { ALERTMANAGER_APP } from "./app.ts";

mountApp(ALERTMANAGER_APP);
