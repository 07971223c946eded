/**
 * The Query page: several panels whose state lives in the URL (upstream's
 * `g<i>.*` parameters), a shared query history and the local/UTC setting.
 */
import { useEffect, useRef, useState } from "react";
import { useT } from "../../i18n/i18n.ts";
import { navigate, useRoute } from "../../shell/router.tsx";
import { loadHistory } from "./history.ts";
import { Panel } from "./Panel.tsx";
import { DEFAULT_PANEL, type PanelState, panelsToSearch, parsePanels } from "./urlState.ts";

const LOCAL_TIME_KEY = "vigil.useLocalTime";

interface Keyed {
  readonly key: number;
  readonly panel: PanelState;
}

/** The `/query` page. */
export function QueryPage() {
  const t = useT();
  const route = useRoute();
  const nextKey = useRef(0);
  const keyed = (panel: PanelState): Keyed => ({ key: nextKey.current++, panel });
  const [panels, setPanels] = useState<Keyed[]>(() => parsePanels(route.search).map(keyed));
  const [history, setHistory] = useState<readonly string[]>(loadHistory);
  const [localTime, setLocalTime] = useState(() => localStorage.getItem(LOCAL_TIME_KEY) === "true");

  useEffect(() => {
    const search = panelsToSearch(panels.map((k) => k.panel));
    if (search !== location.search) navigate(`/query${search}`, true);
  }, [panels]);

  const update = (key: number, panel: PanelState) =>
    setPanels((ps) => ps.map((k) => (k.key === key ? { key, panel } : k)));
  return (
    <div className="page" data-testid="page-query">
      <div className="page-head">
        <label className="control">
          <input
            type="checkbox"
            checked={localTime}
            onChange={(e) => {
              setLocalTime(e.target.checked);
              localStorage.setItem(LOCAL_TIME_KEY, String(e.target.checked));
            }}
          />
          <span>{t("query.useLocalTime")}</span>
        </label>
      </div>
      {panels.map((k) => (
        <Panel
          key={k.key}
          panel={k.panel}
          utc={!localTime}
          history={history}
          onHistory={setHistory}
          onChange={(p) => update(k.key, p)}
          onRemove={
            panels.length > 1 ? () => setPanels((ps) => ps.filter((x) => x.key !== k.key)) : undefined
          }
        />
      ))}
      <button
        type="button"
        onClick={() => setPanels((ps) => [...ps, keyed(DEFAULT_PANEL)])}
        data-testid="add-panel"
      >
        {t("query.addPanel")}
      </button>
    </div>
  );
}
