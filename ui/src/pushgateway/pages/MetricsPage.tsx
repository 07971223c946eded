/**
 * The pushgateway's groups (`/`, upstream's front page): each group's
 * grouping labels, last push and last failed push, then its families
 * (type, help, samples); a group can be deleted, all of them when the admin
 * API is on (`--web.enable-admin-api`), as upstream's page allows.
 */
import { useState } from "react";
import type { Labels } from "../../api/types.ts";
import { useApi } from "../../api/useApi.ts";
import { FilterBar, matchesText } from "../../components/Filter.tsx";
import { LabelBadges, StateBadge } from "../../components/Labels.tsx";
import { Loader } from "../../components/Loader.tsx";
import { type Translate, useT } from "../../i18n/i18n.ts";
import { formatTimestamp } from "../../lib/format.ts";
import {
  groupPath,
  type PgGroup,
  type PgStatus,
  PUSH_FAILURE_TIME,
  PUSH_TIME,
  pushTimeSeconds,
  toGroup,
} from "../api.ts";
import { FamilyView } from "./FamilyView.tsx";

/** The `/` page. */
export function PgMetricsPage() {
  const t = useT();
  const [text, setText] = useState("");
  const [groups, reload] = useApi<readonly Readonly<Record<string, unknown>>[]>("metrics", undefined, 15_000);
  const [status] = useApi<PgStatus>("status");
  const admin = status.state === "ok" && status.result.data.flags["web.enable-admin-api"] === "true";
  const [error, setError] = useState<string | undefined>();
  const send = async (method: "DELETE" | "PUT", path: string) => {
    setError(undefined);
    const res = await fetch(new URL(path, document.baseURI), { method });
    if (!res.ok) setError(`${res.status} ${(await res.text()).trim()}`);
    reload();
  };
  return (
    <div className="page" data-testid="page-pg-metrics">
      <div className="page-head">
        <h1>{t("pg.groups")}</h1>
        {admin && <WipeButton onWipe={() => void send("PUT", "api/v1/admin/wipe")} t={t} />}
      </div>
      <FilterBar text={text} onText={setText} />
      {error !== undefined && (
        <div className="alert error" role="alert">
          {t("common.error", { message: error })}
        </div>
      )}
      <Loader loaded={groups} reload={reload}>
        {(data) => {
          const all = data.map(toGroup);
          const shown = all.filter((g) =>
            matchesText(text, ...Object.entries(g.labels).flat(), ...g.families.map(([n]) => n)),
          );
          if (all.length === 0) return <p className="muted">{t("pg.noGroups")}</p>;
          if (shown.length === 0) return <p className="muted">{t("common.noMatch")}</p>;
          return shown.map((g) => (
            <GroupCard
              key={JSON.stringify(g.labels)}
              group={g}
              t={t}
              onDelete={() => void send("DELETE", groupPath(g.labels))}
            />
          ));
        }}
      </Loader>
    </div>
  );
}

function pushTime(seconds: number, t: Translate): string {
  return seconds === 0 ? t("common.never") : formatTimestamp(seconds * 1000, false);
}

function WipeButton({ onWipe, t }: { readonly onWipe: () => void; readonly t: Translate }) {
  const [confirm, setConfirm] = useState(false);
  return confirm ? (
    <button type="button" className="danger" data-testid="wipe-confirm" onClick={onWipe}>
      {t("pg.wipeConfirm")}
    </button>
  ) : (
    <button type="button" data-testid="wipe" onClick={() => setConfirm(true)}>
      {t("pg.wipe")}
    </button>
  );
}

function GroupCard(props: { readonly group: PgGroup; readonly t: Translate; readonly onDelete: () => void }) {
  const { group: g, t } = props;
  const [confirm, setConfirm] = useState(false);
  const pushed = pushTimeSeconds(g, PUSH_TIME);
  const failed = pushTimeSeconds(g, PUSH_FAILURE_TIME);
  return (
    <details className="card pool pg-group" data-testid="pg-group" open>
      <summary>
        <GroupLabels labels={g.labels} />
        {!g.last_push_successful && <StateBadge state="err" text={t("pg.lastPushFailed")} />}
        <span className="muted" data-testid="last-push">
          {t("pg.lastPush", { time: pushTime(pushed, t) })}
        </span>
        {failed > 0 && <span className="muted">{t("pg.lastFailure", { time: pushTime(failed, t) })}</span>}
        <span className="spacer" />
        {confirm ? (
          <button
            type="button"
            className="danger"
            data-testid="delete-group-confirm"
            onClick={(e) => {
              e.preventDefault();
              props.onDelete();
            }}
          >
            {t("pg.deleteConfirm")}
          </button>
        ) : (
          <button
            type="button"
            data-testid="delete-group"
            onClick={(e) => {
              e.preventDefault();
              setConfirm(true);
            }}
          >
            {t("pg.delete")}
          </button>
        )}
      </summary>
      {g.families.map(([name, f]) => (
        <FamilyView key={name} name={name} family={f} />
      ))}
    </details>
  );
}

function GroupLabels({ labels }: { readonly labels: Labels }) {
  const { job, ...rest } = labels;
  return (
    <>
      <span className="pool-name">job="{job}"</span>
      <LabelBadges labels={rest} />
    </>
  );
}
