/** Entry of `vigil server`'s UI (`index.html`). */

import { SERVER_APP } from "./app.ts";
import { mountApp } from "./shell/mount.tsx";

mountApp(SERVER_APP);
