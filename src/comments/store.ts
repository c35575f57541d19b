/**
 * D1 storage of reader comments: every SQL statement of the project's comments lives here, as
 * prepared statements with bound parameters. Functions take the database first; reads accept a
 * `D1DatabaseSession` as well, so callers can route them through D1's Sessions API (read
 * replicas) with `readSession()` and carry a write's bookmark forward.
 */

import { guardedSession } from "../lib/d1-session.ts";

/** The database or a session on it: both prepare statements and run batches. */
export type Db = D1Database | D1DatabaseSession;

export type CommentStatus = "published" | "pending" | "spam" | "deleted";
export const COMMENT_STATUSES: readonly CommentStatus[] = ["published", "pending", "spam", "deleted"];

/** A stored comment as the Worker uses it. Never holds the IP hash or the author token hash. */
export interface Comment {
  id: number;
  postSlug: string;
  parentId: number | null;
  /** The id of the thread's top-level comment (its own id for a top-level comment). */
  threadId: number;
  depth: number;
  author: string;
  body: string;
  status: CommentStatus;
  /** ISO 8601, UTC. */
  createdAt: string;
  updatedAt: string;
}

/**
 * Where a page of comments continues: after comment `id` of thread `threadId` (threads run newest
 * first, comments within a thread oldest first). `id: 0` starts at the top of that thread.
 */
export interface Cursor {
  threadId: number;
  id: number;
}

/** D1 errored (unreachable, overloaded, timed out): readers get a notice, writers a 503. */
export class CommentsUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CommentsUnavailable";
  }
}

const COLUMNS = "id, post_slug, parent_id, thread_id, depth, author, body, status, created_at, updated_at" as const;

interface CommentRow {
  id: number;
  post_slug: string;
  parent_id: number | null;
  thread_id: number;
  depth: number;
  author: string;
  body: string;
  status: CommentStatus;
  created_at: number;
  updated_at: number;
}

const toComment = (row: CommentRow): Comment => ({
  id: row.id,
  postSlug: row.post_slug,
  parentId: row.parent_id,
  threadId: row.thread_id,
  depth: row.depth,
  author: row.author,
  body: row.body,
  status: row.status,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** Runs a D1 call, turning any failure into `CommentsUnavailable` so routes can answer 503 / a notice. */
async function d1<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new CommentsUnavailable(`D1 ${what} failed`, { cause: error });
  }
}

/**
 * The handle reads go through: a D1 session that starts at `bookmark` (a write's bookmark, so
 * the reader sees at least that write) or anywhere when there is none. With read replication
 * off this is the primary, as before; turning replicas on needs no code change. A session that
 * hangs falls back to the primary (src/lib/d1-session.ts).
 */
export function readSession(db: D1Database, bookmark?: string | null): D1DatabaseSession {
  try {
    return guardedSession(db, bookmark);
  } catch (error) {
    throw new CommentsUnavailable("D1 session failed", { cause: error });
  }
}

/** The handle writes go through: the primary, with a bookmark to hand to the writer's next reads. */
export function writeSession(db: D1Database): D1DatabaseSession {
  try {
    return db.withSession("first-primary");
  } catch (error) {
    throw new CommentsUnavailable("D1 session failed", { cause: error });
  }
}

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
  ] as const;
  const statement =
    c.parentId === null
      ? db
          .prepare(
            `INSERT INTO comments (post_slug, parent_id, root_id, depth, author, body, status, created_at, updated_at, ip_hash, author_hash, idempotency_key, request_hash)
             VALUES (?1, NULL, NULL, 0, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (idempotency_key) DO NOTHING
             RETURNING ${COLUMNS}`,
          )
          .bind(...values)
      : db
          .prepare(
            `INSERT INTO comments (post_slug, parent_id, root_id, depth, author, body, status, created_at, updated_at, ip_hash, author_hash, idempotency_key, request_hash)
             SELECT ?1, p.id, coalesce(p.root_id, p.id), p.depth + 1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9
             FROM comments AS p
             WHERE p.id = ?10 AND p.post_slug = ?1 AND (p.status = 'published' OR (p.status = 'pending' AND p.author_hash = ?7))
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
 * blog never handed out, or one whose comment is gone, selects no page.
 */
export async function articleComments(
  db: Db,
  postSlug: string,
  options: { after?: Cursor | null; limit: number; authorHash?: string | null },
): Promise<{ state: CommentsState; page: CommentPage; cursorFound: boolean }> {
  const { after } = options;
  const statements = [stateStatement(db, postSlug), ...pageStatements(db, postSlug, options)];
  if (after) statements.push(cursorStatement(db, postSlug, after, options.authorHash ?? null));
  const [state, ...rest] = await d1("article comments", () => db.batch<StateRow | CommentRow>(statements));
  const pages = after ? rest.slice(0, -1) : rest;
  return {
    state: toState(state?.results[0] as StateRow | undefined),
    page: toPage(
      pages.map((r) => r.results as CommentRow[]),
      options.limit,
    ),
    cursorFound: !after || (rest.at(-1)?.results.length ?? 0) > 0,
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

/** D1 allows about 100 bound parameters per statement; stay well under it. */
const MAX_PARAMS = 90;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Published-comment counts for many posts in one round trip (one row read per post). */
export async function commentCounts(db: Db, slugs: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return counts;
  const statements = chunks(unique, MAX_PARAMS).map((part) =>
    db
      .prepare(
        `SELECT post_slug, published FROM comment_stats WHERE post_slug IN (${part.map((_, i) => `?${i + 1}`).join(", ")})`,
      )
      .bind(...part),
  );
  const results = await d1("counts", () => db.batch<{ post_slug: string; published: number }>(statements));
  for (const row of results.flatMap((r) => r.results)) counts.set(row.post_slug, row.published);
  return counts;
}

/** What the visible comments of a post look like, cheaply: changes whenever that set changes. */
export interface CommentsState {
  /** Published comments. */
  count: number;
  /** Bumped on every change to the visible set (new, approved, removed). */
  version: number;
  /** When the visible set last changed (ISO 8601), or null when it never had a comment. */
  changedAt: string | null;
}

/**
 * The state of one post's visible comments in a one-row read: what a cache key or an ETag
 * needs to change exactly when the comments a reader sees change.
 */
export async function commentsState(db: Db, postSlug: string): Promise<CommentsState> {
  return toState(await d1("state", () => stateStatement(db, postSlug).first<StateRow>()));
}

interface StateRow {
  published: number;
  version: number;
  changed_at: number;
}

const stateStatement = (db: Db, postSlug: string) =>
  db.prepare("SELECT published, version, changed_at FROM comment_stats WHERE post_slug = ?1").bind(postSlug);

const toState = (row: StateRow | null | undefined): CommentsState =>
  row
    ? { count: row.published, version: row.version, changedAt: new Date(row.changed_at).toISOString() }
    : { count: 0, version: 0, changedAt: null };

/** A comment as the moderator sees it. */
export interface ModeratedComment extends Comment {
  /** First 12 hex digits of the IP hash: enough to spot one sender's flood, useless to find them. */
  ipTag: string;
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
  const page = results.slice(0, options.limit).map((row) => ({ ...toComment(row), ipTag: row.ip_hash.slice(0, 12) }));
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
