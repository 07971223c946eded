/**
 * The built-in notification templates Alertmanager parses before the user's
 * (upstream embeds `default.tmpl` and `email.tmpl`). Empty until the lead supplies
 * upstream-equivalent templates; `AlertmanagerTemplates.fromGlobs` parses this text.
 */
export const DEFAULT_TEMPLATES = "";
