/** The comment reads and the one write the owner's notifications need (src/notify/, src/routes/admin-link.tsx). */

import { COLUMNS, type Comment, type CommentRow, type CommentStatus, type Db, d1, toComment } from "./rows.ts";

/** How many comments wait for approval (the comments_by_status index). */
export async function pendingCount(db: Db): Promise<number> {
  const row = await d1("pending count", () =>
    db.prepare("SELECT count(*) AS n FROM comments WHERE status = 'pending'").first<{ n: number }>(),
  );
  return row?.n ?? 0;
}

/** The first `limit` comments created in [from, to) (imported ones keep their old dates: not in it), and how many there are. */
export async function createdBetween(
  db: Db,
  from: number,
  to: number,
  limit: number,
): Promise<{ comments: Comment[]; total: number }> {
  const [list, count] = await d1("digest", () =>
    db.batch<CommentRow & { n: number }>([
      db
        .prepare(`SELECT ${COLUMNS} FROM comments WHERE created_at >= ?1 AND created_at < ?2 ORDER BY id LIMIT ?3`)
        .bind(from, to, limit),
      db.prepare("SELECT count(*) AS n FROM comments WHERE created_at >= ?1 AND created_at < ?2").bind(from, to),
    ]),
  );
  return { comments: (list?.results ?? []).map(toComment), total: count?.results[0]?.n ?? 0 };
}

/** One comment by id, whatever its status (the admin's view), or null. */
export async function commentById(db: Db, id: number): Promise<Comment | null> {
  const row = await d1("comment", () =>
    db.prepare(`SELECT ${COLUMNS} FROM comments WHERE id = ?1`).bind(id).first<CommentRow>(),
  );
  return row ? toComment(row) : null;
}

/**
 * Sets a comment's status only if it is still as it was at `version` (its updated_at, ms): the
 * one-time use of a moderation link. Returns the post when it changed, null when it had changed already.
 */
export async function moderateIfUnchanged(
  db: Db,
  id: number,
  version: number,
  status: CommentStatus,
  now: number,
): Promise<string | null> {
  // updated_at moves on even within the same millisecond, so a second use never matches.
  const row = await d1("link moderation", () =>
    db
      .prepare(
        `UPDATE comments SET status = ?1, updated_at = max(?2, updated_at + 1)
         WHERE id = ?3 AND updated_at = ?4 RETURNING post_slug`,
      )
      .bind(status, now, id, version)
      .first<{ post_slug: string }>(),
  );
  return row?.post_slug ?? null;
}
