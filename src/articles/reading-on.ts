import type { PostLink, ReadingOn } from "./record.ts";

/** Related posts an article shows at most. */
export const RELATED_SHOWN = 3;

/**
 * An article's reading-on block as a reader sees it now: a scheduled post is linked only from
 * its date (`isOut`, the Worker's clock), so the next post waits with it and related posts fall
 * back to the published ones the build kept behind it. Undefined when there is nothing to show
 * (or the record predates the block).
 */
export function visibleReadingOn(end: ReadingOn | undefined, isOut: (date: string) => boolean): ReadingOn | undefined {
  if (!end) return undefined;
  const shown = (link: PostLink | undefined) => (link && isOut(link.date) ? link : undefined);
  const previous = shown(end.previous);
  const next = shown(end.next);
  const related = end.related.filter((link) => isOut(link.date)).slice(0, RELATED_SHOWN);
  if (!previous && !next && related.length === 0) return undefined;
  return { ...(previous && { previous }), ...(next && { next }), related };
}
