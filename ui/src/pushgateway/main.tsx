/** Entry of `vigil pushgateway`'s UI (`pushgateway.html`). */
import { mountApp } from "../shell/mount.tsx";
import { PUSHGATEWAY_APP } from "./app.ts";

mountApp(PUSHGATEWAY_APP);
