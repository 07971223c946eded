/** The query history: the last 50 distinct executed expressions, newest first, in localStorage. */

const KEY = "vigil.queryHistory";
const MAX = 50;

/** The stored history. */
export function loadHistory(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Puts `expr` first in the history and returns the new history. */
export function addToHistory(expr: string): string[] {
  const e = expr.trim();
  if (e === "") return loadHistory();
  const next = [e, ...loadHistory().filter((x) => x !== e)].slice(0, MAX);
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}
