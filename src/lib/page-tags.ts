import { RELEASE } from "../generated/release.ts";
import { articleSegmentOf } from "./routes.ts";

/**
 * Surrogate keys (Cache-Tag) of cached pages, for purging by tag: every page carries its
 * release, an article its post, every other page "lists" (home, tags, feeds, sitemaps, search).
 */

/** The tag of one post's article page; `segment` is the slug as in its path (percent-encoded). */
export const postTag = (segment: string): string => `post-${segment}`;
export const LISTS_TAG = "lists";

/** The tags of the page at `path`, comma-separated. */
export function pageTags(path: string): string {
  const post = articleSegmentOf(path);
  return [`release-${RELEASE}`, post ? postTag(post) : LISTS_TAG].join(",");
}
