import { chunks, type Db, d1, MAX_PARAMS } from "./rows.ts";
/** Per-post figures from `comment_stats` (kept by triggers, migrations): counts and the state an ETag needs. */

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

export interface StateRow {
  published: number;
  version: number;
  changed_at: number;
}

export const stateStatement = (db: Db, postSlug: string) =>
  db.prepare("SELECT published, version, changed_at FROM comment_stats WHERE post_slug = ?1").bind(postSlug);

export const toState = (row: StateRow | null | undefined): CommentsState =>
  row
    ? { count: row.published, version: row.version, changedAt: new Date(row.changed_at).toISOString() }
    : { count: 0, version: 0, changedAt: null };
