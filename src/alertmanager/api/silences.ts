/**
 * `GET/POST /api/v2/silences`, `GET/DELETE /api/v2/silence/{id}` (upstream
 * `getSilencesHandler`, `postSilencesHandler`, `getSilenceHandler`,
 * `deleteSilenceHandler`).
 */
import type { Matcher } from "../matcher/matcher.ts";
import { SilenceNotFoundError } from "../silence/silences.ts";
import type { Silence } from "../silence/types.ts";
import { parseFilter } from "./alerts.ts";
import { decodePostableSilence } from "./decode.ts";
import type { APIv2Deps } from "./deps.ts";
import { gettableSilenceJSON, sortSilences } from "./json.ts";
import { jsonReply, type Reply, stringReply } from "./reply.ts";

/** Upstream's `CheckSilenceMatchesFilterLabels`: every filter matcher equals one of the silence's matchers. */
export function silenceMatchesFilter(s: Silence, filter: readonly Matcher[]): boolean {
  return filter.every((f) =>
    s.matchers.some((m) => m.name === f.name && m.type === f.type && m.pattern === f.value),
  );
}

/** `GET /api/v2/silences`. */
export function getSilences(deps: APIv2Deps, params: URLSearchParams, now: number): Reply {
  let filter: Matcher[];
  try {
    filter = parseFilter(params.getAll("filter"));
  } catch (err) {
    return stringReply(400, err instanceof Error ? err.message : String(err));
  }
  const sils = sortSilences(
    deps.silences.query().filter((s) => silenceMatchesFilter(s, filter)),
    now,
  );
  return jsonReply(200, `[${sils.map((s) => gettableSilenceJSON(s, now)).join(",")}]`);
}

/** `GET /api/v2/silence/{id}`: 404 with no body when unknown. */
export function getSilence(deps: APIv2Deps, id: string, now: number): Reply {
  const [s] = deps.silences.query({ ids: [id] });
  if (s === undefined) return { status: 404 };
  return jsonReply(200, gettableSilenceJSON(s, now));
}

/** `DELETE /api/v2/silence/{id}`: expires it; 404 with no body when unknown. */
export function deleteSilence(deps: APIv2Deps, id: string): Reply {
  try {
    deps.silences.expire(id);
  } catch (err) {
    if (err instanceof SilenceNotFoundError) return { status: 404 };
    return stringReply(500, String(err));
  }
  return { status: 200 };
}

/** `POST /api/v2/silences`: creates or updates a silence; `{"silenceID":…}`. */
export function postSilences(deps: APIv2Deps, body: string, now: number): Reply {
  const p = decodePostableSilence(body);
  if (p.startsAt >= p.endsAt)
    return stringReply(400, "Failed to create silence: start time must be before end time");
  if (p.endsAt < now) return stringReply(400, "Failed to create silence: end time can't be in the past");
  let id: string;
  try {
    id = deps.silences.set({ ...p, updatedAt: 0 });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return stringReply(err instanceof SilenceNotFoundError ? 404 : 400, msg);
  }
  return jsonReply(200, `{"silenceID":"${id}"}`);
}
