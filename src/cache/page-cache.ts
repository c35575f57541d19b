import type { Context, ExecutionContext, MiddlewareHandler } from "hono";
import { RELEASE } from "../generated/release.ts";
import type { AppEnv } from "../types.ts";
import type { OuterHeaders } from "./headers.ts";
import { invalidatePages, type Purge } from "./invalidate.ts";
import { cacheKeyOf, type KeyPolicy, memoryKeyOf } from "./keys.ts";
import { memoryHit } from "./memory.ts";
import { pageCache } from "./middleware.ts";

export type { OuterHeaders } from "./headers.ts";
export { outerHeadersOf } from "./headers.ts";
export { forgetPages, pagesInMemory } from "./memory.ts";

/**
 * The edge cache for pages (HTML and feeds), assembled from its parts: keys (keys.ts), the entry
 * and its validators (entry.ts), response headers (headers.ts), the Cache API (cache-api.ts),
 * this isolate's memory and the hot path (memory.ts), the middleware (middleware.ts) and
 * invalidation (invalidate.ts). Keys carry the content release, so a deploy switches every
 * reader to new pages at once. A hit makes no KV or D1 call. It knows no route: the app passes
 * in which query parameters select a page, what makes a request personal, the surrogate tags
 * of a path and how to purge them.
 */
export interface PageCacheOptions {
  keys: KeyPolicy;
  /** True when this request asks for a page of its own (cookies only, no I/O): rendered for it, never cached. */
  personalRequest: (c: Context<AppEnv>) => boolean;
  /** The same question on the raw Cookie header, before routing (the hot path). */
  personalCookie: (cookie: string) => boolean;
  /** The surrogate keys of the page at `path`, comma-separated (Cache-Tag). */
  tags: (path: string) => string;
  /** Purges tags everywhere (Workers Caching's `ctx.cache.purge` in production). */
  purge: Purge;
}

export interface PageCache {
  /** The middleware for the cached routes; `rerender` runs the app for a background refresh. */
  middleware(
    rerender: (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>,
  ): MiddlewareHandler<AppEnv>;
  /** The hot path, before the app: a fresh in-memory page, or null (see memory.ts). */
  hit(request: Request, env: Env, outer: OuterHeaders): Response | null;
  /** The Cache API key of `url`'s page. */
  keyOf(url: string, release?: string): string;
  /** The in-memory key of `url`'s page. */
  memoryKeyOf(url: string): string;
  /** After a change: drops the pages at `urls` here and purges `tags` everywhere. */
  invalidate(c: Context<AppEnv>, change: { urls: readonly string[]; tags: readonly string[] }): Promise<void>;
}

export function createPageCache(options: PageCacheOptions): PageCache {
  const { keys, personalCookie } = options;
  return {
    middleware: (rerender) =>
      pageCache({ keys, personalRequest: options.personalRequest, tags: options.tags, rerender }),
    hit: (request, env, outer) => memoryHit(request, env, outer, keys, personalCookie),
    keyOf: (url, release = RELEASE) => cacheKeyOf(url, keys, release),
    memoryKeyOf: (url) => memoryKeyOf(url, keys),
    invalidate: (c, change) => invalidatePages(c, change, keys, options.purge),
  };
}
