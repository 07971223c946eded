/** The data source form of the dashboards UI, as data: its fields and the API body they make. */

/** The form's fields, Grafana's names. */
export interface DataSourceDraft {
  name: string;
  url: string;
  basicAuthUser: string;
  basicAuthPassword: string;
  headerName: string;
  headerValue: string;
  isDefault: boolean;
}

export const EMPTY_DRAFT: DataSourceDraft = {
  name: "",
  url: "",
  basicAuthUser: "",
  basicAuthPassword: "",
  headerName: "",
  headerValue: "",
  isDefault: false,
};

/** The body of `POST /api/datasources` for a draft. */
export function dataSourceBody(d: DataSourceDraft): Record<string, unknown> {
  const basic = d.basicAuthUser !== "";
  const header = d.headerName !== "";
  return {
    name: d.name,
    type: "prometheus",
    access: "proxy",
    url: d.url,
    isDefault: d.isDefault,
    basicAuth: basic,
    ...(basic ? { basicAuthUser: d.basicAuthUser } : {}),
    jsonData: header ? { httpHeaderName1: d.headerName } : {},
    secureJsonData: {
      ...(basic ? { basicAuthPassword: d.basicAuthPassword } : {}),
      ...(header ? { httpHeaderValue1: d.headerValue } : {}),
    },
  };
}
