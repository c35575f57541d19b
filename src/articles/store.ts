import { Lru } from "../lib/lru.ts";
import { type Notice, Unavailable } from "../lib/unavailable.ts";
import {
  type AliasRoute,
  type ArticleRecord,
  bucketOf,
  type ChunkedList,
  type PostLink,
  type PostSummary,
  type ReleaseIndex,
  type RouteBucket,
  releaseKey,
} from "./record.ts";

const NO_CONTENT: Notice = {
  message: (t) => t.says.contentDown,
  retryAfter: 60,
};

/** KV is unreachable or the release was never uploaded: the reader gets a 503, not a 500. */
export class ContentUnavailable extends Unavailable {
  override name = "ContentUnavailable";
  constructor(message: string, options?: ErrorOptions) {
    super(message, NO_CONTENT, options);
  }
}

/** Every key is content-addressed (immutable), so KV's edge caches may keep them for long. */
const KV_CACHE_TTL = 86_400;

/**
 * Parsed values this isolate has already read. Keys are content-addressed, so an entry can
 * never be out of date; the bound only caps memory (articles are a few KB each).
 */
const memory = new Lru<string, unknown>(500);

/** Forgets the values this isolate holds (tests that change KV under a key use it). */
export function forgetContent(): void {
  memory.clear();
}

/**
 * Reads under way, per binding object and key: parts of one request that need the same value at
 * once (a feed's posts sharing a route bucket) wait for one KV read instead of each making its
 * own. Per binding object because each request has its own (src/lib/metrics.ts), and a promise
 * of one request's I/O must not be awaited by another.
 */
const reading = new WeakMap<KVNamespace, Map<string, Promise<unknown>>>();

function readJson<T>(kv: KVNamespace, key: string): Promise<T | null> {
  const known = memory.get(key);
  if (known !== undefined) return Promise.resolve(known as T);
  const under = reading.get(kv) ?? new Map<string, Promise<unknown>>();
  reading.set(kv, under);
  const started = under.get(key);
  if (started) return started as Promise<T | null>;
  const read = readFromKv<T>(kv, key).finally(() => under.delete(key));
  under.set(key, read);
  return read;
}

async function readFromKv<T>(kv: KVNamespace, key: string): Promise<T | null> {
  let value: T | null;
  try {
    value = await kv.get<T>(key, { type: "json", cacheTtl: KV_CACHE_TTL });
  } catch (error) {
    throw new ContentUnavailable(`KV read failed for ${key}`, { cause: error });
  }
  if (value !== null) memory.set(key, value);
  return value;
}

async function mustRead<T>(kv: KVNamespace, key: string): Promise<T> {
  const value = await readJson<T>(kv, key);
  if (value === null) throw new ContentUnavailable(`KV has no ${key}: was the release uploaded?`);
  return value;
}

/** The index of the release this Worker was built with. */
export function getRelease(kv: KVNamespace, release: string): Promise<ReleaseIndex> {
  return mustRead<ReleaseIndex>(kv, releaseKey(release));
}

async function routeOf(kv: KVNamespace, index: ReleaseIndex, key: string): Promise<RouteBucket[string] | undefined> {
  const bucketName = index.buckets[bucketOf(key, index.buckets.length)];
  if (!bucketName) return undefined;
  const bucket = await mustRead<RouteBucket>(kv, bucketName);
  return Object.hasOwn(bucket, key) ? bucket[key] : undefined;
}

/** One article by slug, or null when the release has no such post. */
export async function getArticle(kv: KVNamespace, index: ReleaseIndex, slug: string): Promise<ArticleRecord | null> {
  const key = await articleKeyOf(kv, index, slug);
  return key === null ? null : readArticle(kv, key);
}

/**
 * The KV key of an article's record, or null when the release has no such post: the first half
 * of `getArticle` (from the index, no KV read; a route bucket read for an index without
 * `articles`), for callers that start other reads once the post is known to exist.
 */
export async function articleKeyOf(kv: KVNamespace, index: ReleaseIndex, slug: string): Promise<string | null> {
  const { articles } = index;
  const key = articles ? (Object.hasOwn(articles, slug) ? articles[slug] : null) : await routeOf(kv, index, slug);
  return typeof key === "string" ? key : null;
}

/** An article's record by its key from `articleKeyOf`. */
export function readArticle(kv: KVNamespace, key: string): Promise<ArticleRecord> {
  return mustRead<ArticleRecord>(kv, key);
}

/**
 * Where an old address of a post leads, or null. `path` must be in `routePath` form; it reads
 * one route bucket, like an article lookup.
 */
export async function getAlias(kv: KVNamespace, index: ReleaseIndex, path: string): Promise<AliasRoute | null> {
  const route = await routeOf(kv, index, path);
  return typeof route === "object" ? route : null;
}

/** Every listed post as a link, oldest first (the archive page): one KV read whatever the size of the blog. */
export function getArchive(kv: KVNamespace, index: ReleaseIndex): Promise<PostLink[]> {
  return mustRead<PostLink[]>(kv, index.archive);
}

/** Number of pages a list fills, at least 1 (an empty blog still has a home page). */
export const pageCount = (list: ChunkedList, pageSize: number): number => Math.max(1, Math.ceil(list.count / pageSize));

/**
 * Page `page` (1-based) of a list, newest first. Reads only the one or two chunks the page
 * falls in, whatever the size of the blog.
 */
export async function listPage(
  kv: KVNamespace,
  list: ChunkedList,
  page: number,
  pageSize: number,
): Promise<PostSummary[]> {
  const newestOrdinal = list.count - 1 - (page - 1) * pageSize;
  if (newestOrdinal < 0) return [];
  const oldestOrdinal = Math.max(0, newestOrdinal - pageSize + 1);
  return (await readRange(kv, list, oldestOrdinal, newestOrdinal)).reverse();
}

/**
 * Chunk `n` (0-based, oldest first) of a list as far as the list's count reaches (a scheduled
 * tail is left out), oldest first; null past the end. One KV read.
 */
export async function listChunk(kv: KVNamespace, list: ChunkedList, n: number): Promise<PostSummary[] | null> {
  const from = n * list.chunkSize;
  if (n < 0 || from >= list.count) return null;
  return readRange(kv, list, from, Math.min(list.count, from + list.chunkSize) - 1);
}

async function readRange(kv: KVNamespace, list: ChunkedList, from: number, to: number): Promise<PostSummary[]> {
  const first = Math.floor(from / list.chunkSize);
  const last = Math.floor(to / list.chunkSize);
  const keys = list.chunks.slice(first, last + 1);
  const chunks = await Promise.all(keys.map((key) => mustRead<PostSummary[]>(kv, key)));
  const offset = first * list.chunkSize;
  return chunks.flat().slice(from - offset, to - offset + 1);
}
