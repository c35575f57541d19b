/**
 * Seeds many comments on one post straight into D1, to see what an article view reads when the
 * table is large. The bench does not own the comments schema, so it reads the columns and fills
 * only the NOT NULL ones that have no default, by name: a post/slug column gets the post, a
 * status column "published", times get now, hashes/keys get unique strings, numbers get 0.
 */
import type { Miniflare } from "miniflare";
import { d1 } from "./miniflare-worker.ts";

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
  hidden: number;
}

/** True when the database has a `comments` table. */
export async function hasCommentsTable(mf: Miniflare, binding = "DB"): Promise<boolean> {
  const db = await d1(mf, binding);
  const row = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
    .bind("comments")
    .first();
  return row !== null;
}

/**
 * Inserts `count` comments on `slug` in one statement (a recursive CTE counts the rows, so there
 * is no bound-parameter limit and one round trip); throws with the D1 error if the schema refuses them.
 */
export async function seedComments(mf: Miniflare, slug: string, count: number, binding = "DB"): Promise<void> {
  const db = await d1(mf, binding);
  const { results } = await db.prepare("PRAGMA table_xinfo(comments)").all<Column>();
  // hidden 2/3 are generated columns; a lone INTEGER primary key is the rowid.
  const columns = results.filter((c) => c.hidden === 0 && !(c.pk === 1 && /int/i.test(c.type)));
  const filled = columns.filter((c) => c.notnull === 1 && c.dflt_value === null);
  if (!filled.some((c) => /slug|post/i.test(c.name)))
    throw new Error(`no post column found in comments (${columns.map((c) => c.name).join(", ")})`);
  const names = filled.map((c) => `"${c.name}"`).join(", ");
  const values = filled.map(valueFor).join(", ");
  await db
    .prepare(
      `INSERT INTO comments (${names}) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) SELECT ${values} FROM n`,
    )
    .bind(count, slug, Date.now())
    .run();
}

/** The SQL expression for one column of row `i` (?2 is the post's slug, ?3 the time now). */
function valueFor(column: Column): string {
  const name = column.name.toLowerCase();
  if (/slug|post/.test(name)) return "?2";
  if (/status|state/.test(name)) return "'published'";
  if (/_at$|time|date/.test(name)) return "?3 + i";
  if (/hash|key|token|id$/.test(name)) return "'bench-' || i";
  if (/int|real|num/i.test(column.type)) return "0";
  return "'bench comment ' || i";
}
