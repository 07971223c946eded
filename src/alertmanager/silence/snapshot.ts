/**
 * The on-disk snapshot of the silences (`<storage.path>/silences`). Upstream
 * writes length-delimited protobuf `MeshSilence` records; Vigil writes one
 * JSON document, `{"format":"vigil-silences/1","entries":[{"silence":…,"expiresAt":ms}]}`,
 * replaced atomically (temp file, fsync, rename) as upstream does
 * (`maintenance/file.ts`).
 */
import type { MatchType } from "../matcher/matcher.ts";
import type { Silence } from "./types.ts";

/** A stored silence and when it may be garbage-collected (`endsAt + retention`). */
export interface SilenceEntry {
  readonly silence: Silence;
  readonly expiresAt: number;
}

const FORMAT = "vigil-silences/1";
const TYPES: readonly MatchType[] = ["=", "!=", "=~", "!~"];

/** Serialises entries to the snapshot format. */
export function encodeSilences(entries: Iterable<SilenceEntry>): string {
  return JSON.stringify({ format: FORMAT, entries: [...entries] });
}

function num(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`invalid silences snapshot: bad ${what}`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== "string") throw new Error(`invalid silences snapshot: bad ${what}`);
  return v;
}

function decodeSilence(raw: Record<string, unknown>): Silence {
  if (!Array.isArray(raw.matchers)) throw new Error("invalid silences snapshot: bad matchers");
  const matchers = raw.matchers.map((m: Record<string, unknown>) => {
    const type = str(m.type, "matcher type") as MatchType;
    if (!TYPES.includes(type)) throw new Error(`invalid silences snapshot: unknown matcher type ${type}`);
    return { type, name: str(m.name, "matcher name"), pattern: str(m.pattern, "matcher pattern") };
  });
  const s: Silence = {
    id: str(raw.id, "id"),
    matchers,
    startsAt: num(raw.startsAt, "startsAt"),
    endsAt: num(raw.endsAt, "endsAt"),
    updatedAt: num(raw.updatedAt, "updatedAt"),
    createdBy: str(raw.createdBy ?? "", "createdBy"),
    comment: str(raw.comment ?? "", "comment"),
  };
  const ann = raw.annotations;
  return ann !== undefined && ann !== null ? { ...s, annotations: ann as Record<string, string> } : s;
}

/** Parses a snapshot; throws `invalid silences snapshot: …` on anything else (an upstream protobuf file included). */
export function decodeSilences(text: string): SilenceEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(
      "invalid silences snapshot: not a Vigil snapshot (upstream's protobuf snapshots are not read)",
    );
  }
  const d = doc as { format?: unknown; entries?: unknown };
  if (d.format !== FORMAT || !Array.isArray(d.entries))
    throw new Error("invalid silences snapshot: unknown format");
  return d.entries.map((e: Record<string, unknown>) => ({
    silence: decodeSilence(e.silence as Record<string, unknown>),
    expiresAt: num(e.expiresAt, "expiresAt"),
  }));
}
