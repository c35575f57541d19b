import { isToken, sha256Hex } from "../lib/crypto.ts";
import { findByIdempotencyKeys, type InsertResult } from "./store/insert.ts";
import { CommentsUnavailable } from "./store/rows.ts";
import { writeSession } from "./store/sessions.ts";

/** Who sent a comment, as far as scoping idempotency keys goes. */
export interface Sender {
  ipHash: string;
  /** From a valid commenter cookie sent with the request; null without one. */
  authorHash: string | null;
}

/** What a submission's keys are made from: the route has checked the Idempotency-Key header. */
export interface Submission {
  json: boolean;
  slug: string;
  /** The Idempotency-Key header (JSON only). */
  header: string | undefined;
  /** The form's token (forms only). */
  token: string;
  requestHash: string;
}

/**
 * The idempotency keys a submission may already be stored under; it is stored under the first.
 * An API key is scoped to the post and to the sender: the commenter cookie when one is sent,
 * else the IP, so an unrelated client reusing a key gets its own comment. A client that kept the
 * cookie its first (lost) answer set retries with it, so with a cookie the IP-scoped key is a
 * second candidate, which only a comment carrying this cookie's author hash may claim. A form
 * token is scoped to IP and content: a cached page hands many readers the same token.
 */
export async function idempotencyKeys(submission: Submission, sender: Sender): Promise<string[]> {
  const { json, slug, header, token, requestHash } = submission;
  if (!json) return isToken(token) ? [await sha256Hex(`form\n${token}\n${sender.ipHash}\n${requestHash}`)] : [];
  if (!header) return [];
  const byIp = await sha256Hex(`api\n${slug}\nip:${sender.ipHash}\n${header}`);
  if (sender.authorHash === null) return [byIp];
  return [await sha256Hex(`api\n${slug}\nauthor:${sender.authorHash}\n${header}`), byIp];
}

export type Replay = Extract<InsertResult, { kind: "replayed" } | { kind: "key-reused" }>;

/**
 * The earlier answer to a retried submission (read only, on the primary), or null when there is
 * none or D1 cannot say: then the submission goes on to be stored, which reports D1 trouble
 * itself. Checked before the rate limiter and Turnstile, so a client retrying its own request
 * gets its comment back rather than a 429 or a failed (already spent) challenge.
 */
export async function findReplay(
  db: D1Database,
  keys: readonly string[],
  requestHash: string,
  sender: Sender,
): Promise<{ replay: Replay; bookmark: string | null } | null> {
  if (keys.length === 0) return null;
  try {
    const session = writeSession(db);
    const entries = await findByIdempotencyKeys(session, keys, sender.authorHash);
    for (const [index, key] of keys.entries()) {
      const entry = entries.find((candidate) => candidate.key === key);
      if (!entry || (index > 0 && !entry.byAuthor)) continue;
      const replay: Replay =
        entry.requestHash === requestHash ? { kind: "replayed", comment: entry.comment } : { kind: "key-reused" };
      return { replay, bookmark: session.getBookmark() };
    }
    return null;
  } catch (error) {
    if (error instanceof CommentsUnavailable) return null;
    throw error;
  }
}
