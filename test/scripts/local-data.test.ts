/**
 * What `npm start` does on every save, on real local state: the build's KV entries and search
 * documents go into the local stores (wrangler's getPlatformProxy, as scripts/local-data.ts opens
 * them), only what they lack, and another instance on the same state (as `wrangler dev` is) sees
 * the result at once.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSearchRelease } from "../../pipeline/search-rows.ts";
import { emptySearchState, searchLoadSql } from "../../pipeline/search-sql.ts";
import { writeBuild } from "../../pipeline/write-build.ts";
import {
  type LocalStores,
  listKeys,
  loadBuild,
  openLocalStores,
  readBuild,
  stagedModules,
} from "../../scripts/local-data.ts";
import { loadSearch } from "../../scripts/search-load.ts";
import { releaseKey } from "../../src/articles/record.ts";

const dir = mkdtempSync(join(tmpdir(), "our-kpop-local-"));
const state = join(dir, "state");
const content = join(dir, "content");
const out = join(dir, "dist");
let stores: LocalStores;
/** A second instance on the same state, as the running `wrangler dev` is. */
let server: LocalStores;

const post = (slug: string, body: string) =>
  writeFileSync(
    join(content, "posts", `${slug}.md`),
    `---\ntitle: ${slug}\ndate: 2025-05-01\ntags: [k-pop]\n---\n\n${body}\n`,
  );

async function build() {
  const { release } = await writeBuild({
    contentDir: content,
    outDir: out,
    releaseModule: join(out, "release.ts"),
    drafts: true,
  });
  return release;
}

/** A search the way the Worker runs it (src/search/store.ts), for one release. */
async function found(db: LocalStores["db"], release: string, term: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT d.slug FROM search_docs_index JOIN search_docs d ON d.id = search_docs_index.rowid
       JOIN search_release_docs m ON m.release = '${release}' AND m.doc = d.doc
       WHERE search_docs_index MATCH '"${term}"' ORDER BY d.slug`,
    )
    .all<{ slug: string }>();
  return results.map((row) => row.slug);
}

beforeAll(async () => {
  mkdirSync(join(content, "posts"), { recursive: true });
  for (const slug of ["one", "two", "three"]) post(slug, `The text of ${slug}.`);
  // One after the other: two runtimes setting up the same fresh state at once collide (SQLITE_BUSY).
  stores = await openLocalStores({ persistTo: state });
  server = await openLocalStores({ persistTo: state });
  // As `wrangler d1 migrations apply --local` does: each migration in one batch.
  for (const migration of await readD1Migrations("migrations"))
    await stores.db.batch(migration.queries.map((q) => stores.db.prepare(q)));
}, 60_000);
afterAll(async () => {
  await Promise.all([stores?.dispose(), server?.dispose()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("the modules npm start copies into src/generated", { timeout: 60_000 }, () => {
  it("are every module the Worker imports from src/generated (a fresh clone has no other copy)", async () => {
    // The build exactly as npm start runs it (buildPreview), staged in a folder of its own.
    const staged = join(dir, "staged");
    const cli = ["pipeline/build.ts", "--drafts", "--no-cache", "--content", content, "--out", staged];
    const run = spawnSync(process.execPath, [...cli, "--release-module", join(staged, "release.ts")], {
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const imported = new Set<string>();
    for (const file of readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f)))
      for (const m of readFileSync(join("src", file), "utf8").matchAll(/generated\/(\w+\.ts)"/g))
        imported.add(m[1] ?? "");
    expect(imported.size).toBeGreaterThanOrEqual(3);
    const modules = stagedModules(staged);
    for (const name of imported) expect(modules, name).toContain(name);
    expect(modules.at(-1)).toBe("release.ts");
  });
});

describe("loading a build into the local stores", { timeout: 60_000 }, () => {
  it("loads everything the first time, then only what an edit changed", async () => {
    const first = await build();
    expect(await loadBuild(stores, { out, writeModules: false })).toMatch(
      new RegExp(`${first.entries.size} of ${first.entries.size} KV entries and 3 of 3 search documents were new`),
    );
    expect(await server.kv.get(releaseKey(first.id))).toBe(first.entries.get(releaseKey(first.id)));
    expect(await found(server.db, first.id, "text of two")).toEqual(["two"]);

    post("two", "An edited text of two.");
    const second = await build();
    const report = await loadBuild(stores, { out, writeModules: false });
    const [, put] = /(\d+) of \d+ KV entries/.exec(report) ?? [];
    expect(Number(put)).toBeLessThan(second.entries.size / 2);
    expect(report).toContain("1 of 3 search documents were new");
    // The server's instance sees the new release at once, and the old one still finds its own text.
    const kv = await listKeys(server.kv);
    for (const key of second.entries.keys()) expect(kv.has(key)).toBe(true);
    expect(await found(server.db, second.id, "edited text")).toEqual(["two"]);
    expect(await found(server.db, first.id, "edited text")).toEqual([]);
    expect(await found(server.db, first.id, "text of two")).toEqual(["two"]);
  });

  it("puts back what the stores lost behind its back (it asks them, it keeps no record)", async () => {
    const { release, entries } = await readBuild(out);
    const lost = [...entries.keys()].find((key) => key.startsWith("article:")) as string;
    await (server.kv as typeof server.kv & { delete(key: string): Promise<void> }).delete(lost);
    await server.db.prepare("DELETE FROM search_loaded_releases").all();
    await server.db.prepare("DELETE FROM search_release_docs").all();
    await server.db.prepare("DELETE FROM search_docs").all();
    await loadBuild(stores, { out, writeModules: false });
    expect(await server.kv.get(lost)).toBe(entries.get(lost));
    expect(await found(server.db, release, "edited text")).toEqual(["two"]);
    expect((await loadSearch(stores.db, join(out, "search"))).added).toBe(0);
  });

  it("fails, as D1 enforces the foreign key, when told D1 holds a document it lacks", async () => {
    const { docs } = await readSearchRelease(join(out, "search"));
    const gone = "0".repeat(32);
    const have = { ...emptySearchState(), docs: new Set([...docs, gone]) };
    const { statements } = searchLoadSql({ release: "stale", docs: [...docs, gone] }, new Map(), have);
    const db = stores.db;
    await expect(db.batch(statements.map((sql) => db.prepare(sql)))).rejects.toThrow(/FOREIGN KEY/);
  });
});
