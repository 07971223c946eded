/**
 * Loading an Alertmanager configuration's notification templates: Vigil's
 * built-in templates (upstream's `default.tmpl` and `email.tmpl`) first, then
 * the files of the `templates:` globs, which may redefine any of them.
 */
import { type AlertmanagerTemplateOptions, AlertmanagerTemplates } from "../../template/alertmanager.ts";
import { DEFAULT_TMPL } from "./default.ts";
import { EMAIL_TMPL } from "./email.ts";
import { defaultTemplateFuncs } from "./urlescape.ts";

/** The built-in templates' text, parsed before the user's. */
export const BUILTIN_TEMPLATES = DEFAULT_TMPL + EMAIL_TMPL;

/**
 * Upstream's `template.FromGlobs` with Vigil's built-in templates: parses
 * {@link BUILTIN_TEMPLATES} (with the helper functions they need), then every
 * file the globs match. Throws as {@link AlertmanagerTemplates.fromGlobs}.
 */
export function loadTemplates(
  globs: readonly string[],
  opts: Omit<AlertmanagerTemplateOptions, "defaultTemplates"> = {},
): Promise<AlertmanagerTemplates> {
  return AlertmanagerTemplates.fromGlobs(globs, {
    ...opts,
    defaultTemplates: BUILTIN_TEMPLATES,
    funcs: { ...defaultTemplateFuncs(), ...opts.funcs },
  });
}
