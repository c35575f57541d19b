import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Message } from "../i18n/index.ts";
import type { CommentConfig } from "./config.ts";
import { verifyTurnstile } from "./turnstile.ts";

/** Seconds a rate-limited commenter should wait (the limiter's window). */
export const RATE_LIMIT_WINDOW = 60;

/** Why a new comment is not stored now: the form-level message, its status and headers. */
export interface Refusal {
  status: ContentfulStatusCode;
  message: Message;
  headers: Record<string, string>;
}

/**
 * Whether a new (not replayed) comment may be stored: the Turnstile check when configured
 * (fails closed), then the per-sender rate limiter (fails open: it only slows spam). Null: go on.
 */
export async function admissionRefusal(
  config: CommentConfig,
  limiter: RateLimit,
  turnstileAnswer: string,
  ipHash: string,
): Promise<Refusal | null> {
  if (config.turnstileSecret) {
    const verdict = config.turnstileSiteKey
      ? await verifyTurnstile(config.turnstileSecret, turnstileAnswer)
      : "unreachable";
    if (verdict === "failed")
      return {
        status: 422,
        message: (t) => t.says.checkFailed,
        headers: {},
      };
    if (verdict === "unreachable")
      return {
        status: 503,
        message: (t) => t.says.checkDown,
        headers: { "Retry-After": "30" },
      };
  }
  try {
    const { success } = await limiter.limit({ key: ipHash });
    if (!success)
      return {
        status: 429,
        message: (t) => t.says.postingTooFast,
        headers: { "Retry-After": String(RATE_LIMIT_WINDOW) },
      };
  } catch (error) {
    // The limiter only slows spam; when it fails, a reader's comment still goes through.
    console.error("rate limiter failed", error);
  }
  return null;
}
