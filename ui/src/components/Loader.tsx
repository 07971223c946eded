/** Renders a {@link Loaded} value: a spinner, an error with a retry button, or `children(data)`. */
import type { ReactNode } from "react";
import type { ApiResult } from "../api/client.ts";
import type { Loaded } from "../api/useApi.ts";
import { useT } from "../i18n/i18n.ts";

/** Shows `loaded` while loading or failed; renders `children` with the data once loaded. */
export function Loader<T>(props: {
  readonly loaded: Loaded<T>;
  readonly reload?: () => void;
  readonly children: (data: T, result: ApiResult<T>) => ReactNode;
}) {
  const t = useT();
  const { loaded } = props;
  if (loaded.state === "loading") return <p className="muted">{t("common.loading")}</p>;
  if (loaded.state === "error") {
    return (
      <div className="alert error" role="alert">
        {t("common.error", { message: loaded.message })}
        {props.reload !== undefined && (
          <button type="button" onClick={props.reload}>
            {t("common.retry")}
          </button>
        )}
      </div>
    );
  }
  return <>{props.children(loaded.result.data, loaded.result)}</>;
}
