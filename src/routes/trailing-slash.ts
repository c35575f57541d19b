import type { Context, ExecutionContext } from "hono";
import type { AppEnv } from "../types.ts";

/** What the redirect asks whether the address without the slash is a page: the app itself. */
interface App {
  fetch(request: Request, env: Env, ctx?: ExecutionContext): Response | Promise<Response>;
}

/**
 * `/posts/x/`, `/tags/x/`, `/search/?q=k`: a GET or HEAD that no route (and no alias) answered,
 * whose path ends in slashes, answers `301` to the same path without them, query kept, when that
 * address is a page (the app answers it with anything but a 404; its render fills the cache for
 * the redirected request); null otherwise, so a mistyped address stays one 404, not two hops.
 * The target is a path on this site only: a path that would start with `//` (or `/\`) once
 * trimmed is a protocol-relative URL to another host in a browser, so it is never redirected.
 */
export async function trailingSlashRedirect(c: Context<AppEnv>, app: App): Promise<Response | null> {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return null;
  const url = new URL(c.req.url);
  if (!url.pathname.endsWith("/") || url.pathname === "/") return null;
  const path = url.pathname.replace(/\/+$/, "");
  if (!/^\/[^/\\]/.test(path)) return null;
  const location = `${path}${url.search}`;
  const target = await app.fetch(new Request(new URL(location, url), c.req.raw), c.env, executionCtxOf(c));
  await target.body?.cancel();
  if (target.status === 404) return null;
  c.header("Cache-Control", "public, max-age=3600");
  return c.redirect(location, 301);
}

function executionCtxOf(c: Context<AppEnv>): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    // A direct app.request (a script) has none: the check still runs.
    return undefined;
  }
}
