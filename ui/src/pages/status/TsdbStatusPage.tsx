/** The TSDB status (`status/tsdb`): head statistics and the top-10 cardinality tables. */
import type { TsdbStat, TsdbStatus } from "../../api/types.ts";
import { useApi } from "../../api/useApi.ts";
import { Loader } from "../../components/Loader.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { useT } from "../../i18n/i18n.ts";
import { formatTimestamp } from "../../lib/format.ts";

function StatTable(props: {
  readonly title: MessageKey;
  readonly rows: readonly TsdbStat[] | null;
  readonly valueTitle: MessageKey;
}) {
  const t = useT();
  return (
    <section className="card">
      <h2>{t(props.title)}</h2>
      <table className="table">
        <thead>
          <tr>
            <th>{t("common.name")}</th>
            <th className="num">{t(props.valueTitle)}</th>
          </tr>
        </thead>
        <tbody>
          {(props.rows ?? []).map((r) => (
            <tr key={r.name}>
              <td className="mono">{r.name}</td>
              <td className="num">{r.value.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function timeOf(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15
    ? `${formatTimestamp(ms, true)} UTC (${ms})`
    : String(ms);
}

/** The `/tsdb-status` page. */
export function TsdbStatusPage() {
  const t = useT();
  const [status, reload] = useApi<TsdbStatus>("status/tsdb");
  return (
    <div className="page" data-testid="page-tsdb-status">
      <h1>{t("nav.tsdb")}</h1>
      <Loader loaded={status} reload={reload}>
        {(s) => (
          <>
            <section className="card">
              <h2>{t("tsdb.head")}</h2>
              <div className="stat-grid">
                <Stat label={t("tsdb.numSeries")} value={s.headStats.numSeries.toLocaleString()} />
                <Stat label={t("tsdb.chunkCount")} value={s.headStats.chunkCount.toLocaleString()} />
                <Stat label={t("tsdb.numLabelPairs")} value={s.headStats.numLabelPairs.toLocaleString()} />
                <Stat label={t("tsdb.minTime")} value={timeOf(s.headStats.minTime)} />
                <Stat label={t("tsdb.maxTime")} value={timeOf(s.headStats.maxTime)} />
              </div>
            </section>
            <StatTable title="tsdb.byMetric" rows={s.seriesCountByMetricName} valueTitle="common.count" />
            <StatTable
              title="tsdb.byLabelCardinality"
              rows={s.labelValueCountByLabelName}
              valueTitle="common.count"
            />
            <StatTable title="tsdb.byMemory" rows={s.memoryInBytesByLabelName} valueTitle="tsdb.bytes" />
            <StatTable title="tsdb.byPair" rows={s.seriesCountByLabelValuePair} valueTitle="common.count" />
          </>
        )}
      </Loader>
    </div>
  );
}

function Stat({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
    </div>
  );
}
