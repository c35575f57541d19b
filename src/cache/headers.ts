import { acceptedEncoding, type Coding, codingHeaders, compressedHere, preferredCoding } from "./encoding.ts";
import { ageOf, clientHasIt, type Entry, lifeLeft } from "./entry.ts";
import type { CachePolicy } from "./policy.ts";

/** How a cached page's response was served (a personal page is not cached: see `personalized`). */
export type Served = "memory" | "cache-api" | "stale" | "miss";

/**
 * The headers of a cached page's response: its own (type, validator, tags, `Age`) and the cache
 * headers every page response carries (Cache-Control, CDN-Cache-Control, Cache-Status).
 * `left`: whole seconds until a scheduled post makes the page out of date, or the bound.
 * `coding`: the compression the client gets, for a type the Worker compresses (see encoding.ts).
 */
export function pageHeaders(
  entry: Entry,
  served: Served,
  policy: CachePolicy,
  age: number,
  left: number,
  coding: Coding | null = null,
): Record<string, string> {
  const fresh = Math.floor(policy.freshMs / 1000);
  const bound = Math.floor(policy.boundMs / 1000);
  // Shared caches in front of the Worker must not keep a page past a scheduled post's time either.
  const maxAge = Math.min(fresh, left);
  return {
    "content-type": entry.contentType,
    ...(entry.contentLanguage !== undefined && { "content-language": entry.contentLanguage }),
    etag: entry.etag,
    ...(entry.lastModified !== undefined && { "last-modified": entry.lastModified }),
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
    ...(compressedHere(entry.contentType) && codingHeaders(entry.etag, coding)),
  };
}

/**
 * The coding a request gets for `entry`: none unless its type is one the Worker compresses. The
 * request's Accept-Encoding is read only then (reading `request.cf` costs more than the rest of this).
 */
export const codingFor = (entry: Entry, request: Request): Coding | null =>
  compressedHere(entry.contentType) ? preferredCoding(acceptedEncoding(request)) : null;

/** The response for a cached entry: 304 when the request's validators say the client has it (`clientHasIt`). */
export function responseFor(entry: Entry, served: Served, policy: CachePolicy, request: Request): Response {
  const now = Date.now();
  const left = Math.floor(lifeLeft(entry, policy.boundMs, now) / 1000);
  const coding = codingFor(entry, request);
  const headers = pageHeaders(entry, served, policy, ageOf(entry, now), left, coding);
  const { headers: asked } = request;
  return clientHasIt(entry, asked.get("if-none-match"), asked.get("if-modified-since"))
    ? new Response(null, { status: 304, headers })
    : new Response(entry.body, { status: 200, headers });
}

/** The headers the app's outer layers (security headers) put on every page, learnt by `outerHeadersOf`. */
export type OuterHeaders = Readonly<Record<string, string>>;

/**
 * Headers of a page response that belong to that response, not to every page (kept out of
 * `outer`). A header that a page route sets for itself must be listed here, or the in-memory
 * hot path would send it on every page.
 */
const OWN_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-language",
  "content-encoding",
  "vary",
  "etag",
  "last-modified",
  "cache-tag",
  "age",
  "cache-control",
  "cdn-cache-control",
  "cache-status",
  "server-timing",
  "set-cookie",
  "x-rendered-at",
]);

/** The headers every page gets from the app's outer layers, taken from one stored page response. */
export function outerHeadersOf(res: Response): OuterHeaders | null {
  if (res.status !== 200 || !res.headers.get("cache-status")?.includes("stored")) return null;
  const outer: Record<string, string> = {};
  for (const [name, value] of res.headers) if (!OWN_HEADERS.has(name)) outer[name] = value;
  return Object.freeze(outer);
}

/** Marks a response rendered for one reader: kept out of every shared cache. */
export function personalized(res: Response): Response {
  res.headers.set("cache-control", "private, no-store");
  res.headers.set("cache-status", "our-kpop; fwd=request; detail=personal");
  return res;
}

/** Marks a response that shows part of a page (a dependency failed): sent, kept by no cache. */
export function degraded(res: Response): Response {
  res.headers.set("cache-control", "no-store");
  res.headers.set("cache-status", "our-kpop; fwd=miss; detail=degraded");
  return res;
}
