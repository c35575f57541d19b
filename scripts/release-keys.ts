import { type ReleaseIndex, type RouteBucket, releaseKey } from "../src/articles/record.ts";

/** The keys a release index names directly: itself, its list chunks (all posts and each tag) and its route buckets. */
export function indexedKeys(index: ReleaseIndex): string[] {
  return [
    releaseKey(index.release),
    ...index.posts.chunks,
    ...Object.values(index.tags).flatMap((list) => list.chunks),
    ...index.buckets,
  ];
}

/** The article keys a route bucket points to. */
export const articleKeys = (bucket: RouteBucket): string[] => Object.values(bucket);
