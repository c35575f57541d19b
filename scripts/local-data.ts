import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { releaseKey } from "../src/articles/record.ts";
import { BulkEntries } from "./kv-bulk-file.ts";
import { wranglerEnv } from "./processes.ts";
import { type D1Like, loadSearch } from "./search-load.ts";

/** Runs a command from node_modules/.bin (npm scripts put it on PATH), failing loudly. */
export function run(command: string, args: string[], options: { quiet?: boolean } = {}): void {
  const result = spawnSync(command, args, {
    stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    env: wranglerEnv(),
  });
  if (result.status !== 0) {
    if (options.quiet) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status}`);
  }
}

/** `run` without blocking: the dev server's watcher and loads go on meanwhile. */
export function runAsync(command: string, args: string[], options: { quiet?: boolean } = {}): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      env: wranglerEnv(),
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", fail);
    child.on("exit", (code) => {
      if (code === 0) return done();
      if (options.quiet) process.stderr.write(output);
      fail(new Error(`${command} ${args.join(" ")} failed with exit code ${code}`));
    });
  });
}

/** The part of a KV binding the loader uses (a Node script has no Workers types). */
export interface KvLike {
  list(options?: { cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

/**
 * The local KV namespace and D1 database, the very ones `wrangler dev` serves from (wrangler.toml's
 * bindings, wrangler's local state), opened in this process through wrangler's `getPlatformProxy`.
 * Loading through it costs milliseconds per save instead of a wrangler command (seconds each).
 */
export interface LocalStores {
  kv: KvLike;
  db: D1Like;
  dispose(): Promise<void>;
}

/**
 * Opens the local stores; `persistTo` is what `wrangler dev --persist-to` would be given
 * (default: wrangler's own `.wrangler/state`). Call `dispose()` when done.
 */
export async function openLocalStores(options: { persistTo?: string } = {}): Promise<LocalStores> {
  // Imported here: wrangler takes seconds to load, and most users of this module never need it.
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy<Record<string, unknown>>({
    persist: options.persistTo ? { path: join(options.persistTo, "v3") } : true,
    remoteBindings: false,
  });
  return { kv: proxy.env.CONTENT as KvLike, db: proxy.env.DB as D1Like, dispose: () => proxy.dispose() };
}

/** Every key in a KV namespace. */
export async function listKeys(kv: KvLike): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await kv.list(cursor ? { cursor } : {});
    for (const { name } of page.keys) keys.add(name);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys;
}

/** Puts at most this many values at once. */
const PUTS_AT_ONCE = 16;

/**
 * Puts the entries the namespace does not hold (keys are content-addressed: a key it holds has
 * that value), then the release index `index`, always and last, and reads it back, so the
 * Worker that reloads onto this release finds its index and everything the index names.
 * @returns how many entries were put (the index included).
 */
export async function loadKv(
  kv: KvLike,
  entries: Pick<ReadonlyMap<string, string>, "get" | "keys">,
  index: string,
  listing: Promise<Set<string>> = listKeys(kv),
): Promise<number> {
  const indexValue = entries.get(index);
  if (indexValue === undefined) throw new Error(`the build has no ${index}`);
  const have = await listing;
  const fresh = [...entries.keys()].filter((key) => key !== index && !have.has(key));
  for (let i = 0; i < fresh.length; i += PUTS_AT_ONCE)
    await Promise.all(fresh.slice(i, i + PUTS_AT_ONCE).map((key) => kv.put(key, entries.get(key) as string)));
  await kv.put(index, indexValue);
  if ((await kv.get(index)) !== indexValue) throw new Error(`local KV did not keep ${index}`);
  return fresh.length + 1;
}

/** What a build wrote under `out`: its release id and KV entries (values read when asked for). */
export async function readBuild(out: string): Promise<{ release: string; entries: BulkEntries }> {
  const { release } = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as { release: string };
  const entries = new BulkEntries();
  for (const file of (await readdir(join(out, "kv"))).filter((f) => f.endsWith(".json")).sort())
    entries.add(await readFile(join(out, "kv", file)));
  return { release, entries };
}

const BUILD_CLI = resolve(import.meta.dirname, "..", "pipeline", "build.ts");
const STAGED_MODULE = join("dist", "release.ts");

/**
 * Builds `contentDir` for preview (drafts included) into dist/, the release module staged in
 * dist/ so a running `wrangler dev` does not reload before the content is loaded (`loadBuild`).
 */
export function buildPreview(contentDir = "content", extraBuildArgs: string[] = []): Promise<void> {
  return runAsync(process.execPath, [
    BUILD_CLI,
    "--drafts",
    "--content",
    contentDir,
    "--release-module",
    STAGED_MODULE,
    ...extraBuildArgs,
  ]);
}

/**
 * The Worker modules a build staged in `out` (the asset map, the catalogs, the release: every
 * `.ts` file there), the release last, so `wrangler dev` reloads once everything else is in place.
 */
export function stagedModules(out: string): string[] {
  const names = readdirSync(out).filter((name) => name.endsWith(".ts") && name !== "release.ts");
  return [...names.sort(), "release.ts"];
}

/**
 * Loads what the last build wrote into the local stores, KV and D1 at once, each getting only
 * what it lacks (the KV entries it does not hold, the search documents D1 does not hold), then
 * writes the Worker's generated modules (the asset map, then the release) only when they changed,
 * so a running `wrangler dev` reloads once, onto a release that is already loaded
 * (`writeModules: false` leaves them alone, for a build that wrote them itself).
 * Needs a migrated D1 (`migrateLocalDatabase`).
 * @returns what it did, for the log.
 */
export async function loadBuild(
  stores: LocalStores,
  options: { out?: string; writeModules?: boolean } = {},
): Promise<string> {
  const started = performance.now();
  const out = options.out ?? "dist";
  const load = async () => {
    // Asking the stores what they hold overlaps with reading the build.
    const listing = listKeys(stores.kv);
    const build = readBuild(out);
    const [{ release, entries }, search] = await Promise.all([
      build,
      loadSearch(stores.db, join(out, "search")),
      listing,
    ]);
    return {
      release,
      size: entries.size,
      kvPut: await loadKv(stores.kv, entries, releaseKey(release), listing),
      search,
    };
  };
  const { release, size, kvPut, search } = await retryWhenBusy(load);
  if (options.writeModules ?? true) {
    mkdirSync(join("src", "generated"), { recursive: true });
    // The build writes the generated modules beside the staged release module; a fresh clone has no other copy.
    for (const name of stagedModules(out)) copyIfChanged(join(out, name), join("src", "generated", name));
  }
  return (
    `loaded release ${release}: ${kvPut} of ${size} KV entries and ${search.added} of ${search.docs} ` +
    `search documents were new (${Math.round(performance.now() - started)} ms)`
  );
}

/**
 * Local KV and D1 are SQLite files that `wrangler dev`'s runtime uses too, and that runtime sets
 * no busy timeout: when both write at once (a page's D1 query takes a write lock for its commit
 * token), one side fails at once with SQLITE_BUSY, which D1 reports as an "internal error".
 */
const BUSY = /SQLITE_BUSY|database is locked|commit token|internal error/i;

/**
 * Runs `load` again (up to 5 times, backing off) when the local state was busy. A load asks the
 * stores what they hold before sending anything, so running it again is safe.
 */
async function retryWhenBusy<T>(load: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (attempt >= 5 || !BUSY.test(String((error as Error)?.message))) throw error;
      console.log(`local state busy (${(error as Error).message.split("\n")[0]}): loading again`);
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

function copyIfChanged(from: string, to: string): void {
  if (existsSync(to) && readFileSync(to, "utf8") === readFileSync(from, "utf8")) return;
  copyFileSync(from, to);
}

/** Applies pending D1 migrations to the local database. */
export async function migrateLocalDatabase(persistTo?: string): Promise<void> {
  await runAsync(
    "wrangler",
    ["d1", "migrations", "apply", "DB", "--local", ...(persistTo ? ["--persist-to", persistTo] : [])],
    {
      quiet: true,
    },
  );
}

/**
 * The local IP_HASH_SALT: random, made once and kept in .wrangler/ (git-ignored, like the local
 * KV and D1 data), so local commenter cookies keep working across restarts. It is passed to
 * `wrangler dev --var` rather than written to .dev.vars, which `wrangler types` would read.
 */
export function localSalt(dir = ".wrangler"): string {
  const file = join(dir, "ip-hash-salt");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}
