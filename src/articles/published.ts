import type { Context } from "hono";
import { RELEASE } from "../generated/release.ts";
import type { AppEnv } from "../types.ts";
import type { ChunkedList, ReleaseIndex } from "./record.ts";
import { isOut, nextPublication, publishedPart } from "./schedule.ts";
import { getRelease } from "./store.ts";
import { languageOf } from "./translations.ts";

/** The release as a reader sees it at this moment: scheduled posts hidden until their date. */
export interface Published {
  index: ReleaseIndex;
  /** Every post that is out, as a list. */
  posts: ChunkedList;
  /** A tag's posts that are out; undefined when the tag has none (yet). */
  tag(name: string): ChunkedList | undefined;
  /** Tags with at least one post out, sorted by name. */
  tagNames(): string[];
  /**
   * The posts out in a language (`ko`, primary subtag lower-cased), those naming no language
   * counting as the site's (`siteLang`); undefined when it has none (yet).
   */
  language(lang: string, siteLang: string): ChunkedList | undefined;
  /** Languages with at least one post out, sorted, the site's (`siteLang`) among them when it has posts. */
  languageNames(siteLang: string): string[];
  /** Whether a post with this date is out (always true in a preview build). */
  isOut(date: string): boolean;
}

/**
 * Reads the release this Worker serves and applies the schedule by the Worker's clock. A
 * preview build (`npm start`) shows scheduled posts at once. When a post is waiting, the time
 * it comes out is noted in `c.var.validUntil`, so the page cache never serves a page rendered
 * before that moment after it.
 */
export async function published(c: Context<AppEnv>): Promise<Published> {
  const index = await getRelease(c.env.CONTENT, RELEASE);
  const now = Date.now();
  // `name` comes from the URL: only the index's own tags count ("constructor" is no tag).
  const listOf = (name: string) => (Object.hasOwn(index.tags, name) ? index.tags[name] : undefined);
  // A language's list: for the site's language, with the posts that name none.
  const language = (lang: string, siteLang: string) => {
    const own = (lists: Record<string, ChunkedList> = {}, name = lang) =>
      Object.hasOwn(lists, name) ? lists[name] : undefined;
    const list =
      lang !== languageOf(siteLang)
        ? own(index.languages)
        : (own(index.withUnmarked) ?? own(index.languages) ?? own(index.languages, ""));
    const part = list && (index.drafts ? list : publishedPart(list, now));
    return lang && part && part.count > 0 ? part : undefined;
  };
  const languageNames = (siteLang: string) =>
    [...new Set(Object.keys(index.languages ?? {}).map((lang) => lang || languageOf(siteLang)))]
      .filter((lang) => language(lang, siteLang))
      .sort();
  if (index.drafts) {
    return {
      index,
      posts: index.posts,
      tag: listOf,
      tagNames: () => Object.keys(index.tags),
      isOut: () => true,
      language,
      languageNames,
    };
  }
  const next = nextPublication(index.posts, now);
  if (next !== undefined) c.set("validUntil", Math.min(c.var.validUntil ?? next, next));
  const tag = (name: string) => {
    const list = listOf(name);
    const part = list && publishedPart(list, now);
    return part && part.count > 0 ? part : undefined;
  };
  return {
    index,
    posts: publishedPart(index.posts, now),
    tag,
    tagNames: () => Object.keys(index.tags).filter((name) => tag(name) !== undefined),
    isOut: (date) => isOut(date, now),
    language,
    languageNames,
  };
}
