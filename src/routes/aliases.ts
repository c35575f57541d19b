import type { Context, MiddlewareHandler } from "hono";
import { published } from "../articles/published.ts";
import { HOME_ALIAS_PARAMS, queryAliasKey, routePath } from "../articles/record.ts";
import { getAlias } from "../articles/store.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";

/** At most this many query parameters of one request are looked up as aliases (one bucket read each). */
const PARAMS_LOOKED_UP = 4;

/**
 * Old addresses of posts (front matter `aliases`): a GET or HEAD of one answers `301` to the
 * post, or null when the address is no alias (or its post is still scheduled). An alias with a
 * query (`/index.php?p=123`) is tried first, one parameter at a time, then the path alone (so
 * `/2019/05/old.html?m=1` finds `/2019/05/old.html`). Called only for requests no route
 * answered, so pages pay nothing for it; each lookup reads one route bucket.
 */
export async function aliasRedirect(c: Context<AppEnv>): Promise<Response | null> {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return null;
  const url = new URL(c.req.url);
  const path = routePath(url.pathname);
  if (path === null || path === "/") return null;
  const params = [...url.searchParams].slice(0, PARAMS_LOOKED_UP);
  return redirectFor(c, [...params.map(([name, value]) => queryAliasKey(path, name, value)), path]);
}

/**
 * Whether a request may be an old WordPress address of a post on the home page (`/?p=123`): the
 * page cache must not answer it from memory before `homeAliases` had a look.
 */
export function mayBeHomeAlias(url: string): boolean {
  const query = url.indexOf("?");
  if (query < 0 || new URL(url).pathname !== "/") return false;
  const params = new URLSearchParams(url.slice(query));
  return HOME_ALIAS_PARAMS.some((name) => params.has(name));
}

/**
 * Middleware for `/`, before the page cache: `/?p=123`, `/?page_id=7` answer 301 to the post that
 * had that address, any other query gets the home page. Only requests carrying one of
 * `HOME_ALIAS_PARAMS` do a lookup.
 */
export const homeAliases: MiddlewareHandler<AppEnv> = async (c, next) => {
  if ((c.req.method === "GET" || c.req.method === "HEAD") && mayBeHomeAlias(c.req.url)) {
    const params = new URL(c.req.url).searchParams;
    const keys = HOME_ALIAS_PARAMS.flatMap((name) => params.getAll(name).map((v) => queryAliasKey("/", name, v)));
    const moved = await redirectFor(c, keys.slice(0, PARAMS_LOOKED_UP));
    if (moved) return moved;
  }
  await next();
};

/** The 301 for the first of `keys` that is an alias of a post that is out, or null. */
async function redirectFor(c: Context<AppEnv>, keys: readonly string[]): Promise<Response | null> {
  const out = await published(c);
  for (const key of keys) {
    const alias = await getAlias(c.env.CONTENT, out.index, key);
    if (!alias || !out.isOut(alias.date)) continue;
    // Permanent, but kept an hour in browsers so a corrected alias reaches them.
    c.header("Cache-Control", "public, max-age=3600");
    return c.redirect(postPath(alias.redirect), 301);
  }
  return null;
}
