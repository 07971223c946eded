/**
 * Go's `net.SplitHostPort`/`JoinHostPort`/`ParseIP` and `url.URL.String()` as the
 * Prometheus template functions `stripPort`, `stripDomain`, `externalURL` and
 * `pathPrefix` use them.
 */

import { isIP } from "node:net";

/** Go's `net.SplitHostPort`; null when Go returns an error. */
export function splitHostPort(hostport: string): { host: string; port: string } | null {
  const i = hostport.lastIndexOf(":");
  if (i < 0) return null;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === "[") {
    const end = hostport.indexOf("]");
    if (end < 0) return null;
    if (end + 1 === hostport.length) return null;
    if (end + 1 !== i) return null;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(":")) return null;
  }
  if (hostport.slice(j).includes("[")) return null;
  if (hostport.slice(k).includes("]")) return null;
  return { host, port: hostport.slice(i + 1) };
}

/** Go's `net.JoinHostPort`. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's `net.ParseIP(s) != nil`. */
export function isGoIP(s: string): boolean {
  return !s.includes("%") && isIP(s) !== 0;
}

/** Prometheus' `stripPort`: the host of `host:port`, or the input when it has no port. */
export function stripPort(hostPort: string): string {
  return splitHostPort(hostPort)?.host ?? hostPort;
}

/** Prometheus' `stripDomain`: the first label of a host name, port kept; IPs unchanged. */
export function stripDomain(hostPort: string): string {
  const hp = splitHostPort(hostPort);
  let host = hp?.host ?? hostPort;
  const port = hp?.port ?? "";
  if (isGoIP(host)) return hostPort;
  host = host.split(".")[0];
  return port !== "" ? joinHostPort(host, port) : host;
}

/** Prometheus' external URL path: trailing slashes trimmed (root is ""). */
export function urlPathPrefix(u: URL): string {
  return u.pathname.replace(/\/+$/, "");
}

/** Go's `url.URL.String()` for Prometheus' external URL (whose path has no trailing slash). */
export function goURLString(u: URL): string {
  const auth = u.username !== "" ? `${u.username}${u.password !== "" ? `:${u.password}` : ""}@` : "";
  return `${u.protocol}//${auth}${u.host}${urlPathPrefix(u)}${u.search}${u.hash}`;
}
