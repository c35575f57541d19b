import { Lru } from "../lib/lru.ts";
import { RequestMetrics } from "../lib/metrics.ts";
import { type Coding, compressedHere } from "./encoding.ts";
import { ageOf, clientHasIt, current, type Entry, lifeLeft } from "./entry.ts";
import { codingFor, type OuterHeaders, pageHeaders } from "./headers.ts";
import { hasPersonalParam, type KeyPolicy, memoryKeyOf } from "./keys.ts";
import { type CachePolicy, policyOf } from "./policy.ts";

/** An entry in this isolate's memory, with the headers of its last in-memory hit per coding (see `hotHeaders`). */
interface Held extends Entry {
  /** When this isolate took its copy: it asks the Cache API again after `memoryMs`. */
  storedAt: number;
  /** True when its type is one the Worker compresses: only then is Accept-Encoding read. */
  compress: boolean;
  hot: Partial<Record<Coding | "identity", HotHeaders>>;
}

/**
 * This isolate's pages, keyed by `memoryKeyOf`. Hits read it with `peek` (no reordering): an
 * entry in use is `set` again at least every `memoryMs` (10 s), which keeps it among the newest.
 */
const memory = new Lru<string, Held>(256);

export const remember = (key: string, entry: Entry, now: number) =>
  memory.set(key, { ...entry, storedAt: now, compress: compressedHere(entry.contentType), hot: {} });
export const forgetInMemory = (key: string) => memory.delete(key);

/** Forgets this isolate's pages (tests). */
export function forgetPages(): void {
  memory.clear();
}

/** How many pages this isolate holds (tests: query strings must not add entries). */
export function pagesInMemory(): number {
  return memory.size;
}

/** This isolate's copy of a page, when it may still be served as fresh. */
export function freshInMemory(key: string, policy: CachePolicy, now: number): Held | undefined {
  const entry = memory.peek(key);
  return entry &&
    current(entry, now) &&
    now - entry.storedAt < policy.memoryMs &&
    now - entry.renderedAt < policy.freshMs
    ? entry
    : undefined;
}

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
  keys: KeyPolicy,
  personalCookie: (cookie: string) => boolean,
): Response | null {
  const method = request.method;
  if (method !== "GET" && method !== "HEAD") return null;
  const policy = policyOf(env);
  if (!policy.enabled) return null;
  const cookie = request.headers.get("cookie");
  if (cookie && personalCookie(cookie)) return null;
  const url = request.url;
  if (url.includes("?") && hasPersonalParam(new URL(url), keys)) return null;
  const now = Date.now();
  const entry = freshInMemory(memoryKeyOf(url, keys), policy, now);
  if (!entry) return null;
  const coding = entry.compress ? codingFor(entry, request) : null;
  const headers = hotHeaders(entry, policy, outer, now, coding);
  const inm = request.headers.get("if-none-match");
  // If-Modified-Since is read only when it can decide (no If-None-Match, a Last-Modified to compare).
  const ims = inm === null && entry.lastModified !== undefined ? request.headers.get("if-modified-since") : null;
  if (clientHasIt(entry, inm, ims)) return new Response(null, { status: 304, headers });
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
 * plus `Server-Timing`. Built once per coding (a feed's gzip, Brotli and plain answers differ in
 * their `Content-Encoding` and ETag) and reused while they would come out the same: `Age` and the
 * `Cache-Status` ttl move once a second and the CDN lifetime with a scheduled post's time, so
 * the list is rebuilt when either whole-second value changes, and every hit's `Age` is exact.
 * `Server-Timing` says no binding call and no render, which holds for every hit by construction;
 * its total is what the clock shows, and in Workers the clock does not move without I/O, which
 * this path never does, so it is the same 0 a per-request measurement gives.
 */
function hotHeaders(
  entry: Held,
  policy: CachePolicy,
  outer: OuterHeaders,
  now: number,
  coding: Coding | null,
): HeadersInit {
  const age = ageOf(entry, now);
  const left = Math.floor(lifeLeft(entry, policy.boundMs, now) / 1000);
  const hot = entry.hot[coding ?? "identity"];
  if (hot && hot.age === age && hot.left === left && hot.policy === policy && hot.outer === outer) return hot.list;
  const list = Object.freeze({
    ...outer,
    ...pageHeaders(entry, "memory", policy, age, left, coding),
    "server-timing": new RequestMetrics().serverTiming(),
  });
  entry.hot[coding ?? "identity"] = { age, left, policy, outer, list };
  return list;
}
