import type { Context } from "hono";
import { published } from "../articles/published.ts";
import { getArticle } from "../articles/store.ts";
import { parseId } from "../comments/cursor.ts";
import { commentFeedPath, RECENT_COMMENTS_FEED } from "../comments/refresh.ts";
import { feedComments, recentComments, threadExists } from "../comments/store/feeds.ts";
import { readSession } from "../comments/store/sessions.ts";
import { strings } from "../i18n/index.ts";
import { Hono } from "../lib/hono.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";
import { commentFeed } from "../views/comment-feed.ts";
import { articleOf } from "./article-of.ts";
import { errorResponse } from "./error-response.tsx";

/** Entries in a comment feed. */
const FEED_SIZE = 50;

/**
 * Atom feeds that let a reader follow a discussion without e-mail: a post's comments, one
 * thread's (`?thread=<id>`), the site's recent comments. Published comments only; cached as pages
 * (src/lib/routes.ts), dropped with the post's page when comments change (src/comments/refresh.ts).
 */
export const commentFeeds = new Hono<AppEnv>();

const atom = (c: Context<AppEnv>, document: string) =>
  c.body(document, 200, { "Content-Type": "application/atom+xml; charset=utf-8" });

commentFeeds.get("/posts/:slug/comments.xml", async (c) => {
  const article = await articleOf(c);
  if (!article) return errorResponse(c, 404, (t) => t.says.noPostFeed);
  const rawThread = c.req.query("thread");
  const thread = rawThread === undefined ? undefined : parseId(rawThread);
  if (thread === null) return errorResponse(c, 400, (t) => t.says.badThread);
  const db = readSession(c.env.DB);
  if (thread !== undefined && !(await threadExists(db, article.slug, thread)))
    return errorResponse(c, 404, (t) => t.says.noThread);
  const comments = await feedComments(db, article.slug, FEED_SIZE, thread);
  // A post's comments are in the post's language, and so is their feed.
  const lang = article.lang ?? c.var.site.lang;
  const { feeds } = strings(lang);
  const meta = {
    title: (thread === undefined ? feeds.comments : feeds.thread)(article.title),
    lang,
    self: commentFeedPath(article.slug, thread),
    alternate:
      thread === undefined ? `${postPath(article.slug)}#comments` : `${postPath(article.slug)}#comment-${thread}`,
  };
  return atom(c, await commentFeed(c.var.site, meta, comments, () => article.title));
});

commentFeeds.get(RECENT_COMMENTS_FEED, async (c) => {
  const out = await published(c);
  const comments = await recentComments(readSession(c.env.DB), FEED_SIZE);
  const titles = new Map<string, string>();
  for (const slug of new Set(comments.map((comment) => comment.postSlug))) {
    const article = await getArticle(c.env.CONTENT, out.index, slug);
    // A comment on a post that is not out (scheduled, or gone from this release) is left out.
    if (article && out.isOut(article.date)) titles.set(slug, article.title);
  }
  const shown = comments.filter((comment) => titles.has(comment.postSlug));
  const { lang, title } = c.var.site;
  const meta = { title: strings(lang).feeds.recent(title), lang, self: RECENT_COMMENTS_FEED, alternate: "/" };
  return atom(c, await commentFeed(c.var.site, meta, shown, (slug) => titles.get(slug) ?? slug));
});
