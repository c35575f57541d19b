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
  /** UTF-8, encoded once: a string body would be encoded again on every response. */
  body: Uint8Array;
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

/** How a cached page's response was served (a personal page is not cached: see `personalized`). */
type Served = "memory" | "cache-api" | "stale" | "miss";

/** An entry in this isolate's memory, with the headers of its last in-memory hit (see `hotHeaders`). */
interface Held extends Entry {
  /** When this isolate took its copy: it asks the Cache API again after `memoryMs`. */
  storedAt: number;
  hot?: HotHeaders;
}

/**
 * Keyed by `memoryKeyOf`. Hits read it with `peek` (no reordering): an entry in use is `set`
 * again at least every `memoryMs` (10 s), which keeps it among the newest.
 */
const memory = new Lru<string, Held>(256);
const remember = (key: string, entry: Entry, now: number) => memory.set(key, { ...entry, storedAt: now });
/** Background refreshes re-enter the app; they must render, not read the entry they replace. */
const refreshing = new WeakSet<Request>();

/** Forgets this isolate's pages (tests). */
export function forgetPages(): void {
  memory.clear();
}

/** How many pages this isolate holds (tests: query strings must not add entries). */
export function pagesInMemory(): number {
  return memory.size;
}

/** Query parameters that select another page of the same path (the article's older comments). */
const VARIANT_PARAMS = ["comments"];
/** Query parameters that change what a page shows for one reader (a reply form): never cached. */
const PERSONAL_PARAMS = ["reply"];
const hasPersonalParam = (url: URL): boolean => PERSONAL_PARAMS.some((p) => url.searchParams.has(p));

/** The query parameters that select what a page shows, in a fixed order; every other one is left out. */
function keptParams(source: URL): [string, string][] {
  // A search page is selected by its query, normalized so one query has one entry.
  if (source.pathname === "/search") return searchKey(source.searchParams);
  const kept: [string, string][] = [];
  for (const name of VARIANT_PARAMS) {
    const value = source.searchParams.get(name);
    if (value !== null) kept.push([name, value]);
  }
  return kept;
}

/**
 * The Cache API key of a page: its URL with the release added and only the query parameters
 * that select a variant kept, so `?utm_source=...` cannot split or bust the cache.
 */
export function cacheKeyOf(url: string, release: string = RELEASE): string {
  const source = new URL(url);
  // Origin and path joined as text: a path such as `//x` must not be read as another host.
  const key = new URL(`${source.origin}${source.pathname}`);
  key.searchParams.set("release", release);
  for (const [name, value] of keptParams(source)) key.searchParams.set(name, value);
  return key.toString();
}

/**
 * The key of a page in this isolate's memory (which serves one release, so none is in it). A
 * URL with no query is its own key: the runtime hands the Worker `request.url` parsed and
 * serialized, so the hot path needs no URL parse, and one string always renders one page. A URL
 * with a query is reduced as the Cache API key is, to the path and the parameters that select a
 * variant, so `?utm_source=...` shares the plain URL's entry and junk parameters add none.
 */
export function memoryKeyOf(url: string): string {
  if (!url.includes("?") && !url.includes("#")) return url;
  const source = new URL(url);
  const kept = keptParams(source);
  const path = `${source.origin}${source.pathname}`;
  return kept.length === 0 ? path : `${path}?${new URLSearchParams(kept)}`;
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
    if (hasPersonalParam(url) || personal(c)) {
      await next();
      c.res = personalized(c.res);
      return;
    }

    const key = cacheKeyOf(c.req.url);
    const inMemoryKey = memoryKeyOf(c.req.url);
    if (!refreshing.has(c.req.raw)) {
      const now = Date.now();
      const inMemory = freshInMemory(inMemoryKey, policy, now);
      if (inMemory) return send(c, inMemory, "memory", policy);
      const cached = await readCache(key);
      // Past a scheduled post's time a copy is out of date: render, never serve it stale.
      if (cached && current(cached, now) && now - cached.renderedAt < policy.freshMs) {
        remember(inMemoryKey, cached, now);
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
    // What the handler marked decides, whatever the request looked like (src/cache/marks.ts).
    if (c.var.personal) {
      c.res = personalized(c.res);
      return;
    }
    if (c.var.degraded) {
      c.res = degraded(c.res);
      return;
    }
    if (c.res.status !== 200) return;
    const entry = await toEntry(c.res, url.pathname, c.var.etagBasis, c.var.validUntil);
    remember(inMemoryKey, entry, Date.now());
    const stored = writeCache(key, entry, policy);
    if (refreshing.has(c.req.raw)) await stored;
    else background(c, stored);
    send(c, entry, "miss", policy);
  };
}

/** This isolate's copy of a page, when it may still be served as fresh. */
function freshInMemory(key: string, policy: CachePolicy, now: number): Held | undefined {
  const entry = memory.peek(key);
  return entry &&
    current(entry, now) &&
    now - entry.storedAt < policy.memoryMs &&
    now - entry.renderedAt < policy.freshMs
    ? entry
    : undefined;
}

/** The headers the app's outer layers (security headers) put on every page, learnt by `outerHeadersOf`. */
export type OuterHeaders = Readonly<Record<string, string>>;

/**
 * The hot path, run before the app: a page this isolate holds fresh in memory is answered
 * without routing or middleware. `outer` are the headers the app's outer layers put on every
 * page, learnt from a response the app produced. Anything that could make the page personal (a
 * reply form, a commenter's cookies) goes the full way instead. A hit is one map lookup and one
 * `Response` from the entry's encoded body and header list, both built before (see `hotHeaders`).
 */
export function memoryHit(
  request: Request,
  env: Env,
  outer: OuterHeaders,
  personalCookie: (cookie: string) => boolean,
): Response | null {
  const method = request.method;
  if (method !== "GET" && method !== "HEAD") return null;
  const policy = policyOf(env);
  if (!policy.enabled) return null;
  const cookie = request.headers.get("cookie");
  if (cookie && personalCookie(cookie)) return null;
  const url = request.url;
  if (url.includes("?") && hasPersonalParam(new URL(url))) return null;
  const now = Date.now();
  const entry = freshInMemory(memoryKeyOf(url), policy, now);
  if (!entry) return null;
  const headers = hotHeaders(entry, policy, outer, now);
  if (notModified(request.headers.get("if-none-match"), entry.etag))
    return new Response(null, { status: 304, headers });
  return new Response(method === "HEAD" ? null : entry.body, { status: 200, headers });
}

/** What an in-memory hit's headers were built from; they are rebuilt when any of it changes. */
interface HotHeaders {
  age: number;
  left: number;
  policy: CachePolicy;
  outer: OuterHeaders;
  list: Readonly<Record<string, string>>;
}

/**
 * Every header of an in-memory hit: the outer headers, the entry's own and the cache headers,
 * plus `Server-Timing`. Built once and reused while they would come out the same: `Age` and the
 * `Cache-Status` ttl move once a second and the CDN lifetime with a scheduled post's time, so
 * the list is rebuilt when either whole-second value changes, and every hit's `Age` is exact.
 * `Server-Timing` says no binding call and no render, which holds for every hit by construction;
 * its total is what the clock shows, and in Workers the clock does not move without I/O, which
 * this path never does, so it is the same 0 a per-request measurement gives.
 */
function hotHeaders(entry: Held, policy: CachePolicy, outer: OuterHeaders, now: number): HeadersInit {
  const age = ageOf(entry, now);
  const left = Math.floor(lifeLeft(entry, policy.boundMs, now) / 1000);
  const hot = entry.hot;
  if (hot && hot.age === age && hot.left === left && hot.policy === policy && hot.outer === outer) return hot.list;
  const list = Object.freeze({
    ...outer,
    ...pageHeaders(entry, "memory", policy, age, left),
    "server-timing": new RequestMetrics().serverTiming(),
  });
  entry.hot = { age, left, policy, outer, list };
  return list;
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
export function outerHeadersOf(res: Response): OuterHeaders | null {
  if (res.status !== 200 || !res.headers.get("cache-status")?.includes("stored")) return null;
  const outer: Record<string, string> = {};
  for (const [name, value] of res.headers) if (!OWN_HEADERS.has(name)) outer[name] = value;
  return Object.freeze(outer);
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
  const urls = paths.map((path) => new URL(path, c.req.url).toString());
  const keys = urls.map((url) => cacheKeyOf(url));
  for (const url of urls) memory.delete(memoryKeyOf(url));
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
      body: new Uint8Array(await hit.arrayBuffer()),
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
  const body = new Uint8Array(await res.arrayBuffer());
  const prefix = new TextEncoder().encode(`${RELEASE}\n${path}\n${basis ?? ""}`);
  // Without a basis the body is hashed after the prefix: the same bytes as the text joined and encoded.
  const hashed = basis === undefined ? concat(prefix, body) : prefix;
  const digest = await crypto.subtle.digest("SHA-256", hashed);
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Milliseconds until the entry goes out of date by the schedule, or `otherwise` when nothing is waiting. */
function lifeLeft(entry: Entry, otherwise: number, now = Date.now()): number {
  return entry.validUntil === undefined ? otherwise : Math.max(0, entry.validUntil - now);
}

/** Whole seconds since the entry was rendered: its `Age`. */
const ageOf = (entry: Entry, now: number): number => Math.max(0, Math.floor((now - entry.renderedAt) / 1000));

/** True when the client's `If-None-Match` already names this entry. */
function notModified(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** The response for a cached entry: 304 when the client's `If-None-Match` names it. */
function responseFor(entry: Entry, served: Served, policy: CachePolicy, ifNoneMatch: string | null | undefined) {
  const now = Date.now();
  const left = Math.floor(lifeLeft(entry, policy.boundMs, now) / 1000);
  const headers = pageHeaders(entry, served, policy, ageOf(entry, now), left);
  return notModified(ifNoneMatch, entry.etag)
    ? new Response(null, { status: 304, headers })
    : new Response(entry.body, { status: 200, headers });
}

function send(c: Context<AppEnv>, entry: Entry, served: Served, policy: CachePolicy): Response {
  c.res = responseFor(entry, served, policy, c.req.header("if-none-match"));
  return c.res;
}

/**
 * The headers of a cached page's response: its own (type, validator, tags, `Age`) and the cache
 * headers every page response carries (Cache-Control, CDN-Cache-Control, Cache-Status).
 * `left`: whole seconds until a scheduled post makes the page out of date, or the bound.
 */
function pageHeaders(
  entry: Entry,
  served: Served,
  policy: CachePolicy,
  age: number,
  left: number,
): Record<string, string> {
  const fresh = Math.floor(policy.freshMs / 1000);
  const bound = Math.floor(policy.boundMs / 1000);
  // Shared caches in front of the Worker must not keep a page past a scheduled post's time either.
  const maxAge = Math.min(fresh, left);
  return {
    "content-type": entry.contentType,
    etag: entry.etag,
    "cache-tag": entry.tags,
    age: String(age),
    // Browsers revalidate every time (cheap with the ETag); shared caches follow the bound.
    "cache-control": "public, max-age=0, must-revalidate",
    "cdn-cache-control": `max-age=${maxAge}, stale-while-revalidate=${Math.max(0, Math.min(bound - fresh, left - maxAge))}`,
    "cache-status":
      served === "miss"
        ? "our-kpop; fwd=miss; stored"
        : served === "stale"
          ? `our-kpop; hit; ttl=${fresh - age}; detail=stale-while-revalidate`
          : `our-kpop; hit; ttl=${fresh - age}; detail=${served}`,
  };
}

/** Marks a response that shows part of a page (a dependency failed): sent, kept by no cache. */
function degraded(res: Response): Response {
  res.headers.set("cache-control", "no-store");
  res.headers.set("cache-status", "our-kpop; fwd=miss; detail=degraded");
  return res;
}

/** Marks a response rendered for one reader: kept out of every shared cache. */
function personalized(res: Response): Response {
  res.headers.set("cache-control", "private, no-store");
  res.headers.set("cache-status", "our-kpop; fwd=request; detail=personal");
  return res;
}
