import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { validator } from "hono/validator";
import { published } from "../articles/published.ts";
import type { ArticleRecord } from "../articles/record.ts";
import { getArticle } from "../articles/store.ts";
import { admissionRefusal } from "../comments/admission.ts";
import { commentConfig } from "../comments/config.ts";
import { formatCursor, parseCursor, parseId } from "../comments/cursor.ts";
import { encodingErrors } from "../comments/encoding-errors.ts";
import { findReplay, idempotencyKeys } from "../comments/idempotency.ts";
import { refreshCommentPages } from "../comments/refresh.ts";
import { COMMENTS_PER_PAGE, loadCommentSection } from "../comments/section.ts";
import { type InsertResult, insertComment } from "../comments/store/insert.ts";
import { listVisible, positionOf } from "../comments/store/pages.ts";
import { type Comment, CommentsUnavailable } from "../comments/store/rows.ts";
import { readSession, writeSession } from "../comments/store/sessions.ts";
import { ensureViewer, readBookmark, readViewer, rememberBookmark, rememberHeld } from "../comments/viewer.ts";
import { commentErrors, hasLink, normalizeBody, normalizeName, renderCommentBody } from "../lib/comment-text.ts";
import { hmacHex, isToken, sha256Hex } from "../lib/crypto.ts";
import { postPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";
import { ArticlePage } from "../views/article-page.tsx";
import { CommentSection, type FormField } from "../views/comments.tsx";
import { errorResponse, jsonError } from "./error-response.tsx";

/** Largest request body a comment POST may have, checked before parsing (5,000 Hangul characters URL-encoded is ~45 KB). */
export const MAX_COMMENT_REQUEST_BYTES = 64 * 1024;
/** Comments per GET /posts/:slug/comments page, by default and at most. */
const API_PAGE = 50;
const API_PAGE_MAX = 100;

/** What a comment POST carries, as sent (strings only; normalized and validated later). */
interface CommentInput {
  name: string;
  body: string;
  parent: string;
  token: string;
  /** The honeypot: hidden from people, filled by bots. */
  website: string;
  turnstile: string;
}

const FIELDS = ["name", "body", "parent", "token", "website"] as const;

/** Reads a string-ish field: absent is "", a string is itself; anything else is malformed (undefined). */
function field(value: unknown, allowNumber = false): string | undefined {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (allowNumber && typeof value === "number" && Number.isInteger(value)) return String(value);
  return undefined;
}

function toInput(source: Record<string, unknown>): CommentInput | string {
  const input: CommentInput = { name: "", body: "", parent: "", token: "", website: "", turnstile: "" };
  for (const name of FIELDS) {
    const value = field(source[name], name === "parent");
    if (value === undefined)
      return `The field "${name}" must be ${name === "parent" ? "a comment id" : "text"}, sent once.`;
    input[name] = value;
  }
  const turnstile = field(source["cf-turnstile-response"]);
  if (turnstile === undefined) return 'The field "cf-turnstile-response" must be text.';
  input.turnstile = turnstile;
  return input;
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const mediaType = (c: Context<AppEnv>) =>
  (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/** A comment or a list of them as API clients get them: text plus its safe HTML, never hashes. */
function publicComment(comment: Comment) {
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
    url: `${postPath(comment.postSlug)}#comment-${comment.id}`,
  };
}

/** Reads comment, writes comments: the article's comment form and the JSON API. */
export const comments = new Hono<AppEnv>();

/** The article of a comment route, or null: the same canonical slug and schedule rules as the article page. */
async function articleOf(c: Context<AppEnv>): Promise<ArticleRecord | null> {
  const slug = c.req.param("slug") ?? "";
  const out = await published(c);
  const article = await getArticle(c.env.CONTENT, out.index, slug.normalize("NFC").toLowerCase());
  return article && out.isOut(article.date) ? article : null;
}

comments.get("/posts/:slug/comments", async (c) => {
  const article = await articleOf(c);
  if (!article) return errorResponse(c, 404, "There is no post at this address.");
  const rawAfter = c.req.query("after");
  const after = rawAfter === undefined ? null : parseCursor(rawAfter);
  if (rawAfter !== undefined && after === null)
    return errorResponse(c, 400, 'The "after" cursor is malformed: pass the "next" value of the previous page.');
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? API_PAGE : parseId(rawLimit);
  if (limit === null || limit > API_PAGE_MAX)
    return errorResponse(c, 400, `"limit" must be a whole number from 1 to ${API_PAGE_MAX}.`);
  // D1 down: CommentsUnavailable, answered 503 by app.onError.
  const viewer = await readViewer(c);
  const db = readSession(c.env.DB, readBookmark(c));
  const page = await listVisible(db, article.slug, { after, limit, authorHash: viewer?.authorHash });
  c.header("Cache-Control", "no-store");
  return c.json({ comments: page.comments.map(publicComment), next: page.next ? formatCursor(page.next) : null });
});

comments.post(
  "/posts/:slug/comments",
  async (c, next) => {
    const type = mediaType(c);
    if (!JSON_TYPE.test(type) && !FORM_TYPES.includes(type))
      return errorResponse(c, 415, "Send the comment as a form (urlencoded or multipart) or as JSON.");
    await next();
  },
  bodyLimit({
    maxSize: MAX_COMMENT_REQUEST_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        413,
        "That request is too large for a comment (at most 5,000 characters). Go back to shorten it: your text is still in the form.",
      ),
  }),
  async (c, next) => {
    // Read the raw bytes first: the validators decode them leniently (bad UTF-8 becomes U+FFFD),
    // then reuse this copy, so the handler can still check what was really sent. A failed read
    // is left for the validators to answer (400).
    await c.req.arrayBuffer().catch(() => undefined);
    await next();
  },
  validator("json", (value, c) => {
    if (!JSON_TYPE.test(mediaType(c))) return null;
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return errorResponse(c, 400, "Send a JSON object with name and body.");
    const input = toInput(value);
    return typeof input === "string" ? errorResponse(c, 400, input) : input;
  }),
  validator("form", (value, c) => {
    if (JSON_TYPE.test(mediaType(c))) return null;
    const input = toInput(value);
    return typeof input === "string" ? errorResponse(c, 400, input) : input;
  }),
  async (c) => {
    const input = c.req.valid("json") ?? c.req.valid("form");
    if (!input) return errorResponse(c, 415, "Send the comment as a form or as JSON.");
    const json = c.req.valid("json") !== null;
    const article = await articleOf(c);
    if (!article) return errorResponse(c, 404, "There is no post at this address, so the comment was not stored.");
    const slug = article.slug;
    const config = commentConfig(c.env);

    /** Answers a refused comment: JSON with field messages, or the article page with the form as sent. */
    const refuse = async (
      status: ContentfulStatusCode,
      errors: Partial<Record<FormField, string>>,
      headers: Record<string, string> = {},
      values: Partial<CommentInput> = {},
    ) => {
      const message = errors.form ?? errors.parent ?? errors.name ?? errors.body ?? "The comment was not stored.";
      if (json) {
        for (const [name, value] of Object.entries(headers)) c.header(name, value);
        c.header("Cache-Control", "no-store");
        return jsonError(c, status, message, {}, errors);
      }
      const kept = { ...input, ...values };
      const section = await loadCommentSection(c, slug, {
        values: { name: kept.name, body: kept.body, parent: kept.parent },
        errors,
        ...(isToken(kept.token) && { token: kept.token }),
      });
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
      c.header("Cache-Control", "no-store");
      return c.html(
        <ArticlePage site={c.var.site} article={article} comments={<CommentSection {...section} />} />,
        status,
      );
    };

    const name = normalizeName(input.name);
    const body = normalizeBody(input.body);
    const errors: Partial<Record<FormField, string>> = {
      ...commentErrors(name, body),
      ...encodingErrors(await c.req.arrayBuffer(), c.req.header("content-type") ?? "", input),
    };
    const parentId = input.parent.trim() === "" ? null : parseId(input.parent.trim());
    if (parentId === null && input.parent.trim() !== "")
      errors.parent = "The comment you are replying to is not valid. Post it as a new comment instead.";
    if (input.website !== "")
      errors.form = 'The "Leave this field empty" field must stay empty. Clear it and send again.';
    if (Object.keys(errors).length > 0) return refuse(422, errors);

    if (!config.salt) {
      console.error("IP_HASH_SALT is not set: comments cannot be stored without it (see README, Comments).");
      return refuse(
        503,
        { form: "Comments are not set up on this site yet. Please try again later." },
        {
          "Retry-After": "3600",
        },
      );
    }
    const idempotencyHeader = c.req.header("idempotency-key");
    if (json && idempotencyHeader !== undefined && !/^[\x21-\x7E]{1,255}$/.test(idempotencyHeader))
      return refuse(400, { form: "Idempotency-Key must be 1 to 255 visible ASCII characters." });
    const ipHash = await hmacHex(config.salt, `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`);
    const requestHash = await sha256Hex(JSON.stringify([slug, parentId, name, body]));
    const sender = { ipHash, authorHash: (await readViewer(c))?.authorHash ?? null };
    const keys = await idempotencyKeys(
      { json, slug, header: idempotencyHeader, token: input.token, requestHash },
      sender,
    );

    // A retry is answered before the anti-spam checks: they charge new comments, not old ones.
    const earlier = await findReplay(c.env.DB, keys, requestHash, sender);
    let result: InsertResult;
    let authorHash = sender.authorHash ?? "";
    if (earlier) {
      rememberBookmark(c, earlier.bookmark);
      result = earlier.replay;
    } else {
      const refusal = await admissionRefusal(config, c.env.COMMENT_RATE_LIMITER, input.turnstile, ipHash);
      if (refusal) return refuse(refusal.status, { form: refusal.message }, refusal.headers);
      authorHash = (await ensureViewer(c, config.salt)).authorHash;
      const held =
        config.moderation === "hold-all" || (config.moderation === "hold-links" && (hasLink(body) || hasLink(name)));
      try {
        const db = writeSession(c.env.DB);
        result = await insertComment(db, {
          postSlug: slug,
          parentId,
          author: name,
          body,
          status: held ? "pending" : "published",
          ipHash,
          authorHash,
          idempotencyKey: keys[0] ?? null,
          requestHash,
          now: Date.now(),
        });
        rememberBookmark(c, db.getBookmark());
      } catch (error) {
        if (!(error instanceof CommentsUnavailable)) throw error;
        console.error(error.message, error.cause);
        return refuse(
          503,
          {
            form: "Your comment could not be saved right now. Please send it again in a minute: your text is still here.",
          },
          { "Retry-After": "30" },
        );
      }
    }

    if (result.kind === "bad-parent") {
      return refuse(
        422,
        {
          parent:
            "The comment you are replying to is not available (removed, or on another post). Your text is still here: send it as a new comment.",
        },
        {},
        { parent: "" },
      );
    }
    if (result.kind === "key-reused") {
      return refuse(422, { form: "This Idempotency-Key was already used for a different comment." });
    }
    const { comment } = result;
    if (result.kind !== "replayed") {
      if (comment.status === "published") await refreshCommentPages(c, [slug]);
      else rememberHeld(c, slug);
    }
    const url = `${postPath(slug)}#comment-${comment.id}`;
    c.header("Cache-Control", "no-store");
    if (!json) {
      // A new thread is always on the article's first page; a reply deep in a long discussion may
      // not be, so the poster lands on the page that starts with its thread.
      let landing = url;
      if (comment.parentId !== null) {
        try {
          if ((await positionOf(writeSession(c.env.DB), comment, authorHash)) >= COMMENTS_PER_PAGE)
            landing = `${postPath(slug)}?comments=${formatCursor({ threadId: comment.threadId, id: 0 })}#comment-${comment.id}`;
        } catch (error) {
          // Stored is stored: land on the first page rather than report a failure.
          if (!(error instanceof CommentsUnavailable)) throw error;
        }
      }
      return c.redirect(landing, 303);
    }
    if (result.kind === "replayed") c.header("Idempotent-Replayed", "true");
    c.header("Location", url);
    return c.json({ comment: publicComment(comment) }, 201);
  },
);
