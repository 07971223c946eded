/**
 * An `inhibit_rules` entry (upstream's `InhibitRule`): source and target
 * matchers — the `matchers` lists and the deprecated `match` / `match_re`
 * maps — and the `equal` label names.
 */
import { list, object, type Schema, type Site, str } from "../../config/decode.ts";
import { goQuote } from "../../model/labels/strings.ts";
import { isValidLabelName } from "../matcher/compat.ts";
import { matchersSchema, matchMapSchema, matchRegexpsSchema } from "./matchers.ts";
import type { InhibitRuleConfig } from "./types.ts";

function finish(draft: Record<string, unknown>, site: Site): InhibitRuleConfig {
  const r = draft as unknown as InhibitRuleConfig;
  for (const l of r.equal) {
    if (!isValidLabelName(l)) throw site.error(`invalid label name ${goQuote(l)} in equal list`, "equal");
  }
  return r;
}

/** One inhibition rule. */
export const inhibitRuleSchema: Schema<InhibitRuleConfig> = object<InhibitRuleConfig>(
  "common.plain",
  {
    name: { schema: str },
    source_match: { schema: matchMapSchema },
    source_match_re: { schema: matchRegexpsSchema },
    source_matchers: { schema: matchersSchema },
    target_match: { schema: matchMapSchema },
    target_match_re: { schema: matchRegexpsSchema },
    target_matchers: { schema: matchersSchema },
    equal: { schema: list(str) },
  },
  { finish },
);
