import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { validator } from "hono/validator";
import { ownerSession } from "../admin/session.ts";
import { published } from "../articles/published.ts";
import type { ArticleRecord } from "../articles/record.ts";
import { visibleTranslations } from "../articles/translations.ts";
import { commentConfig } from "../comments/config.ts";
import { formatCursor, parseCursor, parseId } from "../comments/cursor.ts";
import { type CommentInput, JSON_TYPE, mediaTypeOf, readCommentInput, readJsonInput } from "../comments/input.ts";
import { commentUrl, landingOf } from "../comments/landing.ts";
import { refreshCommentPages } from "../comments/refresh.ts";
import { loadCommentSection } from "../comments/section.ts";
import { listVisible } from "../comments/store/pages.ts";
import type { Comment } from "../comments/store/rows.ts";
import { readSession } from "../comments/store/sessions.ts";
import { type Decision, decideComment, type FieldErrors } from "../comments/submit.ts";
import {
  ensureViewer,
  readBookmark,
  readViewer,
  rememberBookmark,
  rememberEditable,
  rememberHeld,
} from "../comments/viewer.ts";
import { renderCommentBody } from "../lib/comment-text.ts";
import { isToken } from "../lib/crypto.ts";
import { Hono } from "../lib/hono.ts";
import { notifyComment } from "../notify/enqueue.ts";
import type { AppEnv } from "../types.ts";
import { ArticlePage } from "../views/article-page.tsx";
import { CommentSection } from "../views/comments.tsx";
import { articleOf } from "./article-of.ts";
import { commentMediaType, commentSizeLimit, keepRawBody } from "./comment-body.ts";
import { errorResponse, jsonError } from "./error-response.tsx";

/** Comments per GET /posts/:slug/comments page, by default and at most. */
const API_PAGE = 50;
const API_PAGE_MAX = 100;

/** A comment or a list of them as API clients get them: text plus its safe HTML, never hashes. */
export function publicComment(comment: Comment) {
  return {
    id: comment.id,
    post: comment.postSlug,
    parent: comment.parentId,
    thread: comment.threadId,
    depth: comment.depth,
    author: comment.author,
    body: comment.body,
    html: renderCommentBody(comment.body),
    status: comment.status,
    created: comment.createdAt,
    edited: comment.editedAt,
    owner: comment.byOwner,
    likes: comment.likes,
    url: commentUrl(comment),
  };
}

/** Reads comment, writes comments: the article's comment form and the JSON API. */
export const comments = new Hono<AppEnv>();

comments.get("/posts/:slug/comments", async (c) => {
  const article = await articleOf(c);
  if (!article) return errorResponse(c, 404, (t) => t.says.noPost);
  const rawAfter = c.req.query("after");
  const after = rawAfter === undefined ? null : parseCursor(rawAfter);
  if (rawAfter !== undefined && after === null) return errorResponse(c, 400, (t) => t.says.badCursor);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? API_PAGE : parseId(rawLimit);
  if (limit === null || limit > API_PAGE_MAX) return errorResponse(c, 400, (t) => t.says.badLimit(API_PAGE_MAX));
  // D1 down: CommentsUnavailable, answered 503 by app.onError.
  const viewer = await readViewer(c);
  const db = readSession(c.env.DB, readBookmark(c));
  const page = await listVisible(db, article.slug, { after, limit, authorHash: viewer?.authorHash });
  c.header("Cache-Control", "no-store");
  return c.json({ comments: page.comments.map(publicComment), next: page.next ? formatCursor(page.next) : null });
});

const isJson = (c: Context<AppEnv>) => JSON_TYPE.test(mediaTypeOf(c.req.header("content-type")));

/** What a refused comment's answer needs: who asked how, the article, the input as sent. */
interface Asked {
  json: boolean;
  article: ArticleRecord;
  input: CommentInput;
}

/** Answers a refused comment: JSON with field messages, or the article page with the form as sent. */
async function refuse(
  c: Context<AppEnv>,
  asked: Asked,
  status: ContentfulStatusCode,
  errors: FieldErrors,
  headers: Record<string, string>,
  clear: readonly "parent"[] = [],
) {
  const message = errors.form ?? errors.parent ?? errors.name ?? errors.body ?? ((t) => t.says.notStored);
  if (asked.json) return jsonError(c, status, message, headers, errors);
  const kept = { ...asked.input, ...Object.fromEntries(clear.map((name) => [name, ""])) };
  const section = await loadCommentSection(c, asked.article.slug, {
    values: { name: kept.name, body: kept.body, parent: kept.parent },
    errors,
    ...(isToken(kept.token) && { token: kept.token }),
  });
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header("Cache-Control", "no-store");
  const languages = (await published(c)).languageNames(c.var.site.lang);
  const page = (
    <ArticlePage
      site={c.var.site}
      article={asked.article}
      translations={visibleTranslations(asked.article.translations)}
      languages={languages}
      comments={<CommentSection {...section} lang={asked.article.lang ?? c.var.site.lang} />}
    />
  );
  return c.html(page, status);
}

/** Answers a stored comment: 303 to where the poster sees it, or 201 with it as JSON. */
async function stored(c: Context<AppEnv>, json: boolean, decision: Extract<Decision, { comment: Comment }>) {
  const { comment } = decision;
  if (decision.kind === "created") {
    if (comment.status === "published") await refreshCommentPages(c, [comment.postSlug], [comment.threadId]);
    else rememberHeld(c, comment.postSlug);
    rememberEditable(c, comment.postSlug, commentConfig(c.env).editWindowMs / 1000);
  }
  c.header("Cache-Control", "no-store");
  if (!json) return c.redirect(await landingOf(c.env.DB, comment, decision.authorHash), 303);
  if (decision.kind === "replayed") c.header("Idempotent-Replayed", "true");
  c.header("Location", commentUrl(comment));
  return c.json({ comment: publicComment(comment), ...(decision.token && { token: decision.token }) }, 201);
}

comments.post(
  "/posts/:slug/comments",
  commentMediaType,
  commentSizeLimit,
  keepRawBody,
  validator("json", (value, c) => {
    if (!isJson(c)) return null;
    const input = readJsonInput(value);
    return typeof input === "function" ? errorResponse(c, 400, input) : input;
  }),
  validator("form", (value, c) => {
    if (isJson(c)) return null;
    const input = readCommentInput(value);
    return typeof input === "function" ? errorResponse(c, 400, input) : input;
  }),
  async (c) => {
    const input = c.req.valid("json") ?? c.req.valid("form");
    if (!input) return errorResponse(c, 415, (t) => t.says.formOrJson);
    const json = c.req.valid("json") !== null;
    const article = await articleOf(c);
    if (!article) return errorResponse(c, 404, (t) => t.says.noPostNotStored);
    const decision = await decideComment(
      {
        slug: article.slug,
        json,
        input,
        raw: await c.req.arrayBuffer(),
        contentType: c.req.header("content-type") ?? "",
        idempotencyKey: c.req.header("idempotency-key"),
        ip: c.req.header("cf-connecting-ip") ?? "unknown",
        viewerHash: (await readViewer(c))?.authorHash ?? null,
      },
      {
        db: c.env.DB,
        limiter: c.env.COMMENT_RATE_LIMITER,
        config: commentConfig(c.env),
        issueAuthor: async (salt) => (await ensureViewer(c, salt)).authorHash,
        isOwner: async () => (await ownerSession(c)) !== null,
      },
    );
    if (decision.kind === "unavailable")
      return refuse(
        c,
        { json, article, input },
        503,
        { form: decision.message },
        {
          "Retry-After": String(decision.retryAfter),
        },
      );
    rememberBookmark(c, decision.bookmark);
    if (decision.kind === "refused")
      return refuse(c, { json, article, input }, decision.status, decision.errors, decision.headers, decision.clear);
    if (decision.kind === "created") notifyComment(c, decision.comment, article.title);
    return stored(c, json, decision);
  },
);
