/**
 * The silence editor's state, pure: start, duration and end kept consistent
 * as upstream's form does (a new start or duration moves the end, a new end
 * changes the duration), and validation into a `PostableSilence`.
 */
import type { MessageKey } from "../i18n/en.ts";
import { formatDuration, parseDuration } from "../lib/format.ts";
import type { PostableSilence, Silence } from "./api.ts";
import { fromSilenceMatcher, type Matcher, toSilenceMatcher } from "./matchers.ts";

/** What the form holds; times are RFC 3339 text, as typed. */
export interface SilenceForm {
  /** Set when editing an existing (active or pending) silence. */
  readonly id?: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: string;
  readonly duration: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
}

/** The fields a validation error can name. */
export type FormField = "matchers" | "startsAt" | "duration" | "endsAt" | "createdBy" | "comment";

/** The default length of a new silence, as upstream's UI. */
export const DEFAULT_DURATION = "2h";

/** A new silence from `now` for `matchers` (one empty row when none). */
export function newForm(now: number, matchers: readonly Matcher[], createdBy = ""): SilenceForm {
  return {
    matchers: matchers.length === 0 ? [{ name: "", op: "=", value: "" }] : matchers,
    startsAt: new Date(now).toISOString(),
    duration: DEFAULT_DURATION,
    endsAt: new Date(now + parseDuration(DEFAULT_DURATION)!).toISOString(),
    createdBy,
    comment: "",
  };
}

/** The form for `s`: an edit of it, or (expired, or `recreate`) a new silence with its matchers from `now`. */
export function formFromSilence(s: Silence, now: number, recreate = false): SilenceForm {
  const matchers = s.matchers.map(fromSilenceMatcher);
  if (recreate || s.status.state === "expired") {
    return { ...newForm(now, matchers, s.createdBy), comment: s.comment };
  }
  const start = Date.parse(s.startsAt);
  const end = Date.parse(s.endsAt);
  return {
    id: s.id,
    matchers,
    startsAt: s.startsAt,
    duration: formatDuration(Math.max(0, end - start)),
    endsAt: s.endsAt,
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

/** A new start: the end follows, the duration is kept. */
export function withStart(f: SilenceForm, startsAt: string): SilenceForm {
  const start = Date.parse(startsAt);
  const dur = parseDuration(f.duration);
  if (Number.isNaN(start) || dur === undefined) return { ...f, startsAt };
  return { ...f, startsAt, endsAt: new Date(start + dur).toISOString() };
}

/** A new duration: the end follows. */
export function withDuration(f: SilenceForm, duration: string): SilenceForm {
  const start = Date.parse(f.startsAt);
  const dur = parseDuration(duration);
  if (Number.isNaN(start) || dur === undefined) return { ...f, duration };
  return { ...f, duration, endsAt: new Date(start + dur).toISOString() };
}

/** A new end: the duration follows. */
export function withEnd(f: SilenceForm, endsAt: string): SilenceForm {
  const start = Date.parse(f.startsAt);
  const end = Date.parse(endsAt);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return { ...f, endsAt };
  return { ...f, endsAt, duration: formatDuration(end - start) };
}

/** The matchers that name a label (empty rows are ignored). */
export function filledMatchers(f: SilenceForm): Matcher[] {
  return f.matchers.filter((m) => m.name.trim() !== "");
}

/** The silence to post, or the message key of each invalid field. */
export function validate(
  f: SilenceForm,
):
  | { readonly ok: true; readonly silence: PostableSilence }
  | { readonly ok: false; readonly errors: Partial<Record<FormField, MessageKey>> } {
  const errors: Partial<Record<FormField, MessageKey>> = {};
  const matchers = filledMatchers(f);
  if (matchers.length === 0) errors.matchers = "am.form.errMatchers";
  else if (matchers.every(matchesEmpty)) errors.matchers = "am.form.errMatchesAll";
  const start = Date.parse(f.startsAt);
  const end = Date.parse(f.endsAt);
  if (Number.isNaN(start)) errors.startsAt = "am.form.errTime";
  if (Number.isNaN(end)) errors.endsAt = "am.form.errTime";
  else if (!Number.isNaN(start) && end <= start) errors.endsAt = "am.form.errEndBeforeStart";
  if (parseDuration(f.duration) === undefined) errors.duration = "am.form.errDuration";
  if (f.createdBy.trim() === "") errors.createdBy = "am.form.errRequired";
  if (f.comment.trim() === "") errors.comment = "am.form.errRequired";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    silence: {
      ...(f.id === undefined ? {} : { id: f.id }),
      matchers: matchers.map(toSilenceMatcher),
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      createdBy: f.createdBy.trim(),
      comment: f.comment,
    },
  };
}

/** Whether `m` matches an absent label (the empty value); an invalid regex counts as not matching. */
export function matchesEmpty(m: Matcher): boolean {
  if (m.op === "=") return m.value === "";
  if (m.op === "!=") return m.value !== "";
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`);
  } catch {
    return m.op === "!~";
  }
  return re.test("") === (m.op === "=~");
}
