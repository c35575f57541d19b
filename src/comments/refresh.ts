import type { Context } from "hono";
import { LISTS_TAG, postTag } from "../lib/page-tags.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";

/** The Atom feed of a post's comments, or (with `thread`) of one thread's. */
export const commentFeedPath = (slug: string, thread?: number): string =>
  `${postPath(slug)}/comments.xml${thread === undefined ? "" : `?thread=${thread}`}`;

/** The site's recent comments feed. */
export const RECENT_COMMENTS_FEED = "/comments.xml";

/**
 * After comments change on `posts`: their article pages, the home page (its counts) and the
 * comment feeds (the posts', the site's and, when known, the changed `threads`') are dropped from
 * this isolate and data center and purged everywhere (the feeds carry the "lists" tag), so the
 * next reader here gets a fresh render and every reader within the cache's bound.
 */
export async function refreshCommentPages(
  c: Context<AppEnv>,
  posts: readonly string[],
  threads: readonly number[] = [],
): Promise<void> {
  if (posts.length === 0) return;
  const paths = [
    "/",
    RECENT_COMMENTS_FEED,
    ...posts.flatMap((slug) => [
      postPath(slug),
      `${postPath(slug)}?order=best`,
      commentFeedPath(slug),
      ...threads.map((thread) => commentFeedPath(slug, thread)),
    ]),
  ];
  const urls = paths.map((path) => new URL(path, c.req.url).toString());
  const tags = [...posts.map((slug) => postTag(encodeURIComponent(slug))), LISTS_TAG];
  await c.var.pages.invalidate(c, { urls, tags });
}

/** After a like: only the post's article page, in both orders (a like shows nowhere else). */
export async function refreshLikedPage(c: Context<AppEnv>, slug: string): Promise<void> {
  const urls = [postPath(slug), `${postPath(slug)}?order=best`].map((path) => new URL(path, c.req.url).toString());
  await c.var.pages.invalidate(c, { urls, tags: [postTag(encodeURIComponent(slug))] });
}
