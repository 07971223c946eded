/**
 * The matcher fields of routes and inhibit rules: `matchers` (a list of
 * matcher strings, parsed with the configured parser and sorted), and the
 * deprecated `match` / `match_re` maps whose keys must be legacy label names.
 */
import { isScalar, type Node } from "yaml";
import {
  configError,
  type DecodeContext,
  GoMap,
  isNullNode,
  joinPath,
  list,
  map,
  type Schema,
  scalarText,
  str,
  typeErrorReason,
} from "../../config/decode.ts";
import type { LogAttrs, Logger } from "../../log/log.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { isValidLegacyLabelName } from "../../model/labels/validate.ts";
import { parseMatchers } from "../matcher/compat.ts";
import { Matcher, sortMatchers } from "../matcher/matcher.ts";

/** A logger that turns the parser's fallback warnings into config warnings. */
function warningsLogger(ctx: DecodeContext): Logger {
  const push = (msg: string, attrs: LogAttrs = {}): void => {
    const extra = Object.entries(attrs)
      .map(([k, v]) => `${k}=${goQuote(String(v))}`)
      .join(" ");
    ctx.warnings.push(extra === "" ? msg : `${msg} ${extra}`);
  };
  const logger: Logger = { debug: () => {}, info: () => {}, warn: push, error: push, with: () => logger };
  return logger;
}

function decodeLine(node: Node | null, ctx: DecodeContext, path: string): Matcher[] {
  if (isNullNode(node)) return [];
  if (!isScalar(node)) throw configError(ctx, node, path, typeErrorReason(node as Node, "string"));
  try {
    return parseMatchers(scalarText(node), "config", { logger: warningsLogger(ctx) });
  } catch (err) {
    throw configError(ctx, node, path, (err as Error).message, err);
  }
}

/** Upstream's `config.Matchers`: each line holds one or more matchers; the result is sorted. */
export const matchersSchema: Schema<readonly Matcher[]> = {
  typeName: "config.Matchers",
  decode(node, ctx, path) {
    const lines = list<Node | null>({ typeName: "string", decode: (n) => n, encode: (v) => v }).decode(
      node,
      ctx,
      path,
    );
    return sortMatchers(lines.flatMap((line, i) => decodeLine(line, ctx, joinPath(path, i))));
  },
  encode: (ms) => ms.map((m) => m.toString()),
  isZero: (ms) => ms.length === 0,
};

function legacyKey(key: string): string | undefined {
  return isValidLegacyLabelName(key) ? undefined : `invalid label name ${goQuote(key)}`;
}

/** The deprecated `match` / `source_match` / `target_match`: legacy label names to values. */
export const matchMapSchema: Schema<Readonly<Record<string, string>>> = map(str, {
  typeName: "map[string]string",
  checkKey: legacyKey,
});

/** Upstream's `Regexp`: compiled as `^(?:re)$` to validate (Go's message on error), kept as written. */
const regexpSchema: Schema<string | undefined> = {
  typeName: "config.Regexp",
  decode(node, ctx, path) {
    if (isNullNode(node)) return undefined;
    if (!isScalar(node)) throw configError(ctx, node, path, typeErrorReason(node as Node, "string"));
    const s = scalarText(node);
    try {
      Matcher.create("=~", "", s);
    } catch (err) {
      throw configError(ctx, node, path, (err as Error).message, err);
    }
    return s;
  },
  encode: (v) => (v === undefined || v === "" ? null : v),
};

const regexpMap = map(regexpSchema, { typeName: "config.MatchRegexps", checkKey: legacyKey });

/** The deprecated `match_re` maps: legacy label names to regexes (`invalid regexp value for "x"` when null). */
export const matchRegexpsSchema: Schema<Readonly<Record<string, string>>> = {
  typeName: "config.MatchRegexps",
  decode(node, ctx, path) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(regexpMap.decode(node, ctx, path))) {
      if (v === undefined) throw configError(ctx, node, path, `invalid regexp value for ${goQuote(k)}`);
      out[k] = v;
    }
    return out;
  },
  encode: (v) => GoMap.of(v),
  isZero: (v) => Object.keys(v).length === 0,
};
