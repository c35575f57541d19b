/**
 * What becomes of a comment POST, decided without HTTP: checks the input, answers a retry with
 * its earlier comment before anything is charged for it, admits a new comment (Turnstile, rate
 * limit) and stores it. The route (src/routes/comments.tsx) turns the decision into JSON or the
 * article page with its form; D1, the limiter and the commenter cookie are handed in.
 */

import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Message } from "../i18n/index.ts";
import { commentErrors, hasLink, normalizeBody, normalizeName } from "../lib/comment-text.ts";
import { hmacHex, sha256Hex } from "../lib/crypto.ts";
import type { FormField } from "../views/comments.tsx";
import { admissionRefusal } from "./admission.ts";
import type { CommentConfig } from "./config.ts";
import { parseId } from "./cursor.ts";
import { newCommentToken } from "./edit.ts";
import { encodingErrors } from "./encoding-errors.ts";
import { findReplay, idempotencyKeys, type Sender } from "./idempotency.ts";
import type { CommentInput } from "./input.ts";
import { type InsertResult, insertComment } from "./store/insert.ts";
import { type Comment, CommentsUnavailable } from "./store/rows.ts";
import { writeSession } from "./store/sessions.ts";

/** A message per form field ("form": about the whole submission). */
export type FieldErrors = Partial<Record<FormField, Message>>;

/** One comment POST, as the route read it. */
export interface Submission {
  /** The post's canonical slug (the route has checked it is out). */
  slug: string;
  /** Sent as JSON (an API client) rather than a form. */
  json: boolean;
  input: CommentInput;
  /** The raw body and its Content-Type: what was really sent, checked for text that is not UTF-8. */
  raw: ArrayBuffer;
  contentType: string;
  /** The Idempotency-Key header, as sent. */
  idempotencyKey: string | undefined;
  /** The sender's address (CF-Connecting-IP); only its keyed hash is kept. */
  ip: string;
  /** The author hash of the commenter cookie sent with the request, or null. */
  viewerHash: string | null;
}

/** What the decision needs from outside. */
export interface Services {
  db: D1Database;
  limiter: RateLimit;
  config: CommentConfig;
  /** The commenter's author hash, setting their cookie if they have none: called only to store a new comment. */
  issueAuthor(salt: string): Promise<string>;
  /** True when the request comes from the site owner signed in to /admin (their comment gets the "Author" badge). */
  isOwner?(): Promise<boolean>;
}

export type Decision =
  /** Stored now, or (`replayed`) stored by an earlier try of the same submission. */
  | {
      kind: "created" | "replayed";
      comment: Comment;
      authorHash: string;
      bookmark: string | null;
      /** An API client's per-comment token (only on the first answer: only its hash is stored). */
      token?: string;
    }
  /** Not stored: why, by field; the form comes back with the text as sent, less the fields in `clear`. */
  | {
      kind: "refused";
      status: ContentfulStatusCode;
      errors: FieldErrors;
      headers: Record<string, string>;
      clear: readonly "parent"[];
      bookmark: string | null;
    }
  /** Not stored because something the blog needs is not there (D1, its setup): try again later. */
  | { kind: "unavailable"; message: Message; retryAfter: number };

const refused = (
  status: ContentfulStatusCode,
  errors: FieldErrors,
  more: Partial<Pick<Extract<Decision, { kind: "refused" }>, "headers" | "clear" | "bookmark">> = {},
): Decision => ({ kind: "refused", status, errors, headers: {}, clear: [], bookmark: null, ...more });

/** The submission's text, normalized, and what is wrong with it (nothing: `errors` is empty). */
function checked(sub: Submission) {
  const name = normalizeName(sub.input.name);
  const body = normalizeBody(sub.input.body);
  const errors: FieldErrors = {
    ...commentErrors(name, body),
    ...encodingErrors(sub.raw, sub.contentType, sub.input),
  };
  const rawParent = sub.input.parent.trim();
  const parentId = rawParent === "" ? null : parseId(rawParent);
  if (parentId === null && rawParent !== "") errors.parent = (t) => t.says.badParent;
  if (sub.input.website !== "") errors.form = (t) => t.says.honeypotFilled;
  return { name, body, parentId, errors };
}

/** A store's answer as a decision. */
function fromStore(result: InsertResult, authorHash: string, bookmark: string | null): Decision {
  if (result.kind === "bad-parent")
    return refused(422, { parent: (t) => t.says.parentGone }, { clear: ["parent"], bookmark });
  if (result.kind === "key-reused") return refused(422, { form: (t) => t.says.keyReused }, { bookmark });
  return { kind: result.kind, comment: result.comment, authorHash, bookmark };
}

/**
 * Decides a comment POST: refused (400, 422, 429, or a 503 of the anti-spam check), unavailable
 * (no IP_HASH_SALT, or D1 failed while storing), or created / replayed. A retry is answered
 * before the anti-spam checks: they charge new comments, not old ones.
 */
export async function decideComment(sub: Submission, services: Services): Promise<Decision> {
  const { config } = services;
  const { name, body, parentId, errors } = checked(sub);
  if (Object.keys(errors).length > 0) return refused(422, errors);
  if (!config.salt) {
    console.error("IP_HASH_SALT is not set: comments cannot be stored without it (see README, Comments).");
    return {
      kind: "unavailable",
      message: (t) => t.says.notSetUp,
      retryAfter: 3600,
    };
  }
  const header = sub.idempotencyKey;
  if (sub.json && header !== undefined && !/^[\x21-\x7E]{1,255}$/.test(header))
    return refused(400, { form: (t) => t.says.keyInvalid });
  const ipHash = await hmacHex(config.salt, `ip:${sub.ip}`);
  const requestHash = await sha256Hex(JSON.stringify([sub.slug, parentId, name, body]));
  const sender: Sender = { ipHash, authorHash: sub.viewerHash };
  const keys = await idempotencyKeys(
    { json: sub.json, slug: sub.slug, header, token: sub.input.token, requestHash },
    sender,
  );
  const earlier = await findReplay(services.db, keys, requestHash, sender);
  if (earlier) return fromStore(earlier.replay, sender.authorHash ?? "", earlier.bookmark);

  const refusal = await admissionRefusal(config, services.limiter, sub.input.turnstile, ipHash);
  if (refusal) return refused(refusal.status, { form: refusal.message }, { headers: refusal.headers });
  const authorHash = await services.issueAuthor(config.salt);
  const byOwner = (await services.isOwner?.()) ?? false;
  // The owner's own comments need nobody's approval.
  const held =
    !byOwner &&
    (config.moderation === "hold-all" || (config.moderation === "hold-links" && (hasLink(body) || hasLink(name))));
  const token = sub.json ? await newCommentToken() : null;
  try {
    const db = writeSession(services.db);
    const result = await insertComment(db, {
      postSlug: sub.slug,
      parentId,
      author: name,
      body,
      status: held ? "pending" : "published",
      ipHash,
      authorHash,
      idempotencyKey: keys[0] ?? null,
      requestHash,
      tokenHash: token?.hash ?? null,
      byOwner,
      now: Date.now(),
    });
    const decision = fromStore(result, authorHash, db.getBookmark());
    return decision.kind === "created" && token ? { ...decision, token: token.token } : decision;
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    console.error(error.message, error.cause);
    return { kind: "unavailable", message: (t) => t.says.saveFailed, retryAfter: 30 };
  }
}
