/**
 * Imports every discovery mechanism so each registers itself
 * (`static_configs`, `file_sd_configs`, `http_sd_configs`, `dns_sd_configs`,
 * `kubernetes_sd_configs`).
 * The config loader and the server import this module once.
 */
import "./static/static.ts";
import "./file/file.ts";
import "./http/http.ts";
import "./dns/dns.ts";
import "./kubernetes/kubernetes.ts";
