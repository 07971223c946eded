/** Label sets as badges, and state/health badges. */
import type { Labels } from "../api/types.ts";

/** One badge per label, `name="value"`; `__name__` first when present. */
export function LabelBadges({ labels }: { readonly labels: Labels }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return null;
  return (
    <span className="labels">
      {entries.map(([k, v]) => (
        <span key={k} className="label-badge">
          {k}="{v}"
        </span>
      ))}
    </span>
  );
}

/** The colour classes of states and healths. */
export type Tone = "ok" | "warn" | "bad" | "neutral";

const TONES: Readonly<Record<string, Tone>> = {
  up: "ok",
  ok: "ok",
  inactive: "ok",
  pending: "warn",
  unknown: "neutral",
  firing: "bad",
  down: "bad",
  err: "bad",
};

/** A coloured badge for a state (`firing`, `up`, `err`, …) showing `text`. */
export function StateBadge({ state, text }: { readonly state: string; readonly text: string }) {
  return <span className={`state-badge tone-${TONES[state] ?? "neutral"}`}>{text}</span>;
}
