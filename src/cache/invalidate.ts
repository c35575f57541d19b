import type { Context } from "hono";
import type { AppEnv } from "../types.ts";
import { deleteCached } from "./cache-api.ts";
import { cacheKeyOf, type KeyPolicy, memoryKeyOf } from "./keys.ts";
import { forgetInMemory } from "./memory.ts";

/** Purges cached pages by surrogate key everywhere (in front of the Worker): injected, so tests can record it. */
export type Purge = (c: Context<AppEnv>, tags: readonly string[]) => Promise<void>;

/**
 * Drops the pages at `urls` from this isolate and this data center's Cache API, so the next
 * reader here gets a fresh render, and purges `tags` everywhere with `purge`. Other isolates'
 * in-memory copies live at most `memoryMs`; every page everywhere at most the bound. A cache
 * that cannot be cleared only delays the change (within the bound): it is logged, never thrown.
 */
export async function invalidatePages(
  c: Context<AppEnv>,
  change: { urls: readonly string[]; tags: readonly string[] },
  keys: KeyPolicy,
  purge: Purge,
): Promise<void> {
  for (const url of change.urls) forgetInMemory(memoryKeyOf(url, keys));
  try {
    await Promise.all([deleteCached(change.urls.map((url) => cacheKeyOf(url, keys))), purge(c, change.tags)]);
  } catch (error) {
    console.error("cache invalidation failed", error);
  }
}

/**
 * Workers Caching (a cache in front of the Worker) purges by Cache-Tag, globally, through
 * `ctx.cache.purge`; absent locally and without it, where this does nothing.
 */
export const workersCachingPurge: Purge = async (c, tags) => {
  let ctx: unknown;
  try {
    ctx = c.executionCtx;
  } catch {
    return;
  }
  const cache: unknown = ctx && Reflect.get(ctx as object, "cache");
  const purge: unknown = cache && Reflect.get(cache as object, "purge");
  if (typeof purge === "function") await purge.call(cache, { tags: [...tags] });
};
