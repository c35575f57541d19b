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

/**
 * A commenter's own changes to their comment (edit, delete) and what the admin sees of them.
 * Earlier texts are kept by a trigger (migrations/0006), so every edit leaves its version behind.
 */

/** A comment with what tells who may change it: never leaves the decision (src/comments/edit.ts). */
export interface OwnedComment {
  comment: Comment;
  authorHash: string;
  tokenHash: string | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** Comment `id` of post `postSlug`, whatever its status, with its owner's hashes; null when there is none. */
export async function ownedComment(db: Db, postSlug: string, id: number): Promise<OwnedComment | null> {
  const row = await d1("read", () =>
    db
      .prepare(`SELECT ${COLUMNS}, author_hash, token_hash FROM comments WHERE id = ?1 AND post_slug = ?2`)
      .bind(id, postSlug)
      .first<CommentRow & { author_hash: string; token_hash: string | null }>(),
  );
  if (!row) return null;
  return { comment: toComment(row), authorHash: row.author_hash, tokenHash: row.token_hash, createdAt: row.created_at };
}

/** The new text of an edited comment and the status it goes to (pending when it must be approved again). */
export interface Edit {
  author: string;
  body: string;
  status: "published" | "pending";
  now: number;
  /** Posted before this (ms since the epoch): the edit window has closed, nothing changes. */
  postedAfter: number;
}

/**
 * Replaces a published or held comment's text while its edit window is open; the trigger keeps
 * the earlier text. Null when nothing changed (removed meanwhile, or the window closed).
 */
export async function editComment(db: Db, id: number, edit: Edit): Promise<Comment | null> {
  const row = await d1("edit", () =>
    db
      .prepare(
        `UPDATE comments SET author = ?2, body = ?3, status = ?4, updated_at = ?5, edited_at = ?5
         WHERE id = ?1 AND status IN ('published', 'pending') AND created_at >= ?6
         RETURNING ${COLUMNS}`,
      )
      .bind(id, edit.author, edit.body, edit.status, edit.now, edit.postedAfter)
      .first<CommentRow>(),
  );
  return row ? toComment(row) : null;
}

/** Marks a comment deleted (the row stays) while its edit window is open; null when nothing changed. */
export async function deleteOwnComment(db: Db, id: number, now: number, postedAfter: number): Promise<Comment | null> {
  const row = await d1("delete", () =>
    db
      .prepare(
        `UPDATE comments SET status = 'deleted', updated_at = ?2
         WHERE id = ?1 AND status IN ('published', 'pending') AND created_at >= ?3
         RETURNING ${COLUMNS}`,
      )
      .bind(id, now, postedAfter)
      .first<CommentRow>(),
  );
  return row ? toComment(row) : null;
}

/** The query behind `editableIds`, for a caller that sends it in its own batch (one round trip). */
export const editableStatement = (db: Db, postSlug: string, authorHash: string, postedAfter: number) =>
  db
    .prepare(
      `SELECT id FROM comments
       WHERE author_hash = ?1 AND post_slug = ?2 AND status IN ('published', 'pending') AND created_at >= ?3`,
    )
    .bind(authorHash, postSlug, postedAfter);

/** `editableStatement`'s rows as a set of ids. */
export const toEditable = (rows: readonly { id: number }[]): Set<number> => new Set(rows.map((row) => row.id));

/** The ids of the viewer's comments on a post that they may still edit (posted after `postedAfter`). */
export async function editableIds(
  db: Db,
  postSlug: string,
  authorHash: string,
  postedAfter: number,
): Promise<Set<number>> {
  const { results } = await d1("editable", () =>
    editableStatement(db, postSlug, authorHash, postedAfter).all<{ id: number }>(),
  );
  return toEditable(results);
}

/** An earlier text of a comment. */
export interface CommentVersion {
  author: string;
  body: string;
  status: CommentStatus;
  /** ISO 8601: when it was replaced. */
  replacedAt: string;
}

/** The earlier texts of `ids`, oldest first per comment, for the admin. */
export async function versionsOf(db: Db, ids: readonly number[]): Promise<Map<number, CommentVersion[]>> {
  const out = new Map<number, CommentVersion[]>();
  if (ids.length === 0) return out;
  const statements = chunks([...new Set(ids)], MAX_PARAMS).map((part) =>
    db
      .prepare(
        `SELECT comment_id, author, body, status, replaced_at FROM comment_versions
         WHERE comment_id IN (${part.map((_, i) => `?${i + 1}`).join(", ")}) ORDER BY comment_id, id`,
      )
      .bind(...part),
  );
  type Row = { comment_id: number; author: string; body: string; status: CommentStatus; replaced_at: number };
  const results = await d1("versions", () => db.batch<Row>(statements));
  for (const row of results.flatMap((r) => r.results)) {
    const list = out.get(row.comment_id) ?? [];
    list.push({
      author: row.author,
      body: row.body,
      status: row.status,
      replacedAt: new Date(row.replaced_at).toISOString(),
    });
    out.set(row.comment_id, list);
  }
  return out;
}
