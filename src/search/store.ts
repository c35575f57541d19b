/**
 * D1 storage of the search documents (written by the build: pipeline/search-rows.ts): every search SQL
 * statement lives here, prepared, with bound parameters. Functions take the database first.
 */

import { guardedSession } from "../lib/d1-session.ts";
import { type Notice, Unavailable } from "../lib/unavailable.ts";
import { ftsQuery, likePattern, splitGroups } from "./query.ts";
import { leadSnippet, snippetAround, TermFinder } from "./snippet.ts";

export type Db = D1Database | D1DatabaseSession;

/** D1 errored (unreachable, overloaded, timed out): the search page answers 503. */
export class SearchUnavailable extends Unavailable {
  override name = "SearchUnavailable";
  constructor(message: string, options?: ErrorOptions) {
    super(message, NO_SEARCH, options);
  }
}

const NO_SEARCH: Notice = { message: (t) => t.says.searchDown, retryAfter: 60 };

/** One post found. */
export interface SearchHit {
  slug: string;
  title: string;
  /** ISO 8601. */
  date: string;
  /** The post's language (BCP 47) when its front matter gives one. */
  lang: string | undefined;
  /** Plain text with matches between MARK_START and MARK_END (src/search/query.ts): never HTML. */
  snippet: string;
}

/** A page of results, and how many posts match in all. */
export interface SearchResults {
  hits: SearchHit[];
  /** Posts that match (on every page); 0 when this page is past the last. */
  total: number;
}

export interface SearchOptions {
  /** Groups of folded spellings (`termGroups`): every group must match, in any of its spellings. */
  groups: string[][];
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
  lang: string;
  summary: string;
  body: string;
  total: number;
}

/** A read handle (D1 Sessions, guarded against hangs) whose failures are `SearchUnavailable`. */
export function searchSession(db: D1Database): D1DatabaseSession {
  try {
    return guardedSession(db);
  } catch (error) {
    throw new SearchUnavailable("D1 session failed", { cause: error });
  }
}

/** `?n LIKE` conditions, one for each of `spellings` from parameter `first` on, joined by OR, over `columns`. */
function anyLike(spellings: number, first: number, columns: readonly string[]): string {
  const params = Array.from({ length: spellings }, (_, i) => `?${first + i}`);
  return columns.flatMap((col) => params.map((p) => `${col} LIKE ${p} ESCAPE '\\'`)).join(" OR ");
}

/**
 * LIKE conditions for the short groups (a spelling under 3 characters: too short for the trigram
 * index), `sizes` being their numbers of spellings and `first` the parameter of the first one.
 */
function likeClauses(sizes: readonly number[], first: number, columns: readonly string[]): string {
  let next = first;
  return sizes
    .map((size) => {
      const clause = ` AND (${anyLike(size, next, columns)})`;
      next += size;
      return clause;
    })
    .join("");
}

/** Columns of the final read: what a result shows and what its snippet is made from. */
const SHOWN = "d.slug, d.title, d.date, d.lang, d.summary, d.body, hits.total";

/**
 * The full-text query with LIKE conditions for the short groups. The inner query ranks the
 * matches without reading their text (bm25 reads only the index): posts whose title (or its
 * hyphenated words) matches first, then by bm25 with titles weighing most, then newest; it counts
 * them (a window over the matches), and the page's rows alone are read whole. `CROSS JOIN` fixes
 * the order: the trigram index finds the matching documents, then each is looked up in the
 * release. Left to itself, with no statistics (D1 runs no ANALYZE), SQLite may start from the
 * release's memberships and run the MATCH once per document: 100 s instead of 20 ms for a common
 * word among 10,000 posts. (bm25 cannot be called in the query that holds the window.)
 */
export function matchSql(shortGroups: readonly number[]): string {
  return `SELECT ${SHOWN} FROM (
       SELECT id, title_score, score, published_at, count(*) OVER () AS total FROM (
         SELECT search_docs_index.rowid AS id, d.published_at AS published_at,
           bm25(search_docs_index, 1, 0, 0, 0, 1, 0) AS title_score,
           bm25(search_docs_index, 4, 2, 2, 1, 4, 1) AS score
         FROM search_docs_index
         CROSS JOIN search_docs d ON d.id = search_docs_index.rowid
         CROSS JOIN search_release_docs m ON m.release = ?2 AND m.doc = d.doc
         WHERE search_docs_index MATCH ?1 AND d.published_at <= ?3${likeClauses(shortGroups, 6, ["d.title", "d.summary", "d.tags", "d.body"])}
       )
       ORDER BY title_score = 0, score, published_at DESC LIMIT ?4 OFFSET ?5
     ) hits
     CROSS JOIN search_docs d ON d.id = hits.id
     ORDER BY hits.title_score = 0, hits.score, hits.published_at DESC`;
}

/**
 * The query for short groups only: LIKE in titles, summaries and tags, posts whose title matches
 * first, then newest; counted and read like `matchSql`.
 */
export function likeSql(shortGroups: readonly number[]): string {
  const spellings = shortGroups.reduce((a, b) => a + b, 0);
  return `SELECT ${SHOWN} FROM (
       SELECT d.id AS id, d.published_at AS published_at, (${anyLike(spellings, 5, ["d.title"]) || "0"}) AS title_hit,
         count(*) OVER () AS total
       FROM search_release_docs m
       JOIN search_docs d ON d.doc = m.doc
       WHERE m.release = ?1 AND d.published_at <= ?2${likeClauses(shortGroups, 5, ["d.title", "d.summary", "d.tags"])}
       ORDER BY title_hit DESC, published_at DESC LIMIT ?3 OFFSET ?4
     ) hits
     CROSS JOIN search_docs d ON d.id = hits.id
     ORDER BY hits.title_hit DESC, hits.published_at DESC`;
}

/** A row as a result: its snippet from the body around the best match, else its summary. */
function hitOf(row: HitRow, finder: TermFinder): SearchHit {
  const snippet =
    snippetAround(row.body, finder) ?? (row.summary ? finder.mark(row.summary) : leadSnippet(row.body, finder));
  return { slug: row.slug, title: row.title, date: row.date, lang: row.lang || undefined, snippet };
}

/**
 * Posts of `release` out at `now` that hold every group, best first, `limit` + 1 of them from
 * `offset` (the extra one says whether a next page exists), and how many match in all. A
 * release's posts are its memberships in `search_release_docs`; their text is in `search_docs`,
 * shared by the releases that have it (migrations/0003_create_search_docs.sql,
 * 0005_extend_search_docs.sql). Groups whose spellings all have 3 characters or more use the
 * trigram index; a query of only shorter ones is matched in titles, summaries and tags with LIKE.
 */
export async function searchPosts(db: Db, options: SearchOptions): Promise<SearchResults> {
  const { long, short } = splitGroups(options.groups);
  const now = Number.isFinite(options.now) ? options.now : Number.MAX_SAFE_INTEGER;
  const patterns = short.flat().map(likePattern);
  const sizes = short.map((group) => group.length);
  const statement =
    long.length > 0
      ? db
          .prepare(matchSql(sizes))
          .bind(ftsQuery(long), options.release, now, options.limit + 1, options.offset, ...patterns)
      : db.prepare(likeSql(sizes)).bind(options.release, now, options.limit + 1, options.offset, ...patterns);
  let rows: HitRow[];
  try {
    rows = (await statement.all<HitRow>()).results;
  } catch (error) {
    throw new SearchUnavailable("D1 search failed", { cause: error });
  }
  const finder = new TermFinder(options.groups);
  return { hits: rows.map((row) => hitOf(row, finder)), total: rows[0]?.total ?? 0 };
}
