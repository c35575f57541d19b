/**
 * The comment load on a real SQLite database with the project's migrations (node:sqlite, behind
 * the few D1 calls the load makes): ids, parents and threads, re-runs, a comment posted meanwhile,
 * and the SQL file the remote load sends.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { commentsSql, type D1Writer, loadComments } from "../../../scripts/import/comments-load.ts";
import type { CommentRow } from "../../../scripts/import/comments-plan.ts";

const migrations = join(import.meta.dirname, "..", "..", "..", "migrations");

function database(): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  for (const file of readdirSync(migrations)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    db.exec(readFileSync(join(migrations, file), "utf8"));
  return db;
}

/** D1's shape over node:sqlite: a batch is one transaction, as in D1. `beforeBatch` lets a test act in between. */
function d1(db: DatabaseSync, beforeBatch?: () => void): D1Writer {
  const statement = (sql: string, params: unknown[] = []) => ({
    sql,
    params,
    bind: (...values: unknown[]) => statement(sql, values),
    all: async <T>() => ({ results: db.prepare(sql).all(...(params as never[])) as T[] }),
  });
  return {
    prepare: (sql) => statement(sql),
    batch: async (list) => {
      beforeBatch?.();
      db.exec("BEGIN");
      try {
        const out = (list as ReturnType<typeof statement>[]).map((s) => ({
          results: db.prepare(s.sql).all(...(s.params as never[])),
        }));
        db.exec("COMMIT");
        return out;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
  };
}

const row = (key: string, parentKey: string | null, rootKey: string | null, depth: number, body = key): CommentRow => ({
  key: `import:test:${key}`,
  parentKey: parentKey && `import:test:${parentKey}`,
  rootKey: rootKey && `import:test:${rootKey}`,
  depth,
  slug: "post",
  author: "O'Brien",
  body,
  status: "published",
  createdAt: Date.UTC(2020, 0, 1),
});
const ROWS = [
  row("a", null, null, 0),
  row("b", "a", "a", 1),
  row("c", "b", "a", 2, "it's 'quoted'"),
  row("d", null, null, 0),
];
const stored = (db: DatabaseSync) =>
  db
    .prepare(
      "SELECT id, parent_id AS parent, root_id AS root, thread_id AS thread, depth, author, body FROM comments ORDER BY id",
    )
    .all();

describe("loading comments", () => {
  it("gives ids in order, parents and threads by key, and adds nothing the second time", async () => {
    const db = database();
    db.prepare(
      "INSERT INTO comments (post_slug, author, body, status, created_at, updated_at, ip_hash, author_hash) VALUES ('x', 'n', 'b', 'published', 1, 1, 'h', 'h')",
    ).run();
    expect(await loadComments(d1(db), ROWS)).toEqual({ comments: 4, threads: 2 });
    expect(stored(db).slice(1)).toEqual([
      { id: 2, parent: null, root: null, thread: 2, depth: 0, author: "O'Brien", body: "a" },
      { id: 3, parent: 2, root: 2, thread: 2, depth: 1, author: "O'Brien", body: "b" },
      { id: 4, parent: 3, root: 2, thread: 2, depth: 2, author: "O'Brien", body: "it's 'quoted'" },
      { id: 5, parent: null, root: null, thread: 5, depth: 0, author: "O'Brien", body: "d" },
    ]);
    expect(db.prepare("SELECT published FROM comment_stats WHERE post_slug = 'post'").get()).toEqual({ published: 4 });
    expect(await loadComments(d1(db), ROWS)).toEqual({ comments: 0, threads: 0 });
    // A later export with one more reply adds only it, under its parent already there.
    expect(await loadComments(d1(db), [...ROWS, row("e", "d", "d", 1)])).toEqual({ comments: 1, threads: 0 });
    expect(stored(db).at(-1)).toMatchObject({ id: 6, parent: 5, thread: 5 });
  });

  it("starts again when a comment posted meanwhile took an id, losing neither", async () => {
    const db = database();
    let posted = false;
    const racing = d1(db, () => {
      if (posted) return;
      posted = true;
      db.prepare(
        "INSERT INTO comments (post_slug, author, body, status, created_at, updated_at, ip_hash, author_hash) VALUES ('post', 'Reader', 'new', 'published', 1, 1, 'h', 'h')",
      ).run();
    });
    expect(await loadComments(racing, ROWS)).toEqual({ comments: 4, threads: 2 });
    expect(stored(db).map((r) => r.body)).toEqual(["new", "a", "b", "it's 'quoted'", "d"]);
    expect(stored(db)[3]).toMatchObject({ parent: 3, root: 2 });
  });

  it("the remote load's SQL file does the same, and is safe to run twice", () => {
    const db = database();
    const sql = commentsSql(ROWS);
    db.exec(sql);
    db.exec(sql);
    expect(stored(db).map(({ id, parent, root, depth, body }) => ({ id, parent, root, depth, body }))).toEqual([
      { id: 1, parent: null, root: null, depth: 0, body: "a" },
      { id: 2, parent: 1, root: 1, depth: 1, body: "b" },
      { id: 3, parent: 2, root: 1, depth: 2, body: "it's 'quoted'" },
      { id: 4, parent: null, root: null, depth: 0, body: "d" },
    ]);
  });
});
