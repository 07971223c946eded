/** The loaded configuration (`status/config`) as highlighted YAML. */
import { useApi } from "../../api/useApi.ts";
import { Loader } from "../../components/Loader.tsx";
import { YamlView } from "../../components/Yaml.tsx";
import { useT } from "../../i18n/i18n.ts";

/** The `/config` page. */
export function ConfigPage() {
  const t = useT();
  const [config, reload] = useApi<{ readonly yaml: string }>("status/config");
  return (
    <div className="page" data-testid="page-config">
      <div className="page-head">
        <h1>{t("status.config")}</h1>
        {config.state === "ok" && (
          <button type="button" onClick={() => void navigator.clipboard?.writeText(config.result.data.yaml)}>
            {t("status.copy")}
          </button>
        )}
      </div>
      <Loader loaded={config} reload={reload}>
        {(data) => <YamlView text={data.yaml} />}
      </Loader>
    </div>
  );
}
