/**
 * The message catalogue in use: `useT()` returns `t(key, vars)` for the
 * current language, which is remembered in localStorage (`vigil.lang`) and
 * defaults to the browser's when it is Korean.
 */
import { useSyncExternalStore } from "react";
import { en, type MessageKey } from "./en.ts";
import { ko } from "./ko.ts";

/** The languages the UI speaks. */
export type Lang = "en" | "ko";

/** The languages with their own names, for the switch. */
export const LANGUAGES: readonly { readonly lang: Lang; readonly label: string }[] = [
  { lang: "en", label: "English" },
  { lang: "ko", label: "한국어" },
];

const CATALOGUES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, ko };
const STORAGE_KEY = "vigil.lang";
const listeners = new Set<() => void>();

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "en" || stored === "ko") return stored;
  return navigator.language.toLowerCase().startsWith("ko") ? "ko" : "en";
}

let current: Lang = initialLang();
document.documentElement.lang = current;

/** Switches the language and remembers it. */
export function setLang(lang: Lang): void {
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  for (const l of listeners) l();
}

/** Translates `key` into `lang`, filling `{name}` placeholders from `vars`. */
export function translate(
  lang: Lang,
  key: MessageKey,
  vars?: Readonly<Record<string, string | number>>,
): string {
  const text = CATALOGUES[lang][key];
  if (vars === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A translator bound to one language. */
export type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The current language; re-renders on a switch. */
export function useLang(): Lang {
  return useSyncExternalStore(subscribe, () => current);
}

/** The translator for the current language; re-renders on a switch. */
export function useT(): Translate {
  const lang = useLang();
  return (key, vars) => translate(lang, key, vars);
}
