import type { Context, ExecutionContext, MiddlewareHandler } from "hono";
import { RELEASE } from "../generated/release.ts";
import { Lru } from "../lib/lru.ts";
import { RequestMetrics } from "../lib/metrics.ts";
import { postPath } from "../lib/paths.ts";
import { searchKey } from "../search/query.ts";
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
 * A page that a scheduled post will change carries the post's time (`validUntil`) and is not
 * served after it, so the post appears on the next request past its date. A hit makes no KV or
 * D1 call.
 */

/** A rendered page as cached: enough to answer GET, HEAD and conditional requests. */
interface Entry {
  body: string;
  contentType: string;
  etag: string;
  tags: string;
  /** When it was rendered (ms since epoch): its age is what the freshness bound limits. */
  renderedAt: number;
  /** When a scheduled post comes out and this copy goes out of date (ms since epoch), if one is waiting. */
  validUntil?: number | undefined;
}

/** True while an entry shows what the site shows at `now`: no scheduled post has come out since it was rendered. */
const current = (entry: Entry, now: number): boolean => entry.validUntil === undefined || now < entry.validUntil;

type Served = "memory" | "cache-api" | "stale" | "miss" | "bypass";

const memory = new Lru<string, Entry & { storedAt: number }>(256);
/** Background refreshes re-enter the app; they must render, not read the entry they replace. */
const refreshing = new WeakSet<Request>();

/** Forgets this isolate's pages (tests). */
export function forgetPages(): void {
  memory.clear();
}

/** Query parameters that select another page of the same path (the article's older comments). */
const VARIANT_PARAMS = ["comments"];
/** Query parameters that change what a page shows for one reader (a reply form): never cached. */
const PERSONAL_PARAMS = ["reply"];

/**
 * The Cache API key of a page: its URL with the release added and only the query parameters
 * that select a variant kept, so `?utm_source=...` cannot split or bust the cache.
 */
export function cacheKeyOf(url: string, release: string = RELEASE): string {
  const source = new URL(url);
  const key = new URL(source.pathname, source.origin);
  key.searchParams.set("release", release);
  // A search page is selected by its query, normalized so one query has one entry.
  if (source.pathname === "/search") {
    for (const [name, value] of searchKey(source.searchParams)) key.searchParams.set(name, value);
    return key.toString();
  }
  for (const name of VARIANT_PARAMS) {
    const value = source.searchParams.get(name);
    if (value !== null) key.searchParams.set(name, value);
  }
  return key.toString();
}

/** Surrogate keys for purging (Workers Caching / Cache-Tag): the release, and the post or "lists". */
function tagsOf(path: string): string {
  const post = /^\/posts\/([^/]+)$/.exec(path)?.[1];
  return [`release-${RELEASE}`, post ? `post-${post}` : "lists"].join(",");
}

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
      const inMemory = freshInMemory(key, policy, now);
      if (inMemory) return send(c, inMemory, "memory", policy);
      const cached = await readCache(key);
      // Past a scheduled post's time a copy is out of date: render, never serve it stale.
      if (cached && current(cached, now) && now - cached.renderedAt < policy.freshMs) {
        memory.set(key, { ...cached, storedAt: now });
        return send(c, cached, "cache-api", policy);
      }
      if (cached && current(cached, now) && now - cached.renderedAt < policy.boundMs) {
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
    const entry = await toEntry(c.res, url.pathname, c.var.etagBasis, c.var.validUntil);
    memory.set(key, { ...entry, storedAt: Date.now() });
    const stored = writeCache(key, entry, policy);
    if (refreshing.has(c.req.raw)) await stored;
    else background(c, stored);
    send(c, entry, "miss", policy);
  };
}

/** This isolate's copy of a page, when it may still be served as fresh. */
function freshInMemory(key: string, policy: CachePolicy, now: number): Entry | undefined {
  const entry = memory.get(key);
  return entry &&
    current(entry, now) &&
    now - entry.storedAt < policy.memoryMs &&
    now - entry.renderedAt < policy.freshMs
    ? entry
    : undefined;
}

/**
 * The hot path, run before the app: a page this isolate holds fresh in memory is answered
 * without routing or middleware. `outer` are the headers the app's outer layers (security
 * headers) put on every page, learnt from a response the app produced. Anything that could
 * make the page personal (a reply form, a commenter's cookies) goes the full way instead.
 */
export function memoryHit(
  request: Request,
  env: Env,
  outer: Headers,
  personalCookie: (cookie: string) => boolean,
): Response | null {
  const metrics = new RequestMetrics(); // this path calls no binding: zeros, and the real total
  const method = request.method;
  if (method !== "GET" && method !== "HEAD") return null;
  const policy = policyOf(env);
  if (!policy.enabled) return null;
  const cookie = request.headers.get("cookie");
  if (cookie && personalCookie(cookie)) return null;
  const url = new URL(request.url);
  if (PERSONAL_PARAMS.some((p) => url.searchParams.has(p))) return null;
  const entry = freshInMemory(cacheKeyOf(request.url), policy, Date.now());
  if (!entry) return null;
  const res = responseFor(entry, "memory", policy, request.headers.get("if-none-match"));
  for (const [name, value] of outer) if (!res.headers.has(name)) res.headers.set(name, value);
  res.headers.set("server-timing", metrics.serverTiming());
  return method === "HEAD" ? new Response(null, res) : res;
}

/** Headers of a page response that belong to that response, not to every page (kept out of `outer`). */
const OWN_HEADERS = new Set([
  "content-type",
  "content-length",
  "etag",
  "cache-tag",
  "age",
  "cache-control",
  "cdn-cache-control",
  "cache-status",
  "server-timing",
  "set-cookie",
  "x-rendered-at",
]);

/** The headers every page gets from the app's outer layers, taken from one page response. */
export function outerHeadersOf(res: Response): Headers | null {
  if (res.status !== 200 || !res.headers.get("cache-status")?.includes("stored")) return null;
  const outer = new Headers();
  for (const [name, value] of res.headers) if (!OWN_HEADERS.has(name)) outer.set(name, value);
  return outer;
}

/**
 * After comments change on `posts`: drops their article pages and the home page from this
 * isolate and this data center's Cache API, so the next reader here gets a fresh render, and
 * purges them everywhere when Workers Caching is on (`ctx.cache.purge` by Cache-Tag). Other
 * isolates' in-memory copies live at most `memoryMs`; every page everywhere at most the bound.
 */
export async function refreshCommentPages(c: Context<AppEnv>, posts: readonly string[]): Promise<void> {
  if (posts.length === 0) return;
  const paths = ["/", ...posts.map(postPath)];
  const keys = paths.map((path) => cacheKeyOf(new URL(path, c.req.url).toString()));
  for (const key of keys) memory.delete(key);
  try {
    await Promise.all([
      ...keys.map((key) => caches.default.delete(key)),
      purgeEverywhere(c, [...posts.map((slug) => `post-${encodeURIComponent(slug)}`), "lists"]),
    ]);
  } catch (error) {
    // The comment is stored; a cache that cannot be cleared only delays it, within the bound.
    console.error("cache invalidation failed", error);
  }
}

/** Workers Caching (in front of the Worker) purges by tag, globally; absent locally and without it. */
async function purgeEverywhere(c: Context<AppEnv>, tags: string[]): Promise<void> {
  let ctx: unknown;
  try {
    ctx = c.executionCtx;
  } catch {
    return;
  }
  const cache: unknown = ctx && Reflect.get(ctx as object, "cache");
  const purge: unknown = cache && Reflect.get(cache as object, "purge");
  if (typeof purge === "function") await purge.call(cache, { tags });
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
      validUntil: Number(hit.headers.get("x-valid-until")) || undefined,
    };
  } catch (error) {
    // A cache that fails is a miss, never an error page.
    console.error("Cache API read failed", error);
    return null;
  }
}

async function writeCache(key: string, entry: Entry, policy: CachePolicy): Promise<void> {
  const headers = new Headers({
    "content-type": entry.contentType,
    etag: entry.etag,
    "cache-tag": entry.tags,
    "x-rendered-at": String(entry.renderedAt),
    // The Cache API drops the entry once it is past the bound (or the next scheduled post's time).
    "cache-control": `public, max-age=${Math.ceil(Math.min(policy.boundMs, lifeLeft(entry, policy.boundMs)) / 1000)}`,
  });
  if (entry.validUntil !== undefined) headers.set("x-valid-until", String(entry.validUntil));
  const stored = new Response(entry.body, { headers });
  await caches.default.put(key, stored);
}

/**
 * The entry of a fresh render. Its strong ETag hashes the release, the path and what the page
 * shows: the handler's `etagBasis` when it set one (the article's comments version, since the
 * form's one-time token differs on every render), else the body itself.
 */
async function toEntry(
  res: Response,
  path: string,
  basis: string | undefined,
  validUntil: number | undefined,
): Promise<Entry> {
  const body = await res.text();
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${RELEASE}\n${path}\n${basis ?? body}`),
  );
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return {
    body,
    contentType: res.headers.get("content-type") ?? "text/html; charset=UTF-8",
    etag: `"${hex}"`,
    tags: tagsOf(path),
    renderedAt: Date.now(),
    validUntil,
  };
}

/** Milliseconds until the entry goes out of date by the schedule, or `otherwise` when nothing is waiting. */
function lifeLeft(entry: Entry, otherwise: number): number {
  return entry.validUntil === undefined ? otherwise : Math.max(0, entry.validUntil - Date.now());
}

/** True when the client's `If-None-Match` already names this entry. */
function notModified(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** The response for a cached entry: 304 when the client's `If-None-Match` names it. */
function responseFor(entry: Entry, served: Served, policy: CachePolicy, ifNoneMatch: string | null | undefined) {
  const headers = new Headers({
    "content-type": entry.contentType,
    etag: entry.etag,
    "cache-tag": entry.tags,
    age: String(Math.max(0, Math.floor((Date.now() - entry.renderedAt) / 1000))),
  });
  const res = notModified(ifNoneMatch, entry.etag)
    ? new Response(null, { status: 304, headers })
    : new Response(entry.body, { status: 200, headers });
  return finish(res, served, policy, entry);
}

function send(c: Context<AppEnv>, entry: Entry, served: Served, policy: CachePolicy): Response {
  c.res = responseFor(entry, served, policy, c.req.header("if-none-match"));
  return c.res;
}

/** Adds the cache headers every page response carries: Cache-Control, CDN-Cache-Control, Cache-Status. */
function finish(res: Response, served: Served, policy: CachePolicy, entry?: Entry): Response {
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
  // Shared caches in front of the Worker must not keep a page past a scheduled post's time either.
  const left = entry ? Math.floor(lifeLeft(entry, policy.boundMs) / 1000) : bound;
  const maxAge = Math.min(fresh, left);
  headers.set(
    "cdn-cache-control",
    `max-age=${maxAge}, stale-while-revalidate=${Math.max(0, Math.min(bound - fresh, left - maxAge))}`,
  );
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
