import { contentHash } from "./hash.ts";

/**
 * The SQL that loads a release's search documents into D1 (migrations/0003_create_search_docs.sql),
 * given what D1 already holds: only the documents it lacks are inserted, then the release's
 * memberships (unless D1 has exactly this set recorded already), the release is recorded, and
 * releases older than the `KEEP_RELEASES` most recently loaded are pruned with the documents no
 * kept release uses. Run locally by `npm start` (scripts/search-load.ts) and remotely by
 * `npm run deploy`, after the migrations and before the Worker switch.
 *
 * A file cannot bind parameters, so every value is an escaped SQL literal (`sqlLiteral`); one
 * statement per line, each under D1's statement size limit.
 */

/** Releases whose memberships are kept (the newest loaded ones: the live one and a rollback or two). */
export const KEEP_RELEASES = 3;
/** D1 takes statements of at most 100,000 bytes; every statement stays under this. */
export const MAX_STATEMENT_BYTES = 90_000;

/**
 * One searchable document: a post's text as stored in `search_docs` (migrations 0003 and 0005;
 * made, cleaned and cut by pipeline/search-rows.ts).
 */
export interface SearchDoc {
  slug: string;
  /** ISO 8601. */
  date: string;
  /** Milliseconds since the epoch. */
  published_at: number;
  /** The post's language (BCP 47) as its front matter gives it; empty: the site's. */
  lang: string;
  title: string;
  summary: string;
  /** Space-separated. */
  tags: string;
  /** The article's text (pipeline/search-text.ts), one line per block. */
  body: string;
  /** The title's hyphenated words, folded (src/search/fold.ts `compounds`): `K-pop` → `kpop`. */
  title_compounds: string;
  /** The same, of the summary, tags and body. */
  compounds: string;
}

/** A release's search data as the build writes it: its id and its documents' keys, newest post first. */
export interface SearchRelease {
  release: string;
  docs: string[];
}

/** What D1 holds: every document key, and each recorded release with the hash of its key set. */
export interface SearchState {
  docs: Set<string>;
  releases: Map<string, string>;
}

/** Nothing loaded yet: the SQL then inserts every document (a fresh database, the Worker tests). */
export const emptySearchState = (): SearchState => ({ docs: new Set(), releases: new Map() });

/**
 * The one query that tells the loader what D1 holds; rows are `{ kind: "doc" | "release", key, docs }`.
 * One statement, so `wrangler d1 execute --command ... --json` answers it in one result set.
 */
export const SEARCH_STATE_QUERY =
  "SELECT 'doc' AS kind, doc AS key, NULL AS docs FROM search_docs UNION ALL SELECT 'release', release, docs FROM search_loaded_releases";

/** Reads the rows of `SEARCH_STATE_QUERY`. */
export function searchState(rows: readonly { kind: string; key: string; docs: string | null }[]): SearchState {
  const state = emptySearchState();
  for (const row of rows) {
    if (row.kind === "doc") state.docs.add(row.key);
    else if (row.kind === "release" && row.docs !== null) state.releases.set(row.key, row.docs);
  }
  return state;
}

/**
 * A SQL string literal holding `text` exactly: quotes doubled, and line breaks written as
 * `char(10)`/`char(13)` so every statement stays on one line (what a line-based runner expects).
 * NUL cannot be in a SQLite text literal and is dropped.
 */
export function sqlLiteral(text: string): string {
  const parts = text.replace(/\0/g, "").split(/(\r|\n)/);
  const sql = parts
    .filter((part) => part !== "")
    .map((part) => (part === "\n" ? "char(10)" : part === "\r" ? "char(13)" : `'${part.replaceAll("'", "''")}'`));
  return sql.length === 0 ? "''" : sql.join(" || ");
}

const bytes = (text: string) => Buffer.byteLength(text);

const INSERT_DOCS =
  "INSERT OR IGNORE INTO search_docs (doc, slug, date, published_at, lang, title, summary, tags, body, title_compounds, compounds) VALUES ";

/** One document as a row of `INSERT_DOCS`. */
export function docValues(key: string, doc: SearchDoc): string {
  const text = [key, doc.slug, doc.date].map(sqlLiteral);
  const words = [doc.lang, doc.title, doc.summary, doc.tags, doc.body, doc.title_compounds, doc.compounds].map(
    sqlLiteral,
  );
  return `(${text.join(", ")}, ${Math.trunc(doc.published_at)}, ${words.join(", ")})`;
}

/**
 * Bytes the body of `doc` may take as a literal so that inserting the document alone, under a
 * key of `keyLength` characters, stays under `MAX_STATEMENT_BYTES` (what the build cuts bodies to).
 */
export function bodyRoom(doc: Omit<SearchDoc, "body">, keyLength: number): number {
  return MAX_STATEMENT_BYTES - bytes(`${INSERT_DOCS}${docValues("k".repeat(keyLength), { ...doc, body: "" })};`) + 2;
}

/** The hash recorded for a release's set of documents (order does not matter). */
export const docSetHash = (keys: readonly string[]): string => contentHash([...new Set(keys)].sort().join("\n"));

/** Packs `items` into statements `head + items joined by ", " + ";"`, each under the size limit. */
function pack(head: string, items: readonly string[]): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let size = bytes(head) + 1;
  for (const item of items) {
    const extra = bytes(item) + 2;
    if (current.length > 0 && size + extra > MAX_STATEMENT_BYTES) {
      statements.push(`${head}${current.join(", ")};`);
      current = [];
      size = bytes(head) + 1;
    }
    current.push(item);
    size += extra;
  }
  if (current.length > 0) statements.push(`${head}${current.join(", ")};`);
  return statements;
}

/** Document keys per membership statement: 32 hex characters each, as JSON, well under the limit. */
const KEYS_PER_STATEMENT = 2_000;

export interface SearchLoad {
  release: string;
  /** Documents the release has. */
  docs: number;
  /** Statements, in order. */
  statements: string[];
  /** Documents inserted (those D1 lacked). */
  added: number;
  /** Whether the memberships were written (false: D1 had this release with the same documents). */
  memberships: boolean;
}

/**
 * The statements that load `release` into a D1 that holds `have`. `docs` must hold every key of the
 * release that `have.docs` lacks (read from the build's files: only those are needed).
 * @throws {Error} when a document the release needs is neither in D1 nor in `docs`.
 */
export function searchLoadSql(
  release: SearchRelease,
  docs: ReadonlyMap<string, SearchDoc>,
  have: SearchState,
): SearchLoad {
  const id = sqlLiteral(release.release);
  const keys = [...new Set(release.docs)];
  const missing = keys.filter((key) => !have.docs.has(key));
  const rows = missing.map((key) => {
    const doc = docs.get(key);
    if (!doc) throw new Error(`search document ${key} of release ${release.release} is missing: rebuild`);
    return docValues(key, doc);
  });
  const hash = docSetHash(keys);
  const memberships = have.releases.get(release.release) !== hash;
  const statements = [...pack(INSERT_DOCS, rows)];
  if (memberships) {
    // Another set under this id (a different search format, or a test): replace it, in the same load.
    statements.push(
      `DELETE FROM search_release_docs WHERE release = ${id} AND NOT EXISTS (SELECT 1 FROM search_loaded_releases WHERE release = ${id} AND docs = ${sqlLiteral(hash)});`,
    );
    for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT)
      statements.push(
        `INSERT OR IGNORE INTO search_release_docs (release, doc) SELECT ${id}, value FROM json_each(${sqlLiteral(JSON.stringify(keys.slice(i, i + KEYS_PER_STATEMENT)))});`,
      );
  }
  statements.push(
    `INSERT INTO search_loaded_releases (release, docs, loaded_at) VALUES (${id}, ${sqlLiteral(hash)}, julianday('now')) ON CONFLICT (release) DO UPDATE SET docs = excluded.docs, loaded_at = excluded.loaded_at;`,
    `DELETE FROM search_loaded_releases WHERE release NOT IN (SELECT release FROM search_loaded_releases ORDER BY loaded_at DESC, rowid DESC LIMIT ${KEEP_RELEASES});`,
    "DELETE FROM search_release_docs WHERE release NOT IN (SELECT release FROM search_loaded_releases);",
    "DELETE FROM search_docs WHERE doc NOT IN (SELECT doc FROM search_release_docs);",
  );
  return { release: release.release, docs: keys.length, statements, added: rows.length, memberships };
}

/** `searchLoadSql` as a file for `wrangler d1 execute --file`: one statement per line. */
export function searchLoadFile(load: SearchLoad): string {
  const header = `-- Search documents of release ${load.release}: ${load.added} new of ${load.docs}. Written by the loader; do not edit.`;
  return `${[header, ...load.statements].join("\n")}\n`;
}
