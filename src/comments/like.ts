import type { Message } from "../i18n/index.ts";
import { hmacHex } from "../lib/crypto.ts";
import { RATE_LIMIT_WINDOW } from "./admission.ts";
import type { CommentConfig } from "./config.ts";
import { type LikeResult, likeComment } from "./store/likes.ts";
import { writeSession } from "./store/sessions.ts";

/** A like, as the route read it. */
export interface LikeRequest {
  slug: string;
  id: number;
  /** The commenter cookie's author hash, or null: then the reader is their IP hash. */
  viewerHash: string | null;
  ip: string;
}

export type LikeDecision =
  | (LikeResult & { bookmark: string | null })
  | { kind: "limited"; retryAfter: number }
  | { kind: "unavailable"; message: Message };

/**
 * Decides a like: one per reader per comment (the commenter cookie, or the IP hash without one:
 * never the IP), rate limited per IP hash by its own limiter (fails open: it only slows abuse).
 * D1 trouble is thrown as `CommentsUnavailable` (the route answers 503).
 */
export async function decideLike(
  request: LikeRequest,
  services: { db: D1Database; limiter: RateLimit; config: CommentConfig; now: number },
): Promise<LikeDecision> {
  const { salt } = services.config;
  if (!salt) return { kind: "unavailable", message: (t) => t.says.noLikes };
  const ipHash = await hmacHex(salt, `ip:${request.ip}`);
  try {
    const { success } = await services.limiter.limit({ key: ipHash });
    if (!success) return { kind: "limited", retryAfter: RATE_LIMIT_WINDOW };
  } catch (error) {
    console.error("like rate limiter failed", error);
  }
  const reader = request.viewerHash === null ? `ip:${ipHash}` : `a:${request.viewerHash}`;
  const db = writeSession(services.db);
  const result = await likeComment(db, request.slug, request.id, reader, services.now);
  return { ...result, bookmark: db.getBookmark() };
}
