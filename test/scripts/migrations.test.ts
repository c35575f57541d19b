/**
 * Every D1 migration applies to an empty database, and on top of the schema before it with data
 * in it, without losing that data. Generic over migrations/: for migration N it applies 1..N-1 to
 * a fresh database, puts a row in every table (values chosen from each column's type, default,
 * CHECK (... IN (...)) list and foreign key), applies N, and checks every row is still there.
 * Runs on Miniflare's D1 (the SQLite that `wrangler dev` and `wrangler d1 --local` use).
 */
import { readdirSync } from "node:fs";
import { type D1Migration, readD1Migrations } from "@cloudflare/vitest-plugin";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const DIR = "migrations";
/** Tables a migration drops on purpose, with why; a table not listed here must keep its rows. */
const DROPPED_ON_PURPOSE: Record<string, string> = {};

const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".sql"))
  .sort();
let migrations: D1Migration[] = [];
let mf: Miniflare | undefined;

/** The part of D1Database this test uses (Miniflare's own type needs the Workers types). */
interface D1 {
  prepare(sql: string): { bind(...values: unknown[]): Stmt } & Stmt;
  batch(statements: Stmt[]): Promise<unknown>;
}
interface Stmt {
  all<T>(): Promise<{ results: T[] }>;
  run(): Promise<unknown>;
}

beforeAll(async () => {
  migrations = await readD1Migrations(DIR);
  if (files.length === 0) return;
  // One database per migration under test, each bound to a trivial Worker.
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch: () => new Response(null) };",
      compatibilityDate: "2026-11-01",
      d1Databases: Object.fromEntries(files.map((_, i) => [`DB${i}`, `migrations-test-${i}`])),
    }),
  );
}, 60_000);
afterAll(() => mf?.dispose());

const database = async (i: number): Promise<D1> => (await mf?.getD1Database(`DB${i}`)) as unknown as D1;

async function apply(db: D1, migration: D1Migration): Promise<void> {
  // Like `wrangler d1 migrations apply`: one migration, all its statements together.
  await db.batch(migration.queries.map((q) => db.prepare(q)));
}

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function userTables(db: D1): Promise<{ name: string; sql: string }[]> {
  const { results } = await db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name <> 'd1_migrations' ORDER BY name",
    )
    .all<{ name: string; sql: string }>();
  // A virtual table's shadow tables (FTS5: <name>_data, _idx, _content, ...) are its storage: it is seeded and counted, they are not.
  const virtual = results.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => `${t.name}_`);
  return results.filter((t) => !virtual.some((prefix) => t.name.startsWith(prefix)));
}

async function counts(db: D1): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const { name } of await userTables(db)) {
    const { results } = await db.prepare(`SELECT count(*) AS n FROM ${quote(name)}`).all<{ n: number }>();
    out.set(name, results[0]?.n ?? 0);
  }
  return out;
}

/** Puts one row into every table, parents before children. */
async function seed(db: D1, round: number): Promise<void> {
  const pending = await userTables(db);
  const seeded = new Set<string>();
  while (pending.length > 0) {
    const ready = [];
    for (const table of pending) {
      const fks = (await db.prepare(`PRAGMA foreign_key_list(${quote(table.name)})`).all<ForeignKey>()).results;
      if (fks.every((fk) => fk.table === table.name || seeded.has(fk.table))) ready.push({ table, fks });
    }
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${pending.map((t) => t.name).join(", ")}`);
    for (const { table, fks } of ready) {
      await seedTable(db, table, fks, round);
      seeded.add(table.name);
      pending.splice(pending.indexOf(table), 1);
    }
  }
}

interface ForeignKey {
  table: string;
  from: string;
  to: string | null;
}

async function seedTable(
  db: D1,
  table: { name: string; sql: string },
  fks: ForeignKey[],
  round: number,
): Promise<void> {
  const columns = (await db.prepare(`PRAGMA table_xinfo(${quote(table.name)})`).all<Column>()).results;
  const names: string[] = [];
  const values: unknown[] = [];
  // Only a lone INTEGER PRIMARY KEY of a rowid table aliases the rowid; a composite key's columns need values.
  const rowidAlias = columns.filter((c) => c.pk > 0).length === 1 && !/WITHOUT\s+ROWID/i.test(table.sql);
  for (const col of columns) {
    // Generated columns (hidden 2 or 3) cannot be written; defaults and nullable columns need no value.
    if (col.hidden !== 0 || col.dflt_value !== null || (col.notnull === 0 && col.pk === 0)) continue;
    if (rowidAlias && col.pk === 1 && /^INTEGER$/i.test(col.type)) continue; // SQLite picks one
    const fk = fks.find((f) => f.from === col.name);
    names.push(col.name);
    values.push(fk ? await parentValue(db, fk) : valueFor(table, col, round));
  }
  const sql = names.length
    ? `INSERT INTO ${quote(table.name)} (${names.map(quote).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`
    : `INSERT INTO ${quote(table.name)} DEFAULT VALUES`;
  try {
    await db
      .prepare(sql)
      .bind(...values)
      .run();
  } catch (error) {
    throw new Error(
      `could not seed ${table.name} with ${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, values[i]])))}: ${(error as Error).message}. ` +
        "Teach valueFor() in this test about the column's constraint.",
    );
  }
}

async function parentValue(db: D1, fk: ForeignKey): Promise<unknown> {
  const column = fk.to ? quote(fk.to) : "rowid";
  const { results } = await db.prepare(`SELECT ${column} AS v FROM ${quote(fk.table)} LIMIT 1`).all<{ v: unknown }>();
  return results[0]?.v ?? null;
}

/** A value the column's type and CHECK constraint accept; `round` keeps seeded keys apart. */
function valueFor(table: { name: string; sql: string }, col: Column, round: number): unknown {
  const name = col.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const allowed = new RegExp(`CHECK\\s*\\(\\s*"?${name}"?\\s+IN\\s*\\(\\s*'([^']*)'`, "i").exec(table.sql);
  if (allowed) return allowed[1];
  const type = col.type.toUpperCase();
  if (type.includes("INT")) return round;
  if (/REAL|FLOA|DOUB|NUM|DEC/.test(type)) return round + 0.5;
  if (type.includes("BLOB")) return new Uint8Array([round]).buffer;
  return `seed ${round} ${table.name}.${col.name}`;
}

describe("D1 migrations", { timeout: 30_000 }, () => {
  it("are named NNNN_verb_noun.sql, numbered from 0001 without gaps", () => {
    files.forEach((file, i) => {
      expect(file).toMatch(/^\d{4}_[a-z0-9]+(?:_[a-z0-9]+)+\.sql$/);
      expect(Number(file.slice(0, 4))).toBe(i + 1);
    });
    expect(migrations.map((m) => m.name)).toEqual(files);
  });

  it.each(files.map((file, i) => [file, i] as const))(
    "%s applies on top of the migrations before it, keeping their data",
    async (_file, i) => {
      const db = await database(i);
      for (const earlier of migrations.slice(0, i)) await apply(db, earlier as D1Migration);
      await seed(db, 1);
      const before = await counts(db);
      if (i > 0) expect([...before.values()].every((n) => n > 0)).toBe(true);
      await apply(db, migrations[i] as D1Migration);
      const after = await counts(db);
      for (const [table, rows] of before) {
        if (table in DROPPED_ON_PURPOSE) continue;
        expect(after.has(table), `${table} still exists`).toBe(true);
        expect(after.get(table), `rows of ${table}`).toBeGreaterThanOrEqual(rows);
      }
      // And the new schema takes data too.
      await seed(db, 2);
    },
  );
});
