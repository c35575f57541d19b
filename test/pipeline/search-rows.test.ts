import { readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { buildRelease, type SourcePost } from "../../pipeline/release.ts";
import { KEEP_RELEASES, MAX_STATEMENT_BYTES, searchSql, sqlLiteral } from "../../pipeline/search-rows.ts";

/** A real SQLite (Node's, FTS5 built in) with the project's migrations applied. */
function migrated(): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  for (const file of ["0001_create_comments.sql", "0002_create_search.sql"])
    db.exec(readFileSync(new URL(`../../migrations/${file}`, import.meta.url), "utf8"));
  return db;
}

/** Runs a search.sql file as a line-based runner would: one statement per line. */
function load(db: DatabaseSync, sql: string): void {
  for (const line of sql.split("\n")) if (line && !line.startsWith("--")) db.prepare(line).run();
}

const source = (slug: string, title: string, body: string, extra: Partial<SourcePost["meta"]> = {}): SourcePost => ({
  file: `${slug}.md`,
  meta: { slug, title, date: "2025-05-01T00:00:00.000Z", tags: ["k-pop"], ...extra } as SourcePost["meta"],
  body,
  sourceHash: slug,
});

const TRICKY = [
  "it's",
  "''; DROP TABLE comments; --",
  "케이팝 아이돌",
  "🎤 emoji 👩‍👩‍👧 and 한글",
  "line one\nline two\r\nthree",
  'back\\slash "quotes" %_ \uE000marker\uE001',
  "",
];

describe("sqlLiteral", () => {
  it.each(TRICKY)("round-trips %j through SQLite exactly", (text) => {
    const db = new DatabaseSync(":memory:");
    const row = db.prepare(`SELECT ${sqlLiteral(text)} AS v`).get() as { v: string };
    expect(row.v).toBe(text);
    expect(sqlLiteral(text)).not.toContain("\n");
  });
});

describe("searchSql", () => {
  const release = buildRelease(
    [
      source("quotes", 'It\'s "quoted" 🎤', "O'Brien's **song**: 케이팝 `code`\n\nline two"),
      source("secret", "Secret draft", "Not yet.", { draft: true }),
      source("later", "Later post", "Scheduled.", { date: "2999-01-01T00:00:00.000Z" }),
    ],
    { drafts: false },
  );

  it("loads every published and scheduled post, no draft, with text exactly as written", () => {
    const db = migrated();
    load(db, searchSql(release));
    const rows = db.prepare("SELECT slug, title, body, published_at FROM search_posts ORDER BY slug").all();
    expect(rows.map((r) => r.slug)).toEqual(["later", "quotes"]);
    expect(rows[1]).toMatchObject({ title: 'It\'s "quoted" 🎤', body: "O'Brien's song : 케이팝 code line two" });
    expect(rows[0]?.published_at).toBe(Date.parse("2999-01-01T00:00:00.000Z"));
    const hits = db.prepare("SELECT slug FROM search_posts WHERE search_posts MATCH ?").all('"케이팝"');
    expect(hits).toEqual([{ slug: "quotes" }]);
  });

  it("is idempotent and keeps only the most recent releases", () => {
    const db = migrated();
    const sql = searchSql(release);
    load(db, sql);
    load(db, sql);
    expect(db.prepare("SELECT count(*) AS n FROM search_posts").get()).toEqual({ n: 2 });
    for (let i = 0; i < KEEP_RELEASES + 1; i++) load(db, searchSql({ ...release, id: `r${i}` }));
    const kept = db.prepare("SELECT DISTINCT release FROM search_posts ORDER BY release").all();
    expect(kept.map((r) => r.release)).toEqual(["r1", "r2", "r3"]);
  });

  it("keeps each statement under D1's size limit, however long the post", () => {
    const long = source("long", "Long", "한국어 본문 it's ".repeat(20_000));
    const sql = searchSql(buildRelease([long], { drafts: false }));
    for (const line of sql.split("\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_STATEMENT_BYTES);
    const db = migrated();
    load(db, sql);
    const row = db.prepare("SELECT length(body) AS n FROM search_posts").get() as { n: number };
    expect(row.n).toBeGreaterThan(10_000);
  });
});
