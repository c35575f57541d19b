/**
 * D1 storage of the search documents (written by the build: pipeline/search-rows.ts): every search SQL
 * statement lives here, prepared, with bound parameters. Functions take the database first.
 */

import { guardedSession } from "../lib/d1-session.ts";
import { type Notice, Unavailable } from "../lib/unavailable.ts";
import { ftsQuery, likePattern, MARK_END, MARK_START, markTerms, splitTerms } from "./query.ts";

export type Db = D1Database | D1DatabaseSession;

/** D1 errored (unreachable, overloaded, timed out): the search page answers 503. */
export class SearchUnavailable extends Unavailable {
  override name = "SearchUnavailable";
  constructor(message: string, options?: ErrorOptions) {
    super(message, NO_SEARCH, options);
  }
}

const NO_SEARCH: Notice = { message: "Search is unavailable right now. Please try again in a minute.", retryAfter: 60 };

/** One post found. */
export interface SearchHit {
  slug: string;
  title: string;
  /** ISO 8601. */
  date: string;
  /** Plain text with matches between MARK_START and MARK_END (src/search/query.ts): never HTML. */
  snippet: string;
}

export interface SearchOptions {
  /** Lower-cased, normalized words (parseSearch); all must match. */
  terms: string[];
  /** The release whose posts to search (the Worker's own). */
  release: string;
  /** Posts dated after this (ms since epoch) are not found yet; Infinity in a preview build. */
  now: number;
  limit: number;
  offset: number;
}

interface HitRow {
  slug: string;
  title: string;
  date: string;
  snippet: string;
}

/** A read handle (D1 Sessions, guarded against hangs) whose failures are `SearchUnavailable`. */
export function searchSession(db: D1Database): D1DatabaseSession {
  try {
    return guardedSession(db);
  } catch (error) {
    throw new SearchUnavailable("D1 session failed", { cause: error });
  }
}

/** `likePattern` conditions for short terms (under 3 characters: too short for the trigram index). */
function likeClauses(count: number, first: number, columns: readonly string[]): string {
  return Array.from(
    { length: count },
    (_, i) => ` AND (${columns.map((col) => `${col} LIKE ?${first + i} ESCAPE '\\'`).join(" OR ")})`,
  ).join("");
}

/**
 * The full-text query with `shortTerms` LIKE conditions. `CROSS JOIN` fixes the order: the trigram
 * index finds the matching documents, then each is looked up in the release. Left to itself, with
 * no statistics (D1 runs no ANALYZE), SQLite may start from the release's memberships and run the
 * MATCH once per document: 100 s instead of 20 ms for a common word among 10,000 posts.
 */
export function matchSql(shortTerms: number): string {
  return `SELECT d.slug, d.title, d.date, snippet(search_docs_index, -1, ?1, ?2, '…', 24) AS snippet
     FROM search_docs_index
     CROSS JOIN search_docs d ON d.id = search_docs_index.rowid
     CROSS JOIN search_release_docs m ON m.release = ?4 AND m.doc = d.doc
     WHERE search_docs_index MATCH ?3 AND d.published_at <= ?5${likeClauses(shortTerms, 8, ["d.title", "d.summary", "d.tags", "d.body"])}
     ORDER BY rank LIMIT ?6 OFFSET ?7`;
}

/** The query for short terms only (LIKE in titles, summaries and tags), newest first. */
export function likeSql(shortTerms: number): string {
  return `SELECT d.slug, d.title, d.date, d.summary AS snippet
     FROM search_release_docs m
     JOIN search_docs d ON d.doc = m.doc
     WHERE m.release = ?1 AND d.published_at <= ?2${likeClauses(shortTerms, 5, ["d.title", "d.summary", "d.tags"])}
     ORDER BY d.published_at DESC LIMIT ?3 OFFSET ?4`;
}

/**
 * Posts of `release` out at `now` that hold every term, best first, `limit` + 1 of them from
 * `offset` (the extra one says whether a next page exists). A release's posts are its memberships
 * in `search_release_docs`; their text is in `search_docs`, shared by the releases that have it
 * (migrations/0003_create_search_docs.sql). Terms of 3 characters or more use the trigram index
 * (ranked by bm25, snippet from the best column); a query of only shorter terms is matched in
 * titles, summaries and tags with LIKE (newest first, the summary as snippet).
 */
export async function searchPosts(db: Db, options: SearchOptions): Promise<SearchHit[]> {
  const { long, short } = splitTerms(options.terms);
  const now = Number.isFinite(options.now) ? options.now : Number.MAX_SAFE_INTEGER;
  const patterns = short.map(likePattern);
  const statement =
    long.length > 0
      ? db
          .prepare(matchSql(short.length))
          .bind(
            MARK_START,
            MARK_END,
            ftsQuery(long),
            options.release,
            now,
            options.limit + 1,
            options.offset,
            ...patterns,
          )
      : db.prepare(likeSql(short.length)).bind(options.release, now, options.limit + 1, options.offset, ...patterns);
  let rows: HitRow[];
  try {
    rows = (await statement.all<HitRow>()).results;
  } catch (error) {
    throw new SearchUnavailable("D1 search failed", { cause: error });
  }
  return long.length > 0 ? rows : rows.map((row) => ({ ...row, snippet: markTerms(row.snippet, short) }));
}
