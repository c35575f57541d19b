import { COLUMNS, type Comment, type CommentRow, type Db, d1, toComment } from "./rows.ts";
import { type CommentsState, type StateRow, stateStatement, toState } from "./stats.ts";

/** Columns of `comments AS c`, for the joined query. */
const C_COLUMNS = COLUMNS.split(", ")
  .map((column) => `c.${column}`)
  .join(", ");

/**
 * The "best" order of a post's comments: its `threads` most liked threads (top comment's likes,
 * then newest), each with its published replies oldest first, at most `limit` comments, with the
 * state an ETag needs, in one batch. Published comments only.
 */
export async function bestComments(
  db: Db,
  postSlug: string,
  threads: number,
  limit: number,
): Promise<{ state: CommentsState; comments: Comment[] }> {
  const [state, rows] = await d1("best comments", () =>
    db.batch<StateRow | CommentRow>([
      stateStatement(db, postSlug),
      db
        .prepare(
          `WITH top AS (
             SELECT id, row_number() OVER (ORDER BY likes DESC, id DESC) AS rank FROM comments
             WHERE post_slug = ?1 AND status = 'published' AND root_id IS NULL
             ORDER BY likes DESC, id DESC LIMIT ?2
           )
           SELECT ${C_COLUMNS} FROM top JOIN comments AS c ON (c.id = top.id OR c.root_id = top.id)
           WHERE c.post_slug = ?1 AND c.status = 'published'
           ORDER BY top.rank, c.id LIMIT ?3`,
        )
        .bind(postSlug, threads, limit),
    ]),
  );
  return {
    state: toState(state?.results[0] as StateRow | undefined),
    comments: (rows?.results as CommentRow[] | undefined)?.map(toComment) ?? [],
  };
}
