import { COLUMNS, type Comment, type CommentRow, type Db, d1, toComment } from "./rows.ts";

/** Published comments for the Atom feeds, newest first: never a held, spam or deleted one. */

/** A post's newest published comments; with `thread`, only that thread's (its top comment and replies). */
export async function feedComments(db: Db, postSlug: string, limit: number, thread?: number): Promise<Comment[]> {
  const statement =
    thread === undefined
      ? db
          .prepare(
            `SELECT ${COLUMNS} FROM comments WHERE post_slug = ?1 AND status = 'published' ORDER BY id DESC LIMIT ?2`,
          )
          .bind(postSlug, limit)
      : db
          .prepare(
            `SELECT ${COLUMNS} FROM comments
             WHERE post_slug = ?1 AND status = 'published' AND (id = ?3 OR root_id = ?3)
             ORDER BY id DESC LIMIT ?2`,
          )
          .bind(postSlug, limit, thread);
  const { results } = await d1("feed", () => statement.all<CommentRow>());
  return results.map(toComment);
}

/** The site's newest published comments, on every post. */
export async function recentComments(db: Db, limit: number): Promise<Comment[]> {
  const { results } = await d1("recent comments", () =>
    db
      .prepare(`SELECT ${COLUMNS} FROM comments WHERE status = 'published' ORDER BY id DESC LIMIT ?1`)
      .bind(limit)
      .all<CommentRow>(),
  );
  return results.map(toComment);
}

/** Whether `thread` is a published top-level comment of the post (a thread feed exists for it). */
export async function threadExists(db: Db, postSlug: string, thread: number): Promise<boolean> {
  const row = await d1("thread", () =>
    db
      .prepare(
        "SELECT 1 AS found FROM comments WHERE id = ?1 AND post_slug = ?2 AND root_id IS NULL AND status = 'published'",
      )
      .bind(thread, postSlug)
      .first<{ found: number }>(),
  );
  return row !== null;
}
