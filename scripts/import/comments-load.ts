import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateLocalDatabase, openLocalStores } from "../local-data.ts";
import { runWrangler, type WranglerOptions, wranglerJson } from "../wrangler.ts";
import type { CommentRow } from "./comments-plan.ts";

/**
 * For the remote load (a SQL file, run by D1 as one job): writes one comment unless a row with its key is there (a re-import adds nothing, and keeps a
 * comment moderated since). Parent and thread ids are found by their keys, so rows must come
 * parents first. No e-mail or IP is stored: the hashes the blog keeps for its own commenters
 * ("imported") match no reader.
 */
const INSERT = `INSERT INTO comments (post_slug, parent_id, root_id, depth, author, body, status, created_at, updated_at, ip_hash, author_hash, idempotency_key)
VALUES (?1, (SELECT id FROM comments WHERE idempotency_key = ?2), (SELECT id FROM comments WHERE idempotency_key = ?3), ?4, ?5, ?6, ?7, ?8, ?8, 'imported', 'imported', ?9)
ON CONFLICT (idempotency_key) DO NOTHING`;

const paramsOf = (row: CommentRow): (string | number | null)[] => [
  row.slug,
  row.parentKey,
  row.rootKey,
  row.depth,
  row.author,
  row.body,
  row.status,
  row.createdAt,
  row.key,
];

/**
 * Worth another go: a comment posted meanwhile took one of the ids, or `npm start`'s runtime held
 * the local database (it sets no busy timeout, so D1 answers SQLITE_BUSY as an internal error).
 */
const AGAIN = /UNIQUE constraint failed: comments\.id|PRIMARY KEY|SQLITE_BUSY|database is locked|internal error/i;

/** Rows per INSERT, and INSERTs per batch (one transaction): a statement costs far more than a row. */
const ROWS_PER_STATEMENT = 50;
const STATEMENTS_PER_BATCH = 40;

/** The part of a D1 binding the load uses. */
export interface D1Writer {
  prepare(sql: string): { bind(...values: unknown[]): unknown; all<T>(): Promise<{ results: T[] }> };
  batch(statements: unknown[]): Promise<{ results?: unknown[] }[]>;
}

const COLUMNS =
  "id, post_slug, parent_id, root_id, depth, author, body, status, created_at, updated_at, ip_hash, author_hash, idempotency_key";

/**
 * Loads rows into a D1 binding (local, through wrangler's platform proxy, or a test's Miniflare).
 * Ids are given here, after the highest the table holds, in the rows' order, so parents and
 * threads are known before the insert and many rows go in one statement. A row whose key is
 * there already is left as it is. Should a comment posted meanwhile take one of the ids (or the
 * local database be busy), the load starts again from what the table then holds.
 * @returns rows added.
 */
export async function loadComments(db: D1Writer, rows: readonly CommentRow[], attempt = 1): Promise<Loaded> {
  const known = new Map<string, number>();
  const existing = await db
    .prepare(
      "SELECT id, idempotency_key AS key FROM comments WHERE idempotency_key >= 'import:' AND idempotency_key < 'import;'",
    )
    .all<{ id: number; key: string }>();
  for (const { id, key } of existing.results) known.set(key, id);
  const top = await db.prepare("SELECT coalesce(max(id), 0) AS top FROM comments").all<{ top: number }>();
  let next = (top.results[0]?.top ?? 0) + 1;
  const values: string[] = [];
  let threads = 0;
  for (const row of rows) {
    if (known.has(row.key)) continue;
    if (row.parentKey === null) threads++;
    const id = next++;
    known.set(row.key, id);
    const ref = (key: string | null) => (key === null ? null : (known.get(key) ?? null));
    const fields = [id, row.slug, ref(row.parentKey), ref(row.rootKey), row.depth, row.author, row.body, row.status];
    values.push(
      `(${[...fields, row.createdAt, row.createdAt, "imported", "imported", row.key].map(literal).join(", ")})`,
    );
  }
  const statements: unknown[] = [];
  for (let i = 0; i < values.length; i += ROWS_PER_STATEMENT)
    statements.push(
      db.prepare(
        `INSERT INTO comments (${COLUMNS}) VALUES ${values.slice(i, i + ROWS_PER_STATEMENT).join(", ")} ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      ),
    );
  let added = 0;
  try {
    for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
      const results = await db.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
      added += results.reduce((sum, r) => sum + (r.results?.length ?? 0), 0);
    }
  } catch (error) {
    if (attempt >= 5 || !AGAIN.test(String((error as Error).message))) throw error;
    await new Promise((resume) => setTimeout(resume, 250 * attempt));
    const rest = await loadComments(db, rows, attempt + 1);
    return { comments: added + rest.comments, threads: rest.threads };
  }
  return { comments: added, threads };
}

/** Rows a load added: comments, and among them top-level ones (threads). */
export interface Loaded {
  comments: number;
  threads: number;
}

/**
 * Into the local D1 that `npm start` serves (wrangler's `.wrangler/state`, or `persistTo`),
 * migrated first. @returns rows added.
 */
export async function loadLocalComments(rows: readonly CommentRow[], persistTo?: string): Promise<Loaded> {
  await migrateLocalDatabase(persistTo);
  const stores = await openLocalStores(persistTo ? { persistTo } : {});
  try {
    return await loadComments(stores.db as unknown as D1Writer, rows);
  } finally {
    await stores.dispose();
  }
}

/** A SQL literal: numbers as they are, text quoted (quotes doubled), NULL. */
function literal(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") return String(Math.trunc(value));
  return `'${value.replace(/'/g, "''")}'`;
}

/** The rows as a SQL file for `wrangler d1 execute --file`: the same statement, values inlined. */
export function commentsSql(rows: readonly CommentRow[]): string {
  const statements = rows.map((row) => {
    const values = paramsOf(row).map(literal);
    return `${INSERT.replace(/\?(\d)/g, (_m, n: string) => values[Number(n) - 1] as string).replace(/\n/g, " ")};`;
  });
  return `-- Imported comments. Written by npm run import; a row already there is left as it is.\n${statements.join("\n")}\n`;
}

const IMPORTED_COUNT =
  "SELECT count(*) AS comments, coalesce(sum(parent_id IS NULL), 0) AS threads FROM comments WHERE idempotency_key >= 'import:' AND idempotency_key < 'import;'";

/**
 * Into the deployed D1, through wrangler as the deploy does: migrations applied, then one SQL
 * file executed (all of it or none). @returns rows added (imported rows counted before and after).
 */
export function loadRemoteComments(rows: readonly CommentRow[], options: WranglerOptions): Loaded {
  runWrangler(["d1", "migrations", "apply", "DB", "--remote"], options);
  const count = (): Loaded => {
    const answer = wranglerJson<{ results?: Loaded[] }[]>(
      ["d1", "execute", "DB", "--remote", "--json", "--command", IMPORTED_COUNT],
      options,
    );
    return answer.flatMap((set) => set.results ?? [])[0] ?? { comments: 0, threads: 0 };
  };
  const before = count();
  const dir = mkdtempSync(join(tmpdir(), "our-kpop-import-"));
  try {
    const file = join(dir, "comments.sql");
    writeFileSync(file, commentsSql(rows));
    runWrangler(["d1", "execute", "DB", "--remote", "--yes", "--file", file], options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const after = count();
  return { comments: after.comments - before.comments, threads: after.threads - before.threads };
}
