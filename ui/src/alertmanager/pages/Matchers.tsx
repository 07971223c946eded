/** Matchers shown as badges (`name=~"value"`). */
import { formatMatcher, type Matcher } from "../matchers.ts";

/** One badge per matcher; `onRemove` adds a remove button to each. */
export function MatcherBadges(props: {
  readonly matchers: readonly Matcher[];
  readonly onRemove?: (index: number) => void;
  readonly removeLabel?: string;
}) {
  if (props.matchers.length === 0) return null;
  return (
    <span className="labels" data-testid="matchers">
      {props.matchers.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: matchers may repeat; position identifies them
        <span key={i} className="label-badge">
          {formatMatcher(m)}
          {props.onRemove !== undefined && (
            <button
              type="button"
              className="badge-remove"
              aria-label={props.removeLabel}
              onClick={() => props.onRemove?.(i)}
            >
              ×
            </button>
          )}
        </span>
      ))}
    </span>
  );
}
