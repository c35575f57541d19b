import type { Context, ExecutionContext, MiddlewareHandler } from "hono";
import type { AppEnv } from "../types.ts";
import { readCache, writeCache } from "./cache-api.ts";
import { withCoding } from "./encoding.ts";
import { current, type Entry, toEntry } from "./entry.ts";
import { degraded, personalized, responseFor, type Served } from "./headers.ts";
import { cacheKeyOf, hasPersonalParam, type KeyPolicy, memoryKeyOf } from "./keys.ts";
import { freshInMemory, remember } from "./memory.ts";
import { type CachePolicy, policyOf } from "./policy.ts";

/** What the middleware needs to know of the app: it knows no route itself. */
export interface MiddlewareOptions {
  keys: KeyPolicy;
  /** True when this request asks for a page of its own (a commenter's cookies): rendered, not served from the cache. */
  personalRequest: (c: Context<AppEnv>) => boolean;
  /** The surrogate keys (Cache-Tag) of a page at `path`. */
  tags: (path: string) => string;
  /** Runs the app again for a background refresh (the app's own `fetch`). */
  rerender: (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;
}

/** Background refreshes re-enter the app; they must render, not read the entry they replace. */
const refreshing = new WeakSet<Request>();

/**
 * Caches what the wrapped GET/HEAD routes render with status 200. Lookup order: this isolate's
 * memory, then the data center's Cache API, then render. No page older than the policy's bound
 * is served: fresh for half of it, served stale while `waitUntil` re-renders it for the other
 * half, re-rendered after that; a copy past a scheduled post's time is never served. What a
 * handler marked (src/cache/marks.ts) decides whether its render is stored.
 */
export function pageCache(options: MiddlewareOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.raw.method;
    const policy = policyOf(c.env);
    if (method !== "GET" && method !== "HEAD") return next();
    if (!policy.enabled) {
      await next();
      c.res = withCoding(c.res, c.req.raw);
      return;
    }
    const url = new URL(c.req.url);
    if (hasPersonalParam(url, options.keys) || options.personalRequest(c)) {
      await next();
      c.res = personalized(c.res);
      return;
    }
    const key = cacheKeyOf(c.req.url, options.keys);
    const inMemoryKey = memoryKeyOf(c.req.url, options.keys);
    if (!refreshing.has(c.req.raw)) {
      const served = await fromCache(c, key, inMemoryKey, policy, options);
      if (served) return served;
    }
    const started = performance.now();
    await next();
    const metrics = c.get("metrics");
    metrics.time.render += Math.max(0, performance.now() - started - metrics.time.kv - metrics.time.d1);
    await store(c, { key, inMemoryKey, path: url.pathname, policy, tags: options.tags(url.pathname) });
  };
}

/** A fresh copy from memory or the Cache API, or a stale one (refreshed in the background), or null. */
async function fromCache(
  c: Context<AppEnv>,
  key: string,
  inMemoryKey: string,
  policy: CachePolicy,
  options: MiddlewareOptions,
): Promise<Response | null> {
  const now = Date.now();
  const inMemory = freshInMemory(inMemoryKey, policy, now);
  if (inMemory) return send(c, inMemory, "memory", policy);
  const cached = await readCache(key);
  // Past a scheduled post's time a copy is out of date: render, never serve it stale.
  if (!cached || !current(cached, now)) return null;
  if (now - cached.renderedAt < policy.freshMs) {
    remember(inMemoryKey, cached, now);
    return send(c, cached, "cache-api", policy);
  }
  if (now - cached.renderedAt >= policy.boundMs) return null;
  const request = new Request(c.req.url, { headers: { accept: "text/html" } });
  refreshing.add(request);
  // Started after this answer is sent (a later task), so none of its KV or D1 calls land in the stale answer's Server-Timing.
  background(
    c,
    new Promise((started) => setTimeout(started, 0)).then(() => options.rerender(request, c.env, c.executionCtx)),
  );
  return send(c, cached, "stale", policy);
}

/** Stores the render in memory and the Cache API, unless the handler marked it personal or degraded. */
async function store(
  c: Context<AppEnv>,
  at: { key: string; inMemoryKey: string; path: string; policy: CachePolicy; tags: string },
): Promise<void> {
  // What the handler marked decides, whatever the request looked like (src/cache/marks.ts).
  if (c.get("personal")) {
    c.res = personalized(c.res);
    return;
  }
  if (c.get("degraded")) {
    c.res = degraded(c.res);
    return;
  }
  if (c.res.status !== 200) return;
  const entry = await toEntry(c.res, {
    path: at.path,
    tags: at.tags,
    basis: c.get("etagBasis"),
    validUntil: c.get("validUntil"),
    modifiedAt: c.get("modifiedAt"),
  });
  remember(at.inMemoryKey, entry, Date.now());
  const stored = writeCache(at.key, entry, at.policy);
  if (refreshing.has(c.req.raw)) await stored;
  else background(c, stored);
  send(c, entry, "miss", at.policy);
}

function send(c: Context<AppEnv>, entry: Entry, served: Served, policy: CachePolicy): Response {
  c.res = responseFor(entry, served, policy, c.req.raw);
  return c.res;
}

/** Work that outlives the response (`waitUntil`); its failure is logged, never the reader's. */
export function background(c: Context<AppEnv>, work: Promise<unknown>): void {
  const guarded = work.catch((error) => console.error("page cache background work failed", error));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No execution context (a direct app.request in a script): the promise still runs.
  }
}
