import type { Context } from "hono";
import { LISTS_TAG, postTag } from "../lib/page-tags.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";

/**
 * After comments change on `posts`: their article pages and the home page (its counts) are
 * dropped from this isolate and data center and purged everywhere, so the next reader here gets
 * a fresh render and every reader within the cache's bound.
 */
export async function refreshCommentPages(c: Context<AppEnv>, posts: readonly string[]): Promise<void> {
  if (posts.length === 0) return;
  const urls = ["/", ...posts.map(postPath)].map((path) => new URL(path, c.req.url).toString());
  const tags = [...posts.map((slug) => postTag(encodeURIComponent(slug))), LISTS_TAG];
  await c.var.pages.invalidate(c, { urls, tags });
}
