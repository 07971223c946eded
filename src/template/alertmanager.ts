/**
 * Alertmanager's notification templates (`template/template.go` of Alertmanager
 * 0.33): the default function map, and {@link AlertmanagerTemplates}, upstream's
 * `Template` (a text and an HTML template set loaded from the default templates and
 * the `templates:` globs) with `executeText`/`executeHTML`.
 */

import { glob } from "../discovery/file/glob.ts";
import { buildData, type Data, type DataInput } from "./amdata.ts";
import { DEFAULT_TEMPLATES } from "./default_templates.ts";
import { type FuncMap, goFunc } from "./funcs.ts";
import { goJSON } from "./gojson.ts";
import { SafeHTML, SafeURL } from "./htmlescape.ts";
import { convertToFloat, humanizeDuration } from "./humanize.ts";
import { matchString, mustCompile, replaceAllString } from "./regexp.ts";
import { casesTitle, queryUnescape, toLower, toUpper, trimSpace } from "./strings.ts";
import { Template } from "./template.ts";
import { GoDuration, GoTime } from "./time.ts";
import { kindOf, strOf, typedSlice } from "./values.ts";
import { loadLocation, localLocation } from "./zoneinfo.ts";

const ANY = "interface {}";

/** Clock used by `now` and `since` (ms since the epoch); replaceable in tests. */
export interface Clock {
  now(): number;
}

const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** Alertmanager 0.33's `DefaultFuncs`. */
export function alertmanagerFuncs(clock: Clock = SYSTEM_CLOCK): FuncMap {
  return {
    toUpper: goFunc(["string"], toUpper),
    toLower: goFunc(["string"], toLower),
    title: goFunc(["string"], casesTitle),
    trimSpace: goFunc(["string"], trimSpace),
    join: goFunc(["string", "[]string"], (sep: string, s: string[] | undefined) => (s ?? []).join(sep)),
    match: goFunc(["string", "string"], matchString),
    safeHtml: goFunc(["string"], (s: string) => new SafeHTML(s)),
    safeUrl: goFunc(["string"], (s: string) => new SafeURL(s)),
    urlUnescape: goFunc(["string"], queryUnescape),
    reReplaceAll: goFunc(["string", "string", "string"], (p: string, repl: string, text: string) =>
      replaceAllString(mustCompile(p), text, repl),
    ),
    stringSlice: goFunc([], (...s: string[]) => typedSlice(s, "string"), "string"),
    date: goFunc(["string", "time.Time"], (layout: string, t: GoTime) => t.Format(layout)),
    tz: goFunc(["string", "time.Time"], (name: string, t: GoTime) => t.In(loadLocation(name))),
    since: goFunc(["time.Time"], (t: GoTime) => {
      const nowNs = BigInt(Math.round(clock.now() * 1e6));
      return new GoDuration(nowNs - t.UnixNano());
    }),
    humanizeDuration: goFunc([ANY], (v: unknown) => humanizeDuration(convertToFloat(v, true))),
    toJson: goFunc([ANY], goJSON),
    list: goFunc([], (...a: unknown[]) => [...a], ANY),
    dict: goFunc(
      [],
      (...a: unknown[]) => {
        if (a.length % 2 !== 0) throw new Error("dict requires an even number of arguments");
        const m = new Map<string, unknown>();
        for (let i = 0; i < a.length; i += 2) {
          if (kindOf(a[i]) !== "string") throw new Error("dict keys must be strings");
          m.set(strOf(a[i]), a[i + 1]);
        }
        return m;
      },
      ANY,
    ),
    append: goFunc(
      ["[]interface {}"],
      (s: unknown[] | undefined, ...a: unknown[]) => [...(s ?? []), ...a],
      ANY,
    ),
    now: goFunc([], () => GoTime.fromMillis(clock.now(), localLocation())),
  };
}

/** Options of {@link AlertmanagerTemplates.fromGlobs}. */
export interface AlertmanagerTemplateOptions {
  /** The built-in templates parsed before the user's (default: {@link DEFAULT_TEMPLATES}). */
  readonly defaultTemplates?: string;
  /** `--web.external-url`, for {@link AlertmanagerTemplates.data}. */
  readonly externalURL?: string;
  /** Extra functions (upstream's `Option`s); the default functions take precedence. */
  readonly funcs?: FuncMap;
  readonly clock?: Clock;
}

/** Upstream's `template.Template`: a text and an HTML template set. */
export class AlertmanagerTemplates {
  readonly #text: Template;
  readonly #html: Template;
  /** The external URL put into {@link Data.ExternalURL} by {@link AlertmanagerTemplates.data}. */
  readonly externalURL: string;

  private constructor(text: Template, html: Template, externalURL: string) {
    this.#text = text;
    this.#html = html;
    this.externalURL = externalURL;
  }

  /**
   * Upstream's `FromGlobs`: the default templates, then every file matched by each
   * glob (files parse as templates named by their base name; a glob matching nothing is
   * allowed). Throws TemplateError on a parse error, Error on a bad glob.
   */
  static async fromGlobs(
    paths: readonly string[],
    opts: AlertmanagerTemplateOptions = {},
  ): Promise<AlertmanagerTemplates> {
    const funcs = alertmanagerFuncs(opts.clock);
    const text = Template.new("").option("missingkey=zero");
    const html = Template.new("", { escapeHTML: true }).option("missingkey=zero");
    for (const t of [text, html]) {
      if (opts.funcs !== undefined) t.funcs(opts.funcs);
      t.funcs(funcs);
      t.parse(opts.defaultTemplates ?? DEFAULT_TEMPLATES);
    }
    for (const p of paths) {
      const files = await glob(p);
      if (files.length === 0) continue;
      await text.parseFiles(...files);
      await html.parseFiles(...files);
    }
    return new AlertmanagerTemplates(text, html, opts.externalURL ?? "");
  }

  /** Upstream's `ExecuteTextString`: "" for "", else `text` parsed in a clone of the set and executed. */
  executeText(text: string, data: unknown): Promise<string> {
    return execute(this.#text, text, data);
  }

  /** Upstream's `ExecuteHTMLString` (html/template escaping of action output). */
  executeHTML(text: string, data: unknown): Promise<string> {
    return execute(this.#html, text, data);
  }

  /** Upstream's `Template.Data`, with this set's external URL. */
  data(input: Omit<DataInput, "externalURL">): Data {
    return buildData({ ...input, externalURL: this.externalURL });
  }

  /** Names of all defined templates (sorted). */
  templateNames(): string[] {
    return this.#text.templates().map((t) => t.name);
  }
}

async function execute(set: Template, text: string, data: unknown): Promise<string> {
  if (text === "") return "";
  const tmpl = set.clone().new("").option("missingkey=zero").parse(text);
  return tmpl.execute(data);
}
