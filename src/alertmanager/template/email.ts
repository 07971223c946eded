/**
 * `email.default.subject` and `email.default.html`, rendering what
 * Alertmanager 0.33's `email.tmpl` renders through Go's html/template.
 *
 * The markup and inline styles derive from Mailgun's transactional email
 * templates (https://github.com/mailgun/transactional-email-templates,
 * MIT License, Copyright (c) 2014 Mailgun), as upstream's do. Go's
 * html/template drops HTML comments from template text, so the license
 * comment upstream keeps in its template never reaches a mail; it lives here.
 *
 * Vigil's HTML mode only models the HTML-text context, so the three URL
 * attributes call the escapers html/template would insert there
 * (`__urlNormalize`, see `urlescape.ts`) explicitly.
 */

const FONT = "font-family: 'Helvetica Neue', Helvetica, Arial, sans-serif; box-sizing: border-box;";
/** The style nearly every element carries. */
const BASE = `margin: 0; ${FONT} font-size: 14px;`;
const TOP = `${BASE} vertical-align: top;`;
const BLOCK = `${TOP} padding: 0 0 20px;`;

const tr = (body: string, indent: string): string => `${indent}<tr style="${BASE}">\n${body}${indent}</tr>\n`;
const br = `<br style="${BASE}">`;
const strong = (s: string): string => `<strong style="${BASE}">${s}</strong>`;

/** A content-block cell of the alert table (20 spaces of indentation inside). */
function blockRow(lines: readonly string[]): string {
  const cell = `                  <td class="content-block" style="${BLOCK}" valign="top">\n${lines.map((l) => `                    ${l}\n`).join("")}                  </td>\n`;
  return tr(cell, "                ");
}

const CSS = `@media only screen and (max-width: 640px) {
  body {
    padding: 0 !important;
  }

  h1,
h2,
h3,
h4 {
    font-weight: 800 !important;
    margin: 20px 0 5px !important;
  }

  h1 {
    font-size: 22px !important;
  }

  h2 {
    font-size: 18px !important;
  }

  h3 {
    font-size: 16px !important;
  }

  .container {
    padding: 0 !important;
    width: 100% !important;
  }

  .content {
    padding: 0 !important;
  }

  .content-wrap {
    padding: 10px !important;
  }

  .invoice {
    width: 100% !important;
  }
}
`;

/** The coloured header cell: warning (some firing) or good (all resolved). */
function headerCell(kind: "warning" | "good", color: string, pairSuffix: string): string {
  const style = `margin: 0; ${FONT} vertical-align: top; font-size: 16px; color: #fff; font-weight: 500; padding: 20px; text-align: center; border-radius: 3px 3px 0 0; background-color: ${color};`;
  return (
    `            <td class="alert alert-${kind}" style="${style}" valign="top" align="center" bgcolor="${color}">\n` +
    `              {{ len .Alerts }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}\n` +
    `                {{ .Name }}={{ .Value }}${pairSuffix}\n` +
    "              {{ end }}\n" +
    "            </td>\n"
  );
}

const HEADER =
  "            {{ if .Alerts.Firing }}\n" +
  headerCell("warning", "#E6522C", "") +
  "            {{ else }}\n" +
  headerCell("good", "#68B90F", " ") +
  "            {{ end }}\n";

const BUTTON_STYLE = `${BASE} text-decoration: none; color: #FFF; background-color: #348eda; border: solid #348eda; border-width: 10px 20px; line-height: 2em; font-weight: bold; text-align: center; cursor: pointer; display: inline-block; border-radius: 5px; text-transform: capitalize;`;
const ALERTMANAGER_HREF = `{{ __urlNormalize .ExternalURL }}/#/alerts?receiver={{ urlquery .Receiver }}`;

/** One row per alert of `.Alerts.<kind>`: labels, annotations, source link. */
function alertRows(kind: "Firing" | "Resolved"): string {
  const pairs = (f: string): string =>
    `{{ range .${f}.SortedPairs }}{{ .Name }} = {{ .Value }}${br}{{ end }}`;
  return `                {{ range .Alerts.${kind} }}\n${blockRow([
    `${strong("Labels")}${br}`,
    pairs("Labels"),
    `{{ if .Annotations }}${strong("Annotations")}${br}{{ end }}`,
    pairs("Annotations"),
    `<a href="{{ __urlNormalize .GeneratorURL }}" style="${BASE} color: #348eda; text-decoration: underline;">Source</a>${br}`,
  ])}                {{ end }}\n`;
}

const ALERT_TABLE =
  `              <table width="100%" cellpadding="0" cellspacing="0" style="${BASE}">\n` +
  blockRow([
    `<a href="${ALERTMANAGER_HREF}" class="btn-primary" style="${BUTTON_STYLE}">View in {{ template "__alertmanager" . }}</a>`,
  ]) +
  `                {{ with .Alerts.Firing }}\n${blockRow([strong("[{{ len . }}] Firing")])}                {{ end }}\n` +
  alertRows("Firing") +
  "\n                {{ if .Alerts.Resolved }}\n" +
  `                  {{ if .Alerts.Firing }}\n${blockRow([br, `<hr style="${BASE}">`, br])}                  {{ end }}\n` +
  `${blockRow([strong("[{{ len .Alerts.Resolved }}] Resolved")])}                {{ end }}\n` +
  alertRows("Resolved") +
  "              </table>\n";

const FOOTER_STYLE = `margin: 0; ${FONT} vertical-align: top; padding: 0 0 20px; text-align: center; color: #999; font-size: 12px;`;
const FOOTER =
  `        <div class="footer" style="${BASE} width: 100%; clear: both; color: #999; padding: 20px;">\n` +
  `          <table width="100%" style="${BASE}">\n` +
  tr(
    `              <td class="aligncenter content-block" style="${FOOTER_STYLE}" valign="top" align="center"><a href="{{ __urlNormalize .ExternalURL }}" style="margin: 0; ${FONT} text-decoration: underline; color: #999; font-size: 12px;">Sent by {{ template "__alertmanager" . }}</a></td>\n`,
    "            ",
  ) +
  "          </table>\n" +
  "        </div></div>\n";

const MAIN_TABLE =
  `        <table class="main" width="100%" cellpadding="0" cellspacing="0" style="${BASE} background-color: #fff; border: 1px solid #e9e9e9; border-radius: 3px;" bgcolor="#fff">\n` +
  tr(HEADER, "          ") +
  tr(
    `            <td class="content-wrap" style="${TOP} padding: 30px;" valign="top">\n${ALERT_TABLE}            </td>\n`,
    "          ",
  ) +
  "        </table>\n\n";

const EMPTY_CELL = `    <td style="${TOP}" valign="top"></td>\n`;

const BODY =
  `<body itemscope itemtype="https://schema.org/EmailMessage" style="${BASE} -webkit-font-smoothing: antialiased; -webkit-text-size-adjust: none; height: 100%; line-height: 1.6em; background-color: #f6f6f6; width: 100%;">\n\n` +
  `<table class="body-wrap" style="${BASE} background-color: #f6f6f6; width: 100%;" width="100%" bgcolor="#f6f6f6">\n` +
  tr(
    EMPTY_CELL +
      `    <td class="container" width="600" style="${FONT} font-size: 14px; vertical-align: top; display: block; max-width: 600px; margin: 0 auto; clear: both;" valign="top">\n` +
      `      <div class="content" style="${FONT} font-size: 14px; max-width: 600px; margin: 0 auto; display: block; padding: 20px;">\n` +
      MAIN_TABLE +
      FOOTER +
      "    </td>\n" +
      EMPTY_CELL,
    "  ",
  ) +
  "</table>\n\n</body>\n";

const HTML =
  "\n\n" +
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
  `<html xmlns="http://www.w3.org/1999/xhtml" style="${BASE}">\n` +
  "<head>\n" +
  '<meta name="viewport" content="width=device-width">\n' +
  '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n' +
  '<title>{{ template "__subject" . }}</title>\n' +
  `<style>\n${CSS}</style>\n` +
  "</head>\n\n" +
  BODY +
  "</html>\n\n";

/** The templates of upstream's `email.tmpl` (needs the functions of `urlescape.ts`). */
export const EMAIL_TMPL =
  `{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}\n` +
  `{{ define "email.default.html" }}${HTML}{{ end }}\n`;
