import { commentConfig } from "../comments/config.ts";
import { parseId } from "../comments/cursor.ts";
import { decideLike } from "../comments/like.ts";
import { refreshLikedPage } from "../comments/refresh.ts";
import { readViewer, rememberBookmark } from "../comments/viewer.ts";
import { Hono } from "../lib/hono.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";
import { articleOf } from "./article-of.ts";
import { errorResponse, wantsJson } from "./error-response.tsx";

/** The ♥ of a comment: a plain form POST (303 back to the comment), or JSON for API clients. */
export const commentLikes = new Hono<AppEnv>();

commentLikes.post("/posts/:slug/comments/:id/like", async (c) => {
  const id = parseId(c.req.param("id"));
  const article = id === null ? null : await articleOf(c);
  if (!article || id === null) return errorResponse(c, 404, (t) => t.says.noComment);
  const decision = await decideLike(
    {
      slug: article.slug,
      id,
      viewerHash: (await readViewer(c))?.authorHash ?? null,
      ip: c.req.header("cf-connecting-ip") ?? "unknown",
    },
    { db: c.env.DB, limiter: c.env.COMMENT_LIKE_RATE_LIMITER, config: commentConfig(c.env), now: Date.now() },
  );
  c.header("Cache-Control", "no-store");
  if (decision.kind === "unavailable") return errorResponse(c, 503, decision.message, { "Retry-After": "3600" });
  if (decision.kind === "limited")
    return errorResponse(c, 429, (t) => t.says.likingTooFast, {
      "Retry-After": String(decision.retryAfter),
    });
  if (decision.kind === "missing") return errorResponse(c, 404, (t) => t.says.noComment);
  rememberBookmark(c, decision.bookmark);
  // A like changes one count on one page: only the post's article page is dropped.
  if (decision.kind === "liked") await refreshLikedPage(c, article.slug);
  if (wantsJson(c)) return c.json({ id, likes: decision.likes, liked: decision.kind === "liked" });
  return c.redirect(`${postPath(article.slug)}#comment-${id}`, 303);
});
