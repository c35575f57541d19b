import { type CommentVersion, versionsOf } from "./edits.ts";
import {
  COLUMNS,
  type Comment,
  type CommentRow,
  type CommentStatus,
  chunks,
  type Db,
  d1,
  MAX_PARAMS,
  toComment,
} from "./rows.ts";

/** A comment as the moderator sees it. */
export interface ModeratedComment extends Comment {
  /** First 12 hex digits of the IP hash: enough to spot one sender's flood, useless to find them. */
  ipTag: string;
  /** The texts it had before its writer edited it, oldest first (empty when never edited). */
  versions: CommentVersion[];
}

/**
 * Comments for moderation, one status (oldest first for "pending", so the queue is worked in
 * order; newest first otherwise) or every status (newest first), before/after cursor `from`.
 */
export async function listForModeration(
  db: Db,
  options: { status: CommentStatus | null; limit: number; from?: number | null },
): Promise<{ comments: ModeratedComment[]; next: number | null }> {
  const take = options.limit + 1;
  const oldestFirst = options.status === "pending";
  const statement =
    options.status === null
      ? db
          .prepare(`SELECT ${COLUMNS}, ip_hash FROM comments WHERE id < ?1 ORDER BY id DESC LIMIT ?2`)
          .bind(options.from ?? Number.MAX_SAFE_INTEGER, take)
      : oldestFirst
        ? db
            .prepare(`SELECT ${COLUMNS}, ip_hash FROM comments WHERE status = ?1 AND id > ?2 ORDER BY id LIMIT ?3`)
            .bind(options.status, options.from ?? 0, take)
        : db
            .prepare(`SELECT ${COLUMNS}, ip_hash FROM comments WHERE status = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3`)
            .bind(options.status, options.from ?? Number.MAX_SAFE_INTEGER, take);
  const { results } = await d1("moderation list", () => statement.all<CommentRow & { ip_hash: string }>());
  const rows = results.slice(0, options.limit);
  // Earlier texts only for edited comments: one more read, only when the page holds one.
  const edited = rows.filter((row) => row.edited_at !== null).map((row) => row.id);
  const versions = await versionsOf(db, edited);
  const page = rows.map((row) => ({
    ...toComment(row),
    ipTag: row.ip_hash.slice(0, 12),
    versions: versions.get(row.id) ?? [],
  }));
  return { comments: page, next: results.length > options.limit ? (page.at(-1)?.id ?? null) : null };
}

/** Most ids one moderation request may change. */
export const MODERATION_BATCH_MAX = 500;

/**
 * Sets the status of many comments at once (in statements of at most 90 ids, all in one
 * transaction). Returns how many comments changed status and the posts they belong to.
 */
export async function setStatus(
  db: Db,
  ids: readonly number[],
  status: CommentStatus,
  now: number,
): Promise<{ changed: number; posts: string[] }> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { changed: 0, posts: [] };
  const statements = chunks(unique, MAX_PARAMS - 2).map((part) =>
    db
      .prepare(
        `UPDATE comments SET status = ?1, updated_at = ?2
         WHERE status <> ?1 AND id IN (${part.map((_, i) => `?${i + 3}`).join(", ")})
         RETURNING id, post_slug`,
      )
      .bind(status, now, ...part),
  );
  // Counted from RETURNING: D1's meta.changes also counts the rows the stats triggers touch.
  const results = await d1("moderation", () => db.batch<{ id: number; post_slug: string }>(statements));
  const rows = results.flatMap((r) => r.results);
  return { changed: rows.length, posts: [...new Set(rows.map((r) => r.post_slug))] };
}
