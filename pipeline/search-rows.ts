import type { ArticleRecord } from "../src/articles/record.ts";
import type { Release } from "./assemble-release.ts";
import { plainText } from "./plain-text.ts";

/**
 * The search rows of a release as a SQL file (`dist/search.sql`) for
 * `wrangler d1 execute DB --file`: applied locally by `npm start` and remotely by `npm run deploy`
 * (after the migrations, before the Worker switch). A file cannot bind parameters, so every value
 * is written as an escaped SQL literal (`sqlLiteral`).
 *
 * Idempotent: it replaces the rows of its own release, records the release as loaded, and keeps
 * the rows of the `KEEP_RELEASES` most recently loaded releases (the live one and a rollback or
 * two), dropping older ones so the table does not grow with every deploy.
 */

/** Releases whose rows are kept (the newest loaded ones). */
export const KEEP_RELEASES = 3;
/** D1 takes statements of at most 100,000 bytes; each INSERT stays under this. */
export const MAX_STATEMENT_BYTES = 90_000;

/** The private-use characters the Worker asks `snippet()` to mark matches with; never in stored text. */
const MARKERS = /[\uE000\uE001]/g;

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

const clean = (text: string) => text.replace(MARKERS, "").normalize("NFC");

/** Cuts `text` to at most `bytes` UTF-8 bytes, at a code point boundary. */
function cutToBytes(text: string, bytes: number): string {
  const encoded = new TextEncoder().encode(text);
  if (encoded.length <= bytes) return text;
  return new TextDecoder().decode(encoded.slice(0, bytes)).replace(/\uFFFD$/, "");
}

/** Bytes kept for the release id's literal at the end of each INSERT (ids are 32 hex characters). */
const RELEASE_ROOM = 64;

/**
 * A post's INSERT up to the release id, which `searchSql` appends: it depends on the post alone,
 * so the build keeps it in its render cache with the post's record. `text` is `plainText` of
 * the post's HTML, when already made.
 */
export function searchRow(post: ArticleRecord, text = plainText(post.html)): string {
  const head = [post.title, post.summary, post.tags.join(" ")].map((t) => sqlLiteral(clean(t)));
  const tail = [post.slug, post.date].map(sqlLiteral);
  const sql = (body: string) =>
    `INSERT INTO search_posts (title, summary, tags, body, slug, date, published_at, release) VALUES (${head.join(", ")}, ${sqlLiteral(body)}, ${tail.join(", ")}, ${Date.parse(post.date)}, `;
  const body = clean(text);
  const room = MAX_STATEMENT_BYTES - RELEASE_ROOM - new TextEncoder().encode(sql("")).length;
  // Quotes double when escaped: leave room for the worst case, then the body is searchable up to there.
  return sql(cutToBytes(body, Math.floor(room / 2)));
}

/**
 * The SQL that loads `release`'s search rows, one statement per line. Drafts never get a row
 * outside a preview build.
 */
export function searchSql(release: Pick<Release, "id" | "posts" | "index">): string {
  return [...searchSqlParts(release, (post) => searchRow(post))].join("");
}

/**
 * `searchSql` in parts, each post's row from `rowOf` (its `searchRow`, as text or as the UTF-8
 * bytes the build keeps in its render cache), so a large file is written without one string
 * holding it all.
 */
export function* searchSqlParts<Row extends string | Uint8Array>(
  release: Pick<Release, "id" | "posts" | "index">,
  rowOf: (post: ArticleRecord) => Row,
): Generator<string | Row> {
  const id = sqlLiteral(release.id);
  const end = `${id});\n`;
  const posts = release.posts.filter((post) => release.index.drafts || !post.draft);
  yield `-- Search rows of release ${release.id} (${posts.length} posts), written by pipeline/build.ts. Do not edit.\n`;
  yield `DELETE FROM search_posts WHERE release = ${id};\n`;
  for (const post of posts) {
    yield rowOf(post);
    yield end;
  }
  yield `INSERT INTO search_releases (release, loaded_at) VALUES (${id}, julianday('now')) ON CONFLICT (release) DO UPDATE SET loaded_at = excluded.loaded_at;\n`;
  yield `DELETE FROM search_releases WHERE release NOT IN (SELECT release FROM search_releases ORDER BY loaded_at DESC, rowid DESC LIMIT ${KEEP_RELEASES});\n`;
  yield "DELETE FROM search_posts WHERE release NOT IN (SELECT release FROM search_releases);\n";
}
