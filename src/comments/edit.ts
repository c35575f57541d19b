/**
 * What becomes of a commenter's edit or delete, decided without HTTP (as `decideComment` decides a
 * POST): who may change the comment (the commenter cookie that wrote it, or the API token it
 * came with), whether its window is still open, the same text rules and rate limit as posting,
 * and whether the new text must be approved again. The routes (src/routes/comment-edits.tsx)
 * turn a decision into JSON or a page.
 */

import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Message } from "../i18n/index.ts";
import { commentErrors, hasLink, normalizeBody, normalizeName } from "../lib/comment-text.ts";
import { hmacHex, sha256Hex } from "../lib/crypto.ts";
import { RATE_LIMIT_WINDOW } from "./admission.ts";
import type { CommentConfig } from "./config.ts";
import { encodingErrors } from "./encoding-errors.ts";
import { deleteOwnComment, editComment, type OwnedComment, ownedComment } from "./store/edits.ts";
import { type Comment, CommentsUnavailable } from "./store/rows.ts";
import { writeSession } from "./store/sessions.ts";
import type { FieldErrors } from "./submit.ts";

/** Who asks to change comment `id` of post `slug`. */
export interface ChangeRequest {
  slug: string;
  id: number;
  /** The author hash of the request's commenter cookie (valid signature), or null. */
  viewerHash: string | null;
  /** The per-comment token of an API client (`Authorization: Bearer`), or null. */
  token: string | null;
  ip: string;
}

/** An edit: the new text as sent (`name` null keeps the name), and the raw body to check its encoding. */
export interface EditRequest extends ChangeRequest {
  name: string | null;
  body: string;
  raw: ArrayBuffer;
  contentType: string;
}

export interface ChangeServices {
  db: D1Database;
  limiter: RateLimit;
  config: CommentConfig;
  now: number;
}

export type ChangeDecision =
  /** Changed (`before`: the status it had, to know which caches to refresh); `unchanged`: the same text was sent. */
  | { kind: "edited" | "deleted" | "unchanged"; comment: Comment; before: Comment["status"]; bookmark: string | null }
  | { kind: "refused"; status: ContentfulStatusCode; errors: FieldErrors; headers: Record<string, string> }
  | { kind: "unavailable"; message: Message; retryAfter: number };

const refused = (
  status: ContentfulStatusCode,
  form: Message,
  headers: Record<string, string> = {},
): ChangeDecision => ({
  kind: "refused",
  status,
  errors: { form },
  headers,
});

export const NOT_YOURS: Message = (t) => t.says.notYours;

/** The window's message: how long comments stay editable. */
export const windowClosed =
  (config: CommentConfig): Message =>
  (t) =>
    config.editWindowMs === 0 ? t.says.noEditing : t.says.editWindow(config.editWindowMs / 60_000);

/** The comment when this request may change it, or the refusal: 404 unknown or gone, 403 not theirs or too late. */
async function authorize(
  request: ChangeRequest,
  services: ChangeServices,
): Promise<{ owned: OwnedComment } | ChangeDecision> {
  const owned = await ownedComment(writeSession(services.db), request.slug, request.id);
  if (!owned || (owned.comment.status !== "published" && owned.comment.status !== "pending"))
    return refused(404, (t) => t.says.noCommentId(request.id));
  const byCookie = request.viewerHash !== null && request.viewerHash === owned.authorHash;
  const byToken =
    request.token !== null &&
    owned.tokenHash !== null &&
    (await sha256Hex(`comment-token:${request.token}`)) === owned.tokenHash;
  if (!byCookie && !byToken) return refused(403, NOT_YOURS);
  if (!isEditable(owned.createdAt, services)) return refused(403, windowClosed(services.config));
  return { owned };
}

/** True while a comment posted at `createdAt` may still be changed. */
export const isEditable = (createdAt: number, { config, now }: Pick<ChangeServices, "config" | "now">): boolean =>
  config.editWindowMs > 0 && now - createdAt <= config.editWindowMs;

/** The links in a text, as written: an edit that brings a new one is held again under "hold-links". */
const linksOf = (text: string): string[] => text.match(/\bhttps?:\/\/\S+|\bwww\.[^\s.]+\.\S+/gi) ?? [];

/** The status an edited comment gets: held ones stay held; a published one is held again when it must be approved. */
function statusAfterEdit(config: CommentConfig, old: Comment, name: string, body: string): "published" | "pending" {
  if (old.status !== "published") return "pending";
  if (config.moderation === "hold-all") return "pending";
  if (config.moderation === "hold-links") {
    const before = new Set([...linksOf(old.author), ...linksOf(old.body)]);
    const added = [...linksOf(name), ...linksOf(body)].some((link) => !before.has(link));
    if (added || (hasLink(name) && !hasLink(old.author))) return "pending";
  }
  return "published";
}

/** The rate limiter's refusal (the same budget as posting), or null; a failing limiter lets the change through. */
async function limited(services: ChangeServices, ip: string): Promise<ChangeDecision | null> {
  if (!services.config.salt) return null;
  try {
    const { success } = await services.limiter.limit({ key: await hmacHex(services.config.salt, `ip:${ip}`) });
    if (success) return null;
  } catch (error) {
    console.error("rate limiter failed", error);
    return null;
  }
  return refused(429, (t) => t.says.editingTooFast, { "Retry-After": String(RATE_LIMIT_WINDOW) });
}

/** Runs a store call, turning D1 trouble into the "unavailable" decision. */
async function saving(run: () => Promise<ChangeDecision>): Promise<ChangeDecision> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    console.error(error.message, error.cause);
    return { kind: "unavailable", message: (t) => t.says.changeFailed, retryAfter: 30 };
  }
}

/** Decides an edit: refused (404, 403, 422, 429), unavailable, unchanged, or edited (possibly held again). */
export function decideEdit(request: EditRequest, services: ChangeServices): Promise<ChangeDecision> {
  return saving(async () => {
    const auth = await authorize(request, services);
    if (!("owned" in auth)) return auth;
    const old = auth.owned.comment;
    const name = request.name === null ? old.author : normalizeName(request.name);
    const body = normalizeBody(request.body);
    const errors: FieldErrors = {
      ...commentErrors(name, body),
      ...encodingErrors(request.raw, request.contentType, { name: request.name ?? "", body: request.body }),
    };
    if (Object.keys(errors).length > 0) return { kind: "refused", status: 422, errors, headers: {} };
    if (name === old.author && body === old.body)
      return { kind: "unchanged", comment: old, before: old.status, bookmark: null };
    const limit = await limited(services, request.ip);
    if (limit) return limit;
    const db = writeSession(services.db);
    const comment = await editComment(db, old.id, {
      author: name,
      body,
      status: statusAfterEdit(services.config, old, name, body),
      now: services.now,
      postedAfter: services.now - services.config.editWindowMs,
    });
    if (!comment) return refused(403, windowClosed(services.config));
    return { kind: "edited", comment, before: old.status, bookmark: db.getBookmark() };
  });
}

/** Decides a delete: refused (404, 403), unavailable, or deleted (the row stays, marked deleted). */
export function decideDelete(request: ChangeRequest, services: ChangeServices): Promise<ChangeDecision> {
  return saving(async () => {
    const auth = await authorize(request, services);
    if (!("owned" in auth)) return auth;
    const db = writeSession(services.db);
    const postedAfter = services.now - services.config.editWindowMs;
    const comment = await deleteOwnComment(db, request.id, services.now, postedAfter);
    if (!comment) return refused(403, windowClosed(services.config));
    return { kind: "deleted", comment, before: auth.owned.comment.status, bookmark: db.getBookmark() };
  });
}

/** A new per-comment token for an API client and the hash stored in its place. */
export async function newCommentToken(): Promise<{ token: string; hash: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const token = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
  return { token, hash: await sha256Hex(`comment-token:${token}`) };
}
