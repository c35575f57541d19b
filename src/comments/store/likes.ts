import { type Db, d1 } from "./rows.ts";

export type LikeResult =
  /** Counted now; `likes` is the comment's new count. */
  | { kind: "liked"; likes: number }
  /** This reader had liked it before: nothing changed. */
  | { kind: "already"; likes: number }
  /** No published comment with that id on the post. */
  | { kind: "missing" };

/**
 * One like of `reader` for a published comment of the post: the primary key keeps it to one per
 * reader, the trigger (migrations/0006) counts it on the comment and bumps the post's comments
 * version. Two statements in one batch (one transaction): the like, then the count as it stands.
 */
export async function likeComment(
  db: Db,
  postSlug: string,
  id: number,
  reader: string,
  now: number,
): Promise<LikeResult> {
  const [inserted, count] = await d1("like", () =>
    db.batch<{ comment_id?: number; likes?: number }>([
      db
        .prepare(
          `INSERT INTO comment_likes (comment_id, reader, created_at)
           SELECT id, ?3, ?4 FROM comments WHERE id = ?1 AND post_slug = ?2 AND status = 'published'
           ON CONFLICT (comment_id, reader) DO NOTHING
           RETURNING comment_id`,
        )
        .bind(id, postSlug, reader, now),
      db
        .prepare("SELECT likes FROM comments WHERE id = ?1 AND post_slug = ?2 AND status = 'published'")
        .bind(id, postSlug),
    ]),
  );
  const likes = count?.results[0]?.likes;
  if (likes === undefined) return { kind: "missing" };
  return (inserted?.results.length ?? 0) > 0 ? { kind: "liked", likes } : { kind: "already", likes };
}
