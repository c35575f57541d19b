import { COLUMNS, type Comment, type CommentRow, type Cursor, type Db, d1, toComment } from "./rows.ts";
import { type CommentsState, type StateRow, stateStatement, toState } from "./stats.ts";

/** One comment the viewer may see: published, or held and theirs. Null otherwise. */
export async function getVisibleComment(
  db: Db,
  postSlug: string,
  id: number,
  authorHash: string | null,
): Promise<Comment | null> {
  const row = await d1("read", () =>
    db
      .prepare(
        `SELECT ${COLUMNS} FROM comments
         WHERE id = ?1 AND post_slug = ?2 AND (status = 'published' OR (status = 'pending' AND author_hash = ?3))`,
      )
      .bind(id, postSlug, authorHash)
      .first<CommentRow>(),
  );
  return row ? toComment(row) : null;
}

export interface CommentPage {
  comments: Comment[];
  /** Where the next page starts, or null on the last page. */
  next: Cursor | null;
}

/** The article page's query: one post's published comments from (key, id) on, in display order. */
const publishedPage = (db: Db, postSlug: string, key: number, id: number, take: number) =>
  db
    .prepare(
      `SELECT ${COLUMNS} FROM comments
       WHERE post_slug = ?1 AND status = 'published' AND (thread_key, id) > (?2, ?3)
       ORDER BY thread_key, id LIMIT ?4`,
    )
    .bind(postSlug, key, id, take);

/** The statements of one page of visible comments: published ones, plus the viewer's held ones when `authorHash` is given. */
function pageStatements(
  db: Db,
  postSlug: string,
  options: { after?: Cursor | null; limit: number; authorHash?: string | null },
): D1PreparedStatement[] {
  const [key, id] = options.after ? [-options.after.threadId, options.after.id] : [-Number.MAX_SAFE_INTEGER, 0];
  const take = options.limit + 1;
  const statements = [publishedPage(db, postSlug, key, id, take)];
  if (options.authorHash) {
    statements.push(
      db
        .prepare(
          `SELECT ${COLUMNS} FROM comments
           WHERE author_hash = ?1 AND post_slug = ?2 AND status = 'pending' AND (thread_key, id) > (?3, ?4)
           ORDER BY thread_key, id LIMIT ?5`,
        )
        .bind(options.authorHash, postSlug, key, id, take),
    );
  }
  return statements;
}

/** The page from `pageStatements`' results (one row list per statement, each in display order). */
function toPage(results: CommentRow[][], limit: number): CommentPage {
  const rows = results.flat();
  if (results.length > 1) rows.sort((a, b) => b.thread_id - a.thread_id || a.id - b.id);
  const page = rows.slice(0, limit).map(toComment);
  const last = page.at(-1);
  return {
    comments: page,
    next: rows.length > limit && last ? { threadId: last.threadId, id: last.id } : null,
  };
}

/**
 * A page of one post's visible comments in display order (newest thread first, each thread's
 * comments oldest first, so a reply sits under its parent), after `after`. Visible means
 * published, plus the viewer's own held comments when `authorHash` is given. Each query reads
 * one index range: rows proportional to the page, not to the table.
 */
export async function listVisible(
  db: Db,
  postSlug: string,
  options: { after?: Cursor | null; limit: number; authorHash?: string | null },
): Promise<CommentPage> {
  const results = await d1("list", () => db.batch<CommentRow>(pageStatements(db, postSlug, options)));
  return toPage(
    results.map((r) => r.results),
    options.limit,
  );
}

/**
 * What the article page shows of its comments, in one D1 round trip: the state (`commentsState`)
 * and a page of visible comments (`listVisible`), read in one batch, so also from one snapshot
 * (the ETag built from the state always matches the list shown). With `after`, the batch also
 * says whether the cursor points at a comment the viewer may see (`cursorFound`): a cursor this
 * blog never handed out, or one whose comment is gone, selects no page. `extra` statements ride
 * in the same batch (the viewer's editable comments, their last name) and their results come back
 * in `extra`, in order: a reader's whole view is one round trip.
 */
export async function articleComments(
  db: Db,
  postSlug: string,
  options: { after?: Cursor | null; limit: number; authorHash?: string | null; extra?: D1PreparedStatement[] },
): Promise<{ state: CommentsState; page: CommentPage; cursorFound: boolean; extra: D1Result[] }> {
  const { after, extra = [] } = options;
  const statements = [stateStatement(db, postSlug), ...pageStatements(db, postSlug, options)];
  if (after) statements.push(cursorStatement(db, postSlug, after, options.authorHash ?? null));
  const results = await d1("article comments", () => db.batch<StateRow | CommentRow>([...statements, ...extra]));
  const [state, ...rest] = results.slice(0, statements.length);
  const pages = after ? rest.slice(0, -1) : rest;
  return {
    state: toState(state?.results[0] as StateRow | undefined),
    page: toPage(
      pages.map((r) => r.results as CommentRow[]),
      options.limit,
    ),
    cursorFound: !after || (rest.at(-1)?.results.length ?? 0) > 0,
    extra: results.slice(statements.length),
  };
}

/** One row when `after` names a visible comment of the post (with `id: 0`, its thread's first comment). */
const cursorStatement = (db: Db, postSlug: string, after: Cursor, authorHash: string | null) =>
  db
    .prepare(
      `SELECT 1 AS found FROM comments
       WHERE id = ?1 AND thread_id = ?2 AND post_slug = ?3 AND (status = 'published' OR (status = 'pending' AND author_hash = ?4))`,
    )
    .bind(after.id || after.threadId, after.threadId, postSlug, authorHash);

/**
 * How many comments the viewer sees before `comment` in display order: tells whether a new
 * reply is on the first page of its article. Only on the POST path; reads up to that position.
 */
export async function positionOf(db: Db, comment: Comment, authorHash: string): Promise<number> {
  const row = await d1("position", () =>
    db
      .prepare(
        `SELECT count(*) AS n FROM comments
         WHERE post_slug = ?1 AND (thread_key, id) < (?2, ?3)
           AND (status = 'published' OR (status = 'pending' AND author_hash = ?4))`,
      )
      .bind(comment.postSlug, -comment.threadId, comment.id, authorHash)
      .first<{ n: number }>(),
  );
  return row?.n ?? 0;
}

/** The first-page query's D1 metadata (`rows_read`), for tests and benchmarks. */
export async function listVisibleMeta(db: Db, postSlug: string, limit: number): Promise<D1Meta> {
  return (await publishedPage(db, postSlug, -Number.MAX_SAFE_INTEGER, 0, limit + 1).run()).meta;
}
