/**
 * "Reading on": what an article links to at its end (the post before it, the post after it, and
 * related posts), worked out at build time from the whole release and stored in the article's
 * record, so the Worker shows it without reading anything more.
 */
import type { PostLink, PostSummary, ReadingOn } from "../src/articles/record.ts";

/** Related posts the article shows. */
export const RELATED_SHOWN = 3;
/**
 * Posts of each of an article's tags looked at for related ones, newest first: bounds the work
 * for a tag that most posts carry, in a blog of thousands.
 */
export const RELATED_SCAN = 200;

export const linkOf = ({ slug, title, date, lang }: PostSummary): PostLink => ({
  slug,
  title,
  date,
  ...(lang && { lang }),
});

/**
 * The reading-on block of every post, by slug. `posts` are the release's posts oldest first
 * (drafts only in a preview build). `now` is the build's clock (ISO 8601): a post dated later
 * is scheduled, and the Worker shows it only from its date, so related posts holds the scheduled
 * ones that rank before the first `RELATED_SHOWN` published ones, for the Worker to drop while
 * they wait. Related: posts sharing the most tags with the article, then the newest; never the
 * article itself nor its previous or next post.
 */
export function readingOn(posts: readonly PostSummary[], now: string): Map<string, ReadingOn> {
  const byTag = new Map<string, number[]>();
  posts.forEach((post, i) => {
    for (const tag of post.tags) {
      const list = byTag.get(tag);
      if (list) list.push(i);
      else byTag.set(tag, [i]);
    }
  });
  const result = new Map<string, ReadingOn>();
  posts.forEach((post, i) => {
    const shared = new Map<number, number>();
    for (const tag of post.tags) {
      const list = byTag.get(tag) ?? [];
      for (const j of list.slice(-RELATED_SCAN)) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    for (const skip of [i - 1, i, i + 1]) shared.delete(skip);
    // More tags in common first; then the newest (a larger index is a later post).
    const ranked = [...shared].sort(([a, na], [b, nb]) => nb - na || b - a).map(([j]) => posts[j] as PostSummary);
    const related: PostLink[] = [];
    let out = 0;
    for (const other of ranked) {
      if (out === RELATED_SHOWN) break;
      related.push(linkOf(other));
      if (other.date <= now) out++;
    }
    const previous = posts[i - 1];
    const next = posts[i + 1];
    result.set(post.slug, {
      ...(previous && { previous: linkOf(previous) }),
      ...(next && { next: linkOf(next) }),
      related,
    });
  });
  return result;
}
