import { COLUMNS, type Comment, type CommentRow, CommentsUnavailable, type Db, d1, toComment } from "./rows.ts";

/** What a new comment needs; the route has validated and normalized every field. */
export interface NewComment {
  postSlug: string;
  parentId: number | null;
  author: string;
  body: string;
  status: "published" | "pending";
  ipHash: string;
  authorHash: string;
  /** Unique per logical submission (hashed Idempotency-Key or form token); null: no dedupe. */
  idempotencyKey: string | null;
  /** Hash of what was submitted, to tell a retry from a different request reusing the key. */
  requestHash: string | null;
  /** SHA-256 of the per-comment token handed to an API client once, or null. */
  tokenHash?: string | null;
  /** Written by the signed-in site owner (the "Author" badge): the server decides, never the input. */
  byOwner?: boolean;
  /** Milliseconds since the epoch. */
  now: number;
}

export type InsertResult =
  | { kind: "created"; comment: Comment }
  /** The same submission was stored before (retry, double click): here is that comment. */
  | { kind: "replayed"; comment: Comment }
  /** The key was used before for a different submission. */
  | { kind: "key-reused" }
  /** The parent is not a visible comment of the same post (for this author). */
  | { kind: "bad-parent" };

/**
 * Stores a comment in one statement. A reply is inserted only when its parent is a comment of
 * the same post that the author can see (published, or their own held one), so a bad parent
 * stores nothing. A repeated idempotency key stores nothing either (UNIQUE constraint, safe
 * under concurrency): the first comment stored with that key is returned instead.
 */
export async function insertComment(db: Db, c: NewComment): Promise<InsertResult> {
  const values = [
    c.postSlug,
    c.author,
    c.body,
    c.status,
    c.now,
    c.ipHash,
    c.authorHash,
    c.idempotencyKey,
    c.requestHash,
    c.tokenHash ?? null,
    c.byOwner ? 1 : 0,
  ] as const;
  const statement =
    c.parentId === null
      ? db
          .prepare(
            `INSERT INTO comments (post_slug, parent_id, root_id, depth, author, body, status, created_at, updated_at, ip_hash, author_hash, idempotency_key, request_hash, token_hash, by_owner)
             VALUES (?1, NULL, NULL, 0, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (idempotency_key) DO NOTHING
             RETURNING ${COLUMNS}`,
          )
          .bind(...values)
      : db
          .prepare(
            `INSERT INTO comments (post_slug, parent_id, root_id, depth, author, body, status, created_at, updated_at, ip_hash, author_hash, idempotency_key, request_hash, token_hash, by_owner)
             SELECT ?1, p.id, coalesce(p.root_id, p.id), p.depth + 1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11
             FROM comments AS p
             WHERE p.id = ?12 AND p.post_slug = ?1 AND (p.status = 'published' OR (p.status = 'pending' AND p.author_hash = ?7))
             ON CONFLICT (idempotency_key) DO NOTHING
             RETURNING ${COLUMNS}`,
          )
          .bind(...values, c.parentId);
  const row = await d1("insert", () => statement.first<CommentRow>());
  if (row) return { kind: "created", comment: toComment(row) };
  if (c.idempotencyKey !== null) {
    const earlier = await d1("idempotency lookup", () =>
      db
        .prepare(`SELECT ${COLUMNS}, request_hash FROM comments WHERE idempotency_key = ?1`)
        .bind(c.idempotencyKey)
        .first<CommentRow & { request_hash: string | null }>(),
    );
    if (earlier) {
      return earlier.request_hash === c.requestHash
        ? { kind: "replayed", comment: toComment(earlier) }
        : { kind: "key-reused" };
    }
  }
  if (c.parentId !== null) return { kind: "bad-parent" };
  throw new CommentsUnavailable("D1 insert returned no row");
}

/** A comment stored under an idempotency key: what tells a retry from a reuse of the key. */
export interface IdempotentEntry {
  key: string;
  comment: Comment;
  requestHash: string | null;
  /** True when the comment carries the given author hash (the same commenter cookie). */
  byAuthor: boolean;
}

/**
 * The comments stored under any of `keys` (at most a few), read only: lets a retry be answered
 * before anything else, such as the rate limiter, is charged for it.
 */
export async function findByIdempotencyKeys(
  db: Db,
  keys: readonly string[],
  authorHash: string | null,
): Promise<IdempotentEntry[]> {
  if (keys.length === 0) return [];
  const placeholders = keys.map((_, i) => `?${i + 2}`).join(", ");
  const { results } = await d1("idempotency lookup", () =>
    db
      .prepare(
        `SELECT ${COLUMNS}, idempotency_key, request_hash, author_hash IS ?1 AS by_author
         FROM comments WHERE idempotency_key IN (${placeholders})`,
      )
      .bind(authorHash, ...keys)
      .all<CommentRow & { idempotency_key: string; request_hash: string | null; by_author: number }>(),
  );
  return results.map((row) => ({
    key: row.idempotency_key,
    comment: toComment(row),
    requestHash: row.request_hash,
    byAuthor: row.by_author === 1,
  }));
}
