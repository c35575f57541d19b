import { type Entry, lifeLeft } from "./entry.ts";
import type { CachePolicy } from "./policy.ts";

/** This data center's copy of pages: the Workers Cache API (`caches.default`). */

/** The entry stored under `key`, or null; a cache that fails is a miss, never an error page. */
export async function readCache(key: string): Promise<Entry | null> {
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
      lastModified: hit.headers.get("last-modified") ?? undefined,
      contentLanguage: hit.headers.get("content-language") ?? undefined,
    };
  } catch (error) {
    console.error("Cache API read failed", error);
    return null;
  }
}

/** Stores `entry` under `key` until the bound (or the next scheduled post's time). */
export async function writeCache(key: string, entry: Entry, policy: CachePolicy): Promise<void> {
  const headers = new Headers({
    "content-type": entry.contentType,
    etag: entry.etag,
    "cache-tag": entry.tags,
    "x-rendered-at": String(entry.renderedAt),
    // The Cache API drops the entry once it is past the bound (or the next scheduled post's time).
    "cache-control": `public, max-age=${Math.ceil(Math.min(policy.boundMs, lifeLeft(entry, policy.boundMs)) / 1000)}`,
  });
  if (entry.validUntil !== undefined) headers.set("x-valid-until", String(entry.validUntil));
  if (entry.lastModified !== undefined) headers.set("last-modified", entry.lastModified);
  if (entry.contentLanguage !== undefined) headers.set("content-language", entry.contentLanguage);
  await caches.default.put(key, new Response(entry.body, { headers }));
}

/** Drops the entries under `keys` from this data center's Cache API. */
export async function deleteCached(keys: readonly string[]): Promise<void> {
  await Promise.all(keys.map((key) => caches.default.delete(key)));
}
