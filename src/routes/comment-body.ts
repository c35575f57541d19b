import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isCommentType, mediaTypeOf } from "../comments/input.ts";
import type { AppEnv } from "../types.ts";
import { errorResponse } from "./error-response.tsx";

/** Largest request body a comment POST may have, checked before parsing (5,000 Hangul characters URL-encoded is ~45 KB). */
export const MAX_COMMENT_REQUEST_BYTES = 64 * 1024;

/*
 * What a comment POST's body goes through before its validators, in this order.
 */

/** A media type a comment may be sent as, or 415. */
export const commentMediaType: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isCommentType(mediaTypeOf(c.req.header("content-type")))) return errorResponse(c, 415, (t) => t.says.mediaType);
  await next();
};

/** The size limit: 413 before anything is parsed. */
export const commentSizeLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_COMMENT_REQUEST_BYTES,
  onError: (c) => errorResponse(c, 413, (t) => t.says.tooLarge),
});

/**
 * Reads the raw bytes first: the validators decode them leniently (bad UTF-8 becomes U+FFFD),
 * then reuse this copy, so the decision can still check what was really sent. A failed read is
 * left for the validators to answer (400).
 */
export const keepRawBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  await c.req.arrayBuffer().catch(() => undefined);
  await next();
};
