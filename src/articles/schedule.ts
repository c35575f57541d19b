import type { ChunkedList } from "./record.ts";

/**
 * Scheduled posts: a post dated in the future is built into the release but stays hidden until
 * its date, and the Worker decides by its own clock, so it appears without a redeploy. Lists are
 * stored oldest first and scheduled posts are the newest, so hiding them only shortens a list.
 */

/** True once a post dated `date` (ISO 8601) is out at `now` (ms since epoch). */
export function isOut(date: string, now: number): boolean {
  return Date.parse(date) <= now;
}

/** The part of `list` that is out at `now`: the same chunks with the scheduled tail cut off. */
export function publishedPart(list: ChunkedList, now: number): ChunkedList {
  const waiting = list.scheduled?.filter((date) => !isOut(date, now)).length ?? 0;
  if (waiting === 0) return list;
  // The waiting posts are the newest, so the first of `newest`.
  return { ...list, count: list.count - waiting, ...(list.newest && { newest: list.newest.slice(waiting) }) };
}

/** When the next post of `list` comes out after `now` (ms since epoch), if one is waiting. */
export function nextPublication(list: ChunkedList, now: number): number | undefined {
  for (const date of list.scheduled ?? []) {
    const time = Date.parse(date);
    if (time > now) return time;
  }
  return undefined;
}
