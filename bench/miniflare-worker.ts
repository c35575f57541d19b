/**
 * The real blog Worker under the Miniflare API: the `wrangler deploy --dry-run` bundle with the
 * bindings wrangler.toml declares (read by wrangler's own config reader, so KV, D1, vars and rate
 * limits stay in step with the file), state persisted to a directory the bench owns, KV loaded
 * from the build output (dist/kv/*.json, what `npm start` bulk-puts) and D1 migrated from
 * migrations/*.sql.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import {
  convertV4MiniflareOptions,
  type Json,
  Miniflare,
  type V4MiniflareOptions,
  type V4SourceOptions,
  type V4WorkerOptions,
} from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";
import type { KvBulkPair } from "../scripts/kv-bulk-file.ts";
import { countingEntry } from "./count-bindings.ts";

/** How the bench departs from wrangler.toml; everything else is the file's. */
export interface BlogOverrides {
  /** Extra or replaced vars/secrets (e.g. PAGE_CACHE = "off", IP_HASH_SALT for comments). */
  vars?: Record<string, string>;
  /** New `simple.limit` for every rate-limit binding, so load is not answered with 429s. */
  rateLimit?: number;
  /** false turns the Cache API into a no-op (every `caches.default` lookup misses). */
  cacheApi?: boolean;
  /** Put the binding-counting entry in front of the bundle (probe instances only, see count-bindings.ts). */
  countBindings?: boolean;
}

/** Options for one blog instance: bundle path, persistence directory and overrides. */
export interface BlogInstanceOptions extends BlogOverrides {
  bundle: string;
  persistDir: string;
  configPath?: string;
}

/**
 * Miniflare options for the bundled blog with wrangler.toml's bindings, in the flat (v4) shape
 * wrangler's config reader returns; `start()` converts them as wrangler does.
 */
export function blogOptions(options: BlogInstanceOptions): V4MiniflareOptions {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(options.configPath ?? "wrangler.toml");
  const ratelimits = Object.fromEntries(
    Object.entries(workerOptions.ratelimits ?? {}).map(([name, limiter]) => [
      name,
      options.rateLimit === undefined
        ? limiter
        : { ...limiter, simple: { ...limiter.simple, limit: options.rateLimit } },
    ]),
  );
  // The bundle is one ES module, so module rules (which Miniflare 5 no longer takes) are not needed.
  // Static assets are left out: locally Miniflare puts an asset-router Worker in front of every
  // request (measured: it alone cuts a hello-world to a third), while the pages measured here
  // never come from assets and in production Cloudflare routes assets before the Worker.
  const { modulesRules: _unused, assets: _assets, ...fromConfig } = workerOptions;
  const worker: V4WorkerOptions = {
    ...fromConfig,
    name: "blog",
    ...source(options, Object.keys(fromConfig.kvNamespaces ?? {}), Object.keys(fromConfig.d1Databases ?? {})),
    bindings: { ...(workerOptions.bindings as Record<string, Json> | undefined), ...options.vars },
    ratelimits,
    cacheAPI: options.cacheApi ?? true,
  };
  return { ...worker, host: "127.0.0.1", port: 0, resourcePersistencePath: resolve(options.persistDir) };
}

/** The bundle alone, or the counting entry module importing it. */
function source(options: BlogInstanceOptions, kv: string[], d1: string[]): V4SourceOptions {
  const bundle = resolve(options.bundle);
  if (!options.countBindings) return { modules: true, scriptPath: bundle };
  const root = dirname(bundle);
  return {
    modulesRoot: root,
    modules: [
      {
        type: "ESModule",
        path: join(root, "bench-count-entry.mjs"),
        contents: countingEntry(`./${basename(bundle)}`, kv, d1),
      },
      { type: "ESModule", path: bundle },
    ],
  };
}

/** A started Miniflare instance and the URL its workerd server listens on. */
export interface Running {
  mf: Miniflare;
  url: URL;
}

/** Starts Miniflare (flat v4-style options) and resolves once workerd accepts requests. */
export async function start(options: V4MiniflareOptions): Promise<Running> {
  const mf = new Miniflare(convertV4MiniflareOptions(options));
  return { mf, url: await mf.ready };
}

/** Puts every entry of the build's KV bulk files into the namespace bound as `binding`. */
export async function seedKv(mf: Miniflare, kvDir: string, binding = "CONTENT"): Promise<number> {
  const kv = (await mf.getKVNamespace(binding)) as unknown as KvWriter;
  let count = 0;
  for (const file of readdirSync(kvDir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const entries = JSON.parse(readFileSync(join(kvDir, file), "utf8")) as KvBulkPair[];
    for (const entry of entries) {
      const value = entry.base64 ? Buffer.from(entry.value, "base64") : entry.value;
      await kv.put(entry.key, value, {
        ...(entry.metadata === undefined ? {} : { metadata: entry.metadata }),
        ...(entry.expiration === undefined ? {} : { expiration: entry.expiration }),
        ...(entry.expiration_ttl === undefined ? {} : { expirationTtl: entry.expiration_ttl }),
      });
      count++;
    }
  }
  return count;
}

/** The part of KVNamespace the seeding uses (Miniflare's own type needs the Workers types loaded). */
interface KvWriter {
  put(
    key: string,
    value: string | Uint8Array,
    options: { metadata?: unknown; expiration?: number; expirationTtl?: number },
  ): Promise<void>;
}

/** The part of D1Database the bench uses, typed here for the same reason. */
export interface D1 {
  prepare(sql: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown>;
}

/** A prepared D1 statement. */
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  first<T>(): Promise<T | null>;
  all<T>(): Promise<{ results: T[] }>;
  run(): Promise<unknown>;
}

/** The D1 database bound as `binding` in the entry Worker. */
export async function d1(mf: Miniflare, binding = "DB"): Promise<D1> {
  return (await mf.getD1Database(binding)) as unknown as D1;
}

/** Applies migrations/*.sql in name order, statement by statement (wrangler's own SQL splitter). */
export async function migrateD1(mf: Miniflare, migrationsDir: string, binding = "DB"): Promise<number> {
  const db = await d1(mf, binding);
  const files = readdirSync(migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = unstable_splitSqlQuery(readFileSync(join(migrationsDir, file), "utf8"));
    if (statements.length > 0) await db.batch(statements.map((sql) => db.prepare(sql)));
  }
  return files.length;
}

/** Polls `url` until it answers 200 (or throws after `timeoutMs`); returns the response text. */
export async function waitFor200(url: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const text = await response.text();
      if (response.status === 200) return text;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${last})`);
}
