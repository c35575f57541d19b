import type { PostSummary, ReleaseIndex } from "../articles/record.ts";
import { articleKeyOf, readArticle } from "../articles/store.ts";
import { absoluteUrls } from "../lib/absolute-urls.ts";
import { postPath } from "../lib/paths.ts";
import type { FeedPost } from "../views/feed.ts";

/** Entries in a feed. */
export const FEED_SIZE = 20;

/**
 * Article HTML a feed carries at most, in UTF-16 code units (about that many bytes for Latin
 * text): the newest posts carry their whole text until it is spent, older ones their summary.
 * A feed stays a few hundred KB however long the posts are.
 */
export const FEED_CONTENT_BUDGET = 512 * 1024;

/**
 * `posts` with their whole article HTML, its URLs made absolute against each post's address. On a
 * cold isolate this reads each post's route bucket and its record (both kept in isolate memory
 * afterwards and shared with the article pages): at most 2 × FEED_SIZE KV reads, all at once.
 */
export async function withContent(
  kv: KVNamespace,
  index: ReleaseIndex,
  siteUrl: string,
  posts: readonly PostSummary[],
): Promise<FeedPost[]> {
  const records = await Promise.all(
    posts.map(async (post) => {
      const key = await articleKeyOf(kv, index, post.slug);
      return key === null ? null : readArticle(kv, key);
    }),
  );
  let budget = FEED_CONTENT_BUDGET;
  return posts.map((post, i) => {
    const html = records[i]?.html;
    if (html === undefined || html.length > budget) {
      budget = 0;
      return post;
    }
    budget -= html.length;
    return { ...post, html: absoluteUrls(html, `${siteUrl}${postPath(post.slug)}`) };
  });
}
