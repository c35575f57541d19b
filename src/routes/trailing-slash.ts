import type { Context } from "hono";
import type { AppEnv } from "../types.ts";

/**
 * `/posts/x/`, `/tags/x/`, `/search/?q=k`: a GET or HEAD that no route (and no alias) answered,
 * whose path ends in slashes, answers `301` to the same path without them, query kept; null
 * otherwise. The target is a path on this site only: a path that would start with `//` (or `/\`)
 * once trimmed is a protocol-relative URL to another host in a browser, so it is not redirected.
 */
export function trailingSlashRedirect(c: Context<AppEnv>): Response | null {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return null;
  const url = new URL(c.req.url);
  if (!url.pathname.endsWith("/") || url.pathname === "/") return null;
  const path = url.pathname.replace(/\/+$/, "");
  if (!/^\/[^/\\]/.test(path)) return null;
  c.header("Cache-Control", "public, max-age=3600");
  return c.redirect(`${path}${url.search}`, 301);
}
