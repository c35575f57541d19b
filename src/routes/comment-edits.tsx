import type { Context } from "hono";
import { validator } from "hono/validator";
import { published } from "../articles/published.ts";
import { visibleTranslations } from "../articles/translations.ts";
import { markPersonal } from "../cache/marks.ts";
import { commentConfig } from "../comments/config.ts";
import { parseId } from "../comments/cursor.ts";
import { type ChangeDecision, type ChangeRequest, decideDelete, decideEdit } from "../comments/edit.ts";
import { JSON_TYPE, mediaTypeOf } from "../comments/input.ts";
import { commentUrl } from "../comments/landing.ts";
import { refreshCommentPages } from "../comments/refresh.ts";
import { loadCommentSection } from "../comments/section.ts";
import { ownedComment } from "../comments/store/edits.ts";
import { readSession } from "../comments/store/sessions.ts";
import { readBookmark, readViewer, rememberBookmark, rememberHeld } from "../comments/viewer.ts";
import { type Message, strings } from "../i18n/index.ts";
import { Hono } from "../lib/hono.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";
import { ArticlePage } from "../views/article-page.tsx";
import { DeleteConfirm } from "../views/comment-edit.tsx";
import { CommentSection } from "../views/comments.tsx";
import { Layout } from "../views/layout.tsx";
import { articleOf } from "./article-of.ts";
import { commentSizeLimit, keepRawBody } from "./comment-body.ts";
import { publicComment } from "./comments.tsx";
import { errorResponse, jsonError } from "./error-response.tsx";

/**
 * A commenter's own changes: the JSON API (`PATCH` / `DELETE /posts/:slug/comments/:id`) and the
 * forms (`POST .../edit`, `GET` + `POST .../delete`). Thin: the decisions are src/comments/edit.ts.
 */
export const commentEdits = new Hono<AppEnv>();

const NO_COMMENT: Message = (t) => t.says.noComment;
const NOT_CHANGED: Message = (t) => t.says.notChanged;

/** Who asks: the commenter cookie, an API token, the address (for the rate limit). */
async function changeRequest(c: Context<AppEnv>, slug: string, id: number): Promise<ChangeRequest> {
  const bearer = /^Bearer\s+([A-Za-z0-9_-]{16,64})$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? null;
  return {
    slug,
    id,
    viewerHash: (await readViewer(c))?.authorHash ?? null,
    token: bearer,
    ip: c.req.header("cf-connecting-ip") ?? "unknown",
  };
}

const services = (c: Context<AppEnv>) => ({
  db: c.env.DB,
  limiter: c.env.COMMENT_RATE_LIMITER,
  config: commentConfig(c.env),
  now: Date.now(),
});

/** The caches and cookies after a change, as for a new comment: the writer sees it at once. */
async function afterChange(c: Context<AppEnv>, decision: Extract<ChangeDecision, { comment: unknown }>) {
  if (decision.kind === "unchanged") return;
  const { comment, before } = decision;
  rememberBookmark(c, decision.bookmark);
  if (before === "published" || comment.status === "published")
    await refreshCommentPages(c, [comment.postSlug], [comment.threadId]);
  if (comment.status === "pending") rememberHeld(c, comment.postSlug);
}

/** The JSON answer of a decision: 200 with the comment, or the error. */
async function answerJson(c: Context<AppEnv>, decision: ChangeDecision) {
  c.header("Cache-Control", "no-store");
  if (decision.kind === "unavailable")
    return jsonError(c, 503, decision.message, { "Retry-After": String(decision.retryAfter) });
  if (decision.kind === "refused") {
    const { errors } = decision;
    const message = errors.form ?? errors.name ?? errors.body ?? NOT_CHANGED;
    return jsonError(c, decision.status, message, decision.headers, errors.form ? undefined : errors);
  }
  await afterChange(c, decision);
  return c.json({ comment: publicComment(decision.comment) }, 200);
}

/** The post and the comment id of a change route, or null (then: 404). */
async function target(c: Context<AppEnv>): Promise<{ slug: string; id: number } | null> {
  const id = parseId(c.req.param("id"));
  const article = id === null ? null : await articleOf(c);
  return article && id !== null ? { slug: article.slug, id } : null;
}

/** A JSON edit body: `{"body"}` or `{"name","body"}`, strings. */
function readEdit(value: unknown): { name: string | null; body: string } | Message {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return (t) => t.says.editJson;
  const name: unknown = Reflect.get(value, "name");
  const body: unknown = Reflect.get(value, "body");
  if (typeof body !== "string") return (t) => t.says.fieldText("body");
  if (name !== undefined && name !== null && typeof name !== "string") return (t) => t.says.fieldText("name");
  return { name: typeof name === "string" ? name : null, body };
}

commentEdits.patch(
  "/posts/:slug/comments/:id",
  commentSizeLimit,
  keepRawBody,
  validator("json", (value, c) => {
    if (!JSON_TYPE.test(mediaTypeOf(c.req.header("content-type")))) return jsonError(c, 415, (t) => t.says.editAsJson);
    const edit = readEdit(value);
    return typeof edit === "function" ? jsonError(c, 400, edit) : edit;
  }),
  async (c) => {
    const at = await target(c);
    if (!at) return jsonError(c, 404, NO_COMMENT);
    const edit = c.req.valid("json");
    const raw = await c.req.arrayBuffer();
    const contentType = c.req.header("content-type") ?? "";
    const decision = await decideEdit(
      { ...(await changeRequest(c, at.slug, at.id)), ...edit, raw, contentType },
      services(c),
    );
    return answerJson(c, decision);
  },
);

commentEdits.delete("/posts/:slug/comments/:id", async (c) => {
  const at = await target(c);
  if (!at) return jsonError(c, 404, NO_COMMENT);
  return answerJson(c, await decideDelete(await changeRequest(c, at.slug, at.id), services(c)));
});

commentEdits.post("/posts/:slug/comments/:id/edit", commentSizeLimit, keepRawBody, async (c) => {
  const at = await target(c);
  if (!at) return errorResponse(c, 404, NO_COMMENT);
  const form = await c.req.parseBody().catch(() => null);
  const name = form?.name;
  const body = form?.body;
  if (typeof name !== "string" || typeof body !== "string") return errorResponse(c, 400, (t) => t.says.editFields);
  const raw = await c.req.arrayBuffer();
  const contentType = c.req.header("content-type") ?? "";
  const decision = await decideEdit(
    { ...(await changeRequest(c, at.slug, at.id)), name, body, raw, contentType },
    services(c),
  );
  c.header("Cache-Control", "no-store");
  if (decision.kind === "edited" || decision.kind === "unchanged") {
    await afterChange(c, decision);
    return c.redirect(commentUrl(decision.comment), 303);
  }
  const refusal =
    decision.kind === "refused"
      ? decision
      : decision.kind === "unavailable"
        ? {
            status: 503 as const,
            errors: { form: decision.message },
            headers: { "Retry-After": String(decision.retryAfter) },
          }
        : { status: 500 as const, errors: { form: NOT_CHANGED }, headers: {} };
  const { status, errors } = refusal;
  for (const [header, value] of Object.entries(refusal.headers)) c.header(header, value);
  const article = await articleOf(c);
  if (!article) return errorResponse(c, 404, NO_COMMENT);
  // The form comes back as sent; only a refusal that leaves it editable keeps it an edit form.
  const editing = status === 422 || status === 429 || status === 503 ? at.id : undefined;
  const section = await loadCommentSection(c, at.slug, { values: { name, body, parent: "" }, errors, editing });
  markPersonal(c);
  c.header("Cache-Control", "private, no-store");
  const languages = (await published(c)).languageNames(c.var.site.lang);
  return c.html(
    <ArticlePage
      site={c.var.site}
      article={article}
      translations={visibleTranslations(article.translations)}
      languages={languages}
      comments={<CommentSection {...section} lang={article.lang ?? c.var.site.lang} />}
    />,
    status,
  );
});

commentEdits.get("/posts/:slug/comments/:id/delete", async (c) => {
  const at = await target(c);
  if (!at) return errorResponse(c, 404, NO_COMMENT);
  markPersonal(c);
  c.header("Cache-Control", "private, no-store");
  const owned = await ownedComment(readSession(c.env.DB, readBookmark(c)), at.slug, at.id);
  const viewer = await readViewer(c);
  if (!owned || (owned.comment.status !== "published" && owned.comment.status !== "pending"))
    return errorResponse(c, 404, NO_COMMENT);
  if (!viewer || viewer.authorHash !== owned.authorHash) return errorResponse(c, 403, (t) => t.says.notYoursDelete);
  const lang = c.var.lang ?? c.var.site.lang;
  const t = strings(lang);
  return c.html(
    <Layout
      site={c.var.site}
      meta={{ title: t.deleteTitle, description: t.deleteDescription, path: c.req.path, noindex: true, lang }}
    >
      <DeleteConfirm slug={at.slug} comment={owned.comment} t={t} />
    </Layout>,
  );
});

commentEdits.post("/posts/:slug/comments/:id/delete", async (c) => {
  const at = await target(c);
  if (!at) return errorResponse(c, 404, NO_COMMENT);
  const decision = await decideDelete(await changeRequest(c, at.slug, at.id), services(c));
  c.header("Cache-Control", "no-store");
  if (decision.kind === "unavailable")
    return errorResponse(c, 503, decision.message, { "Retry-After": String(decision.retryAfter) });
  if (decision.kind === "refused")
    return errorResponse(c, decision.status, decision.errors.form ?? NO_COMMENT, decision.headers);
  await afterChange(c, decision);
  return c.redirect(`${postPath(at.slug)}#comments`, 303);
});
