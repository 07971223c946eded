/**
 * Dark and light themes: the choice sets `data-theme` on `<html>` (the CSS
 * variables in `styles.css` follow it), is remembered in localStorage
 * (`vigil.theme`) and defaults to the system's preference.
 */
import { useSyncExternalStore } from "react";

/** The two themes. */
export type Theme = "light" | "dark";

const STORAGE_KEY = "vigil.theme";
const listeners = new Set<() => void>();

function initialTheme(): Theme {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "light" || stored === "dark") return stored;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

let current: Theme = initialTheme();
document.documentElement.dataset.theme = current;

/** Switches the theme and remembers it. */
export function setTheme(theme: Theme): void {
  current = theme;
  localStorage.setItem(STORAGE_KEY, theme);
  document.documentElement.dataset.theme = theme;
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The current theme; re-renders on a switch. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, () => current);
}
