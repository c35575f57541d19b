/**
 * Which KV keys a release uses, read from its index and route buckets. Rather than naming the
 * index's fields, every string in them that looks like a content key counts: a field added to the
 * contract (src/articles/record.ts) can then only make prune keep more, never delete a key a live
 * release reads. test/scripts/release-keys.test.ts checks that this finds every entry a real
 * build writes.
 */
import { releaseKey } from "../src/articles/record.ts";
import { isContentKey } from "./remote-kv.ts";

/** Every string in a JSON value (at any depth, keys of objects excluded) that looks like a content key. */
export function contentKeysIn(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    if (isContentKey(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) contentKeysIn(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) contentKeysIn(item, into);
  }
  return into;
}

/**
 * The keys of the releases `ids`, given a reader of KV values (batched by the caller). Reads each
 * index, then the route buckets it names (they hold the article keys).
 * @throws {Error} when an index or a bucket is missing: what the release uses is then unknown.
 */
export async function releaseKeys(
  ids: string[],
  read: (keys: string[]) => Promise<Map<string, string>>,
): Promise<Set<string>> {
  const indexKeys = ids.map(releaseKey);
  const reachable = new Set(indexKeys);
  const indexes = await read(indexKeys);
  for (const key of indexKeys) {
    const json = indexes.get(key);
    if (json === undefined) throw new Error(`${key} is missing from KV, so what that release uses is unknown.`);
    contentKeysIn(JSON.parse(json), reachable);
  }
  const buckets = [...reachable].filter((key) => key.startsWith("routes:"));
  const values = await read(buckets);
  for (const key of buckets) {
    const json = values.get(key);
    if (json === undefined) throw new Error(`${key} is missing from KV: a kept release is incomplete.`);
    contentKeysIn(JSON.parse(json), reachable);
  }
  return reachable;
}
