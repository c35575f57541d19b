import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { buildRelease, type SourcePost } from "../../pipeline/release.ts";
import { docKey, readSearchDocs, readSearchRelease, searchDocs, writeSearchData } from "../../pipeline/search-rows.ts";
import {
  emptySearchState,
  KEEP_RELEASES,
  MAX_STATEMENT_BYTES,
  SEARCH_STATE_QUERY,
  type SearchDoc,
  type SearchRelease,
  type SearchState,
  searchLoadFile,
  searchLoadSql,
  searchState,
  sqlLiteral,
} from "../../pipeline/search-sql.ts";

/** A real SQLite (Node's, FTS5 built in, foreign keys on as in D1) with the project's migrations applied. */
function migrated(): DatabaseSync {
  const db = new DatabaseSync(":memory:", { enableForeignKeyConstraints: true });
  migrate(db);
  return db;
}

/** Applies the migrations in order, those from `from` up to before `until` (file name prefixes). */
function migrate(db: DatabaseSync, from = "0000", until = "9999"): void {
  const dir = new URL("../../migrations/", import.meta.url);
  for (const file of readdirSync(dir).sort())
    if (file >= from && file < until) db.exec(readFileSync(new URL(file, dir), "utf8"));
}

/** What D1 holds, asked as the loaders ask it. */
const stateOf = (db: DatabaseSync): SearchState =>
  searchState(db.prepare(SEARCH_STATE_QUERY).all() as { kind: string; key: string; docs: string | null }[]);

/** Runs load SQL as a D1 batch does: one statement per line, all or nothing. */
function run(db: DatabaseSync, sql: string): void {
  db.exec("BEGIN");
  try {
    for (const line of sql.split("\n")) if (line && !line.startsWith("--")) db.prepare(line).run();
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** Loads a release the way the loaders do: ask D1, then send only what it lacks. */
function load(db: DatabaseSync, data: { release: SearchRelease; docs: Map<string, SearchDoc> }) {
  const have = stateOf(db);
  const missing = new Map([...data.docs].filter(([key]) => !have.docs.has(key)));
  const plan = searchLoadSql(data.release, missing, have);
  const sql = searchLoadFile(plan);
  run(db, sql);
  return { ...plan, sql };
}

const source = (slug: string, title: string, body: string, extra: Partial<SourcePost["meta"]> = {}): SourcePost => ({
  file: `${slug}.md`,
  meta: { slug, title, date: "2025-05-01T00:00:00.000Z", tags: ["k-pop"], ...extra } as SourcePost["meta"],
  body,
  sourceHash: `${slug}:${title}:${body}`,
});

const docsOf = (sources: SourcePost[], id?: string, drafts = false) => {
  const release = buildRelease(sources, { drafts });
  return searchDocs({ ...release, id: id ?? release.id });
};

const count = (db: DatabaseSync, table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const found = (db: DatabaseSync, release: string, term: string) =>
  db
    .prepare(
      `SELECT d.slug FROM search_docs_index JOIN search_docs d ON d.id = search_docs_index.rowid
       JOIN search_release_docs m ON m.release = ? AND m.doc = d.doc WHERE search_docs_index MATCH ? ORDER BY d.slug`,
    )
    .all(release, `"${term}"`)
    .map((row) => row.slug);

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

describe("search documents", () => {
  const sources = [
    source("quotes", 'It\'s "quoted" 🎤', "O'Brien's **song**: 케이팝 `code`\n\nline two \uE000x\uE001"),
    source("secret", "Secret draft", "Not yet.", { draft: true }),
    source("later", "Later post", "Scheduled.", { date: "2999-01-01T00:00:00.000Z" }),
  ];

  it("hold every published and scheduled post, no draft, with text exactly as written", () => {
    const db = migrated();
    load(db, docsOf(sources));
    const rows = db.prepare("SELECT slug, title, body, published_at FROM search_docs ORDER BY slug").all();
    expect(rows.map((r) => r.slug)).toEqual(["later", "quotes"]);
    // The rendered text, paragraphs apart: no markup characters, no space where an inline element was.
    expect(rows[1]).toMatchObject({ title: 'It\'s "quoted" 🎤', body: "O'Brien's song: 케이팝 code\u2029line two x" });
    expect(rows[0]?.published_at).toBe(Date.parse("2999-01-01T00:00:00.000Z"));
  });

  it("hold drafts in a preview build", () => {
    expect(docsOf(sources, "preview", true).release.docs).toHaveLength(3);
  });

  it("are found through the trigram index, with snippets and bm25 ranking read from search_docs", () => {
    const db = migrated();
    const data = docsOf(sources);
    load(db, data);
    expect(found(db, data.release.release, "케이팝")).toEqual(["quotes"]);
    const hit = db
      .prepare(
        `SELECT snippet(search_docs_index, -1, '[', ']', '…', 8) AS s, bm25(search_docs_index) AS score
         FROM search_docs_index WHERE search_docs_index MATCH '"brien"' ORDER BY rank`,
      )
      .get() as { s: string; score: number };
    expect(hit.s).toContain("[Brien]");
    expect(hit.score).toBeLessThan(0);
  });

  it("are keyed by their content: NFC and NFD text give one document", () => {
    const nfc = docsOf([source("a", "서태지", "본문")]);
    const nfd = docsOf([source("a", "서태지".normalize("NFD"), "본문".normalize("NFD"))]);
    expect(nfd.release.docs).toEqual(nfc.release.docs);
    const [key] = nfc.release.docs;
    expect(docKey(nfc.docs.get(key ?? "") as SearchDoc)).toBe(key);
  });
});

describe("loading a release", () => {
  const posts = ["one", "two", "three"].map((slug) => source(slug, `Title ${slug}`, `Body of ${slug}, 케이팝.`));

  it("inserts only the documents D1 lacks: an edit sends one body", () => {
    const db = migrated();
    const first = load(db, docsOf(posts, "r1"));
    expect(first.added).toBe(3);
    const edited = [posts[0], posts[1], source("three", "Title three", "A new body for three.")] as SourcePost[];
    const second = load(db, docsOf(edited, "r2"));
    expect(second.added).toBe(1);
    expect(second.sql).toContain("A new body for three.");
    expect(second.sql).not.toContain("Body of one");
    expect(found(db, "r2", "new body")).toEqual(["three"]);
    expect(found(db, "r1", "new body")).toEqual([]);
    // Both releases find the unchanged posts, stored once.
    expect(found(db, "r1", "Body of one")).toEqual(["one"]);
    expect(found(db, "r2", "Body of one")).toEqual(["one"]);
    expect(count(db, "search_docs")).toBe(4);
  });

  it("is idempotent: loading the same release again writes no document and no membership", () => {
    const db = migrated();
    const data = docsOf(posts, "r1");
    load(db, data);
    const again = load(db, data);
    expect(again).toMatchObject({ added: 0, memberships: false });
    expect(again.statements.every((s) => !s.startsWith("INSERT OR IGNORE"))).toBe(true);
    expect(count(db, "search_docs")).toBe(3);
    expect(count(db, "search_release_docs")).toBe(3);
  });

  it("replaces a release's set when the same id comes with other documents", () => {
    const db = migrated();
    load(db, docsOf(posts, "r1"));
    load(db, docsOf([...posts, source("four", "Four", "Fourth body.")], "r1"));
    expect(found(db, "r1", "Fourth body")).toEqual(["four"]);
    load(db, docsOf(posts.slice(0, 1), "r1"));
    expect(found(db, "r1", "Body of")).toEqual(["one"]);
    expect(count(db, "search_docs")).toBe(1);
  });

  it("keeps only the most recently loaded releases, and the documents they use", () => {
    const db = migrated();
    for (let i = 0; i < KEEP_RELEASES + 1; i++)
      load(db, docsOf([posts[0] as SourcePost, source(`only-${i}`, `Only ${i}`, `Text of release ${i}.`)], `r${i}`));
    const kept = db.prepare("SELECT DISTINCT release FROM search_release_docs ORDER BY release").all();
    expect(kept.map((r) => r.release)).toEqual(["r1", "r2", "r3"]);
    // r0's own document is gone, from the table and from the index; the shared one is stored once.
    expect(count(db, "search_docs")).toBe(1 + KEEP_RELEASES);
    const index = db.prepare("SELECT rowid FROM search_docs_index WHERE search_docs_index MATCH '\"release 0\"'").all();
    expect(index).toEqual([]);
    expect(found(db, "r3", "Text of release")).toEqual(["only-3"]);
  });

  it("fails, recording nothing, when D1 lacks a document the loader was told it had", () => {
    const db = migrated();
    const data = docsOf(posts, "r1");
    const have: SearchState = { ...emptySearchState(), docs: new Set(data.release.docs) };
    const sql = searchLoadFile(searchLoadSql(data.release, new Map(), have));
    expect(() => run(db, sql)).toThrow(/FOREIGN KEY/);
    expect(count(db, "search_loaded_releases")).toBe(0);
    // Asking D1 again (what the loaders do on the next try) loads it.
    expect(load(db, data).added).toBe(3);
  });

  it("refuses to write SQL without a document it needs", () => {
    const data = docsOf(posts, "r1");
    expect(() => searchLoadSql(data.release, new Map(), emptySearchState())).toThrow(/missing: rebuild/);
  });

  it("keeps each statement under D1's size limit, however long or many the posts", () => {
    const long = source("long", "Long", "한국어 본문 it's\n\n".repeat(20_000));
    const many = Array.from({ length: 300 }, (_, i) =>
      source(`p${i}`, `Post ${i}`, "Words and more words. ".repeat(200)),
    );
    const db = migrated();
    const { sql, statements } = load(db, docsOf([long, ...many], "big"));
    for (const line of sql.split("\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_STATEMENT_BYTES);
    // Documents are packed several to a statement.
    expect(statements.filter((s) => s.startsWith("INSERT OR IGNORE INTO search_docs")).length).toBeLessThan(100);
    const row = db.prepare("SELECT length(body) AS n FROM search_docs WHERE slug = 'long'").get() as { n: number };
    expect(row.n).toBeGreaterThan(10_000);
    expect(count(db, "search_release_docs")).toBe(301);
  });
});

describe("migration 0005 (rollback)", () => {
  // What the Worker and the loader of a release made before 0005 send (src/search/store.ts and
  // pipeline/search-sql.ts as they were): they name only the columns of 0003.
  const OLD_MATCH = `SELECT d.slug, snippet(search_docs_index, -1, '[', ']', '…', 24) AS snippet
     FROM search_docs_index
     CROSS JOIN search_docs d ON d.id = search_docs_index.rowid
     CROSS JOIN search_release_docs m ON m.release = ?2 AND m.doc = d.doc
     WHERE search_docs_index MATCH ?1 AND d.published_at <= ?3 ORDER BY rank LIMIT 11 OFFSET 0`;
  const oldLoad = (db: DatabaseSync, release: string, slug: string, body: string) => {
    db.prepare(
      "INSERT INTO search_docs (doc, slug, date, published_at, title, summary, tags, body) VALUES (?, ?, '2025-01-01', 0, ?, '', 'k-pop', ?)",
    ).run(`old-${slug}`, slug, `Old ${slug}`, body);
    db.prepare("INSERT INTO search_release_docs (release, doc) VALUES (?, ?)").run(release, `old-${slug}`);
    db.prepare("INSERT INTO search_loaded_releases (release, docs, loaded_at) VALUES (?, 'x', 1)").run(release);
  };
  const oldFinds = (db: DatabaseSync, release: string, term: string) =>
    db
      .prepare(OLD_MATCH)
      .all(`"${term}"`, release, Date.now())
      .map((row) => `${row.slug}: ${row.snippet}`);

  it("keeps an older release searchable by its own Worker, beside the new documents", () => {
    const db = new DatabaseSync(":memory:", { enableForeignKeyConstraints: true });
    migrate(db, "0000", "0005");
    oldLoad(db, "before", "legacy", "Words about Red Velvet in raw **Markdown**.");
    migrate(db, "0005");
    // The older release's documents are in the rebuilt index, and its Worker's query still runs.
    expect(oldFinds(db, "before", "velvet")).toEqual(["legacy: Words about Red [Velvet] in …"]);
    // The new loader adds this release's documents; the older release is kept (one of the 3 newest).
    load(db, docsOf([source("fresh", "Fresh", "New text about Red Velvet and K-pop.")], "after"));
    expect(found(db, "after", "velvet")).toEqual(["fresh"]);
    expect(found(db, "after", "kpop")).toEqual(["fresh"]); // through its folded compounds
    expect(oldFinds(db, "before", "velvet")).toHaveLength(1);
    // An older loader (a redeployed older commit) can still insert: the new columns take their defaults.
    oldLoad(db, "again", "legacy-two", "More Red Velvet.");
    expect(oldFinds(db, "again", "velvet")).toHaveLength(1);
    expect(db.prepare("SELECT lang, compounds FROM search_docs WHERE slug = 'legacy-two'").get()).toEqual({
      lang: "",
      compounds: "",
    });
  });
});

describe("search data files", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes only new documents, drops ones the release no longer has, and reads them back checked", async () => {
    dir = mkdtempSync(join(tmpdir(), "our-kpop-search-"));
    const posts = ["a", "b"].map((slug) => source(slug, slug, `Body ${slug}.`));
    const first = buildRelease(posts, { drafts: false });
    expect(await writeSearchData(dir, first)).toEqual({ docsWritten: 2, releaseWritten: true });
    expect(await writeSearchData(dir, first)).toEqual({ docsWritten: 0, releaseWritten: false });
    writeFileSync(join(dir, "docs", "leftover.json.1234.tmp"), "{");
    const second = buildRelease([posts[0] as SourcePost, source("b", "b", "Edited.")], { drafts: false });
    expect(await writeSearchData(dir, second)).toEqual({ docsWritten: 1, releaseWritten: true });
    const release = await readSearchRelease(dir);
    expect(release.release).toBe(second.id);
    expect(readdirSync(join(dir, "docs")).sort()).toEqual(release.docs.map((k) => `${k}.json`).sort());
    const docs = await readSearchDocs(dir, release.docs);
    expect([...docs.values()].map((d) => d.body).sort()).toEqual(["Body a.", "Edited."]);

    const [key] = release.docs;
    writeFileSync(join(dir, "docs", `${key}.json`), JSON.stringify({ ...docs.get(key ?? ""), body: "tampered" }));
    await expect(readSearchDocs(dir, [key ?? ""])).rejects.toThrow(/does not hold document/);
  });
});
