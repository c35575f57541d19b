import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../types.ts";

/**
 * `Content-Language` on every HTML page: the site's language, unless the route named the page's
 * own (an article in another language sets it) or read the post the page is about (`c.var.lang`:
 * a Korean post's refused comment form, its delete page). Mounted inside the page cache, so a
 * cached page keeps the header it was rendered with.
 */
export function contentLanguage(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const { headers } = c.res;
    if (headers.has("content-language") || !headers.get("content-type")?.startsWith("text/html")) return;
    headers.set("content-language", c.var.lang ?? c.var.site.lang);
  };
}
