import type { Context, ExecutionContext, MiddlewareHandler } from "hono";
import { RELEASE } from "../generated/release.ts";
import { Lru } from "../lib/lru.ts";
import type { AppEnv } from "../types.ts";
import { type CachePolicy, policyOf } from "./policy.ts";

/**
 * The edge cache for pages (HTML and feeds), in one place.
 *
 * Lookup order: this isolate's memory, then the data center's Cache API, then render. Keys
 * carry the content release, so a deploy switches every reader to new pages at once and old
 * entries age out. Comments are the only thing that changes within a release, so no page
 * older than the policy's bound (60 s by default) is ever served: fresh for half of it,
 * served stale while `waitUntil` re-renders it for the other half, re-rendered after that.
 * A hit makes no KV or D1 call.
 */

/** A rendered page as cached: enough to answer GET, HEAD and conditional requests. */
interface Entry {
  body: string;
  contentType: string;
  etag: string;
  tags: string;
  /** When it was rendered (ms since epoch): its age is what the freshness bound limits. */
  renderedAt: number;
}

type Served = "memory" | "cache-api" | "stale" | "miss" | "bypass";

const memory = new Lru<string, Entry & { storedAt: number }>(256);
/** Background refreshes re-enter the app; they must render, not read the entry they replace. */
const refreshing = new WeakSet<Request>();

/** Forgets this isolate's pages (tests). */
export function forgetPages(): void {
  memory.clear();
}

/** The Cache API key of a page: its URL with the release added, query string dropped. */
export function cacheKeyOf(url: string, release: string = RELEASE): string {
  const key = new URL(url);
  key.search = `?release=${encodeURIComponent(release)}`;
  key.hash = "";
  return key.toString();
}

/** Surrogate keys for purging (Workers Caching / Cache-Tag): the release, and the post or "lists". */
function tagsOf(path: string): string {
  const post = /^\/posts\/([^/]+)$/.exec(path)?.[1];
  return [`release-${RELEASE}`, post ? `post-${post}` : "lists"].join(",");
}

/** Query parameters that change what a page shows (a reply form): such requests skip the cache. */
const PERSONAL_PARAMS = ["reply"];

/**
 * Caches what the wrapped GET/HEAD routes render with status 200.
 * @param rerender runs the app again for a background refresh (the app's own `fetch`).
 * @param personal true when this request must see a page of its own (e.g. a commenter's held comment).
 */
export function pageCache(
  rerender: (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>,
  personal: (c: Context<AppEnv>) => boolean = () => false,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.raw.method;
    const policy = policyOf(c.env);
    if ((method !== "GET" && method !== "HEAD") || !policy.enabled) return next();
    const url = new URL(c.req.url);
    if (PERSONAL_PARAMS.some((p) => url.searchParams.has(p)) || personal(c)) {
      await next();
      c.res = finish(c.res, "bypass", policy);
      return;
    }

    const key = cacheKeyOf(c.req.url);
    if (!refreshing.has(c.req.raw)) {
      const now = Date.now();
      const inMemory = memory.get(key);
      if (inMemory && now - inMemory.storedAt < policy.memoryMs && now - inMemory.renderedAt < policy.freshMs) {
        return send(c, inMemory, "memory", policy);
      }
      const cached = await readCache(key);
      if (cached && now - cached.renderedAt < policy.freshMs) {
        memory.set(key, { ...cached, storedAt: now });
        return send(c, cached, "cache-api", policy);
      }
      if (cached && now - cached.renderedAt < policy.boundMs) {
        const request = new Request(c.req.url, { headers: { accept: "text/html" } });
        refreshing.add(request);
        background(c, Promise.resolve(rerender(request, c.env, c.executionCtx)));
        return send(c, cached, "stale", policy);
      }
    }

    const started = performance.now();
    await next();
    const { metrics } = c.var;
    metrics.time.render += Math.max(0, performance.now() - started - metrics.time.kv - metrics.time.d1);
    if (c.res.status !== 200) return;
    const entry = await toEntry(c.res, url.pathname);
    memory.set(key, { ...entry, storedAt: Date.now() });
    const stored = writeCache(key, entry, policy);
    if (refreshing.has(c.req.raw)) await stored;
    else background(c, stored);
    send(c, entry, "miss", policy);
  };
}

/** Drops the pages at `paths` from this isolate and this data center (after a new comment). */
export async function invalidatePages(c: Context<AppEnv>, paths: string[]): Promise<void> {
  const keys = paths.map((path) => cacheKeyOf(new URL(path, c.req.url).toString()));
  for (const key of keys) memory.delete(key);
  await Promise.all(keys.map((key) => caches.default.delete(key)));
}

function background(c: Context<AppEnv>, work: Promise<unknown>): void {
  const guarded = work.catch((error) => console.error("page cache background work failed", error));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No execution context (a direct app.request in a script): the promise still runs.
  }
}

async function readCache(key: string): Promise<Entry | null> {
  try {
    const hit = await caches.default.match(key);
    if (!hit) return null;
    return {
      body: await hit.text(),
      contentType: hit.headers.get("content-type") ?? "text/html; charset=UTF-8",
      etag: hit.headers.get("etag") ?? "",
      tags: hit.headers.get("cache-tag") ?? "",
      renderedAt: Number(hit.headers.get("x-rendered-at")) || 0,
    };
  } catch (error) {
    // A cache that fails is a miss, never an error page.
    console.error("Cache API read failed", error);
    return null;
  }
}

async function writeCache(key: string, entry: Entry, policy: CachePolicy): Promise<void> {
  const stored = new Response(entry.body, {
    headers: {
      "content-type": entry.contentType,
      etag: entry.etag,
      "cache-tag": entry.tags,
      "x-rendered-at": String(entry.renderedAt),
      // The Cache API drops the entry once it is past the bound.
      "cache-control": `public, max-age=${Math.ceil(policy.boundMs / 1000)}`,
    },
  });
  await caches.default.put(key, stored);
}

async function toEntry(res: Response, path: string): Promise<Entry> {
  const body = await res.text();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${RELEASE}\n${body}`));
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return {
    body,
    contentType: res.headers.get("content-type") ?? "text/html; charset=UTF-8",
    etag: `"${hex}"`,
    tags: tagsOf(path),
    renderedAt: Date.now(),
  };
}

/** True when the client's `If-None-Match` already names this entry. */
function notModified(c: Context<AppEnv>, etag: string): boolean {
  const header = c.req.header("if-none-match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

function send(c: Context<AppEnv>, entry: Entry, served: Served, policy: CachePolicy): Response {
  const headers = new Headers({
    "content-type": entry.contentType,
    etag: entry.etag,
    "cache-tag": entry.tags,
    age: String(Math.max(0, Math.floor((Date.now() - entry.renderedAt) / 1000))),
  });
  const res = notModified(c, entry.etag)
    ? new Response(null, { status: 304, headers })
    : new Response(entry.body, { status: 200, headers });
  c.res = finish(res, served, policy);
  return c.res;
}

/** Adds the cache headers every page response carries: Cache-Control, CDN-Cache-Control, Cache-Status. */
function finish(res: Response, served: Served, policy: CachePolicy): Response {
  const headers = res.headers;
  if (served === "bypass") {
    headers.set("cache-control", "private, no-store");
    headers.set("cache-status", `our-kpop; fwd=request; detail=personal`);
    return res;
  }
  const fresh = Math.floor(policy.freshMs / 1000);
  const bound = Math.floor(policy.boundMs / 1000);
  // Browsers revalidate every time (cheap with the ETag); shared caches follow the bound.
  headers.set("cache-control", "public, max-age=0, must-revalidate");
  headers.set("cdn-cache-control", `max-age=${fresh}, stale-while-revalidate=${bound - fresh}`);
  const age = Number(headers.get("age") ?? 0);
  headers.set(
    "cache-status",
    served === "miss"
      ? "our-kpop; fwd=miss; stored"
      : served === "stale"
        ? `our-kpop; hit; ttl=${fresh - age}; detail=stale-while-revalidate`
        : `our-kpop; hit; ttl=${fresh - age}; detail=${served}`,
  );
  return res;
}
