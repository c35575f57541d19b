import type { Context } from "hono";
import { published } from "../articles/published.ts";
import { routePath } from "../articles/record.ts";
import { getAlias } from "../articles/store.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";

/**
 * Old addresses of posts (front matter `aliases`): a GET or HEAD of one answers `301` to the
 * post, or null when the path is no alias (or its post is still scheduled). Called only for
 * requests no route answered, so pages pay nothing for it; it reads one route bucket.
 */
export async function aliasRedirect(c: Context<AppEnv>): Promise<Response | null> {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return null;
  const path = routePath(new URL(c.req.url).pathname);
  if (path === null || path === "/") return null;
  const out = await published(c);
  const alias = await getAlias(c.env.CONTENT, out.index, path);
  if (!alias || !out.isOut(alias.date)) return null;
  // Permanent, but kept an hour in browsers so a corrected alias reaches them.
  c.header("Cache-Control", "public, max-age=3600");
  return c.redirect(postPath(alias.redirect), 301);
}
