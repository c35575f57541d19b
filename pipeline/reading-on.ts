/**
 * "Reading on": what an article links to at its end (the post before it, the post after it, and
 * related posts), worked out at build time from the whole release and stored in the article's
 * record, so the Worker shows it without reading anything more.
 */
import type { PostLink, PostSummary, ReadingOn } from "../src/articles/record.ts";

/** Related posts the article shows. */
export const RELATED_SHOWN = 3;
/**
 * Posts looked at for related ones: this many before and after the article in each of its tags'
 * lists. Bounds the work for a tag most posts carry, in a blog of thousands.
 */
export const RELATED_WINDOW = 30;

export const linkOf = ({ slug, title, date, lang }: PostSummary): PostLink => ({
  slug,
  title,
  date,
  ...(lang && { lang }),
});

/**
 * The reading-on block of every post, by slug. `posts` are the release's posts oldest first
 * (drafts only in a preview build). Related: posts sharing the most tags with the article, then
 * the nearest to it in date (the later one of two as near); never the article itself, its
 * previous or next post, nor its own translations (previous and next skip those too). Nearest, not newest: a new post then changes the blocks of a few posts
 * of its time, not of every post sharing its tags, so a release still uploads a handful of keys.
 * `now` is the build's clock (ISO 8601): a post dated later is scheduled, and the Worker shows it
 * only from its date, so related posts holds the scheduled ones that rank before the first
 * `RELATED_SHOWN` published ones, for the Worker to drop while they wait.
 */
export function readingOn(posts: readonly PostSummary[], now: string): Map<string, ReadingOn> {
  const { byTag, positions } = tagLists(posts);
  const result = new Map<string, ReadingOn>();
  const n = posts.length;
  // Tags in common per post, for the post being worked on; only the touched entries are reset.
  const shared = new Uint16Array(n);
  posts.forEach((post, i) => {
    // The article's own translations are neither its neighbours nor related: the switcher links them.
    const own = new Set((post.translations ?? []).map((t) => t.slug));
    const before = neighbour(posts, i, -1, own);
    const after = neighbour(posts, i, 1, own);
    const touched: number[] = [];
    post.tags.forEach((tag, t) => {
      const list = byTag.get(tag) ?? [];
      const at = positions[i]?.[t] ?? 0;
      for (let k = Math.max(0, at - RELATED_WINDOW); k <= Math.min(list.length - 1, at + RELATED_WINDOW); k++) {
        const j = list[k] as number;
        const seen = shared[j] ?? 0;
        if (seen === 0) touched.push(j);
        shared[j] = seen + 1;
      }
    });
    // One number per candidate, sorted natively: tags in common, then nearness (the later of two
    // as near), then the post's index, to find it again (exact: far below 2^53).
    const order = new Float64Array(touched.length);
    let count = 0;
    for (const j of touched) {
      if (j !== i && j !== before && j !== after && !own.has((posts[j] as PostSummary).slug)) {
        const rank = (shared[j] as number) * 2 * n + 2 * (n - Math.abs(j - i)) + (j > i ? 1 : 0);
        order[count++] = rank * n + j;
      }
      shared[j] = 0;
    }
    const ranked = order.subarray(0, count).sort().reverse();
    const related: PostLink[] = [];
    let out = 0;
    for (const key of ranked) {
      if (out === RELATED_SHOWN) break;
      const other = posts[key % n] as PostSummary;
      related.push(linkOf(other));
      if (other.date <= now) out++;
    }
    const previous = before === undefined ? undefined : posts[before];
    const next = after === undefined ? undefined : posts[after];
    result.set(post.slug, {
      ...(previous && { previous: linkOf(previous) }),
      ...(next && { next: linkOf(next) }),
      related,
    });
  });
  return result;
}

/** The index of the nearest post from `i` in direction `step` that is not one of `own`, if any. */
function neighbour(
  posts: readonly PostSummary[],
  i: number,
  step: 1 | -1,
  own: ReadonlySet<string>,
): number | undefined {
  for (let j = i + step; j >= 0 && j < posts.length; j += step) {
    if (!own.has((posts[j] as PostSummary).slug)) return j;
  }
  return undefined;
}

/** Each tag's posts (indexes, oldest first), and per post its position in each of its tags' lists. */
function tagLists(posts: readonly PostSummary[]): { byTag: Map<string, number[]>; positions: number[][] } {
  const byTag = new Map<string, number[]>();
  const positions = posts.map((post, i) =>
    post.tags.map((tag) => {
      const list = byTag.get(tag);
      if (list) return list.push(i) - 1;
      byTag.set(tag, [i]);
      return 0;
    }),
  );
  return { byTag, positions };
}
