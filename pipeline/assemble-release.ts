/**
 * Rendered posts -> a release: the content-addressed KV entries and the index that ties them
 * together. Nothing here renders Markdown (that is release.ts's `renderPost`), so a build whose
 * posts all come from the render cache assembles its release without loading marked or YAML.
 */
import {
  type AliasRoute,
  type ArticleRecord,
  archiveKey,
  articleKey,
  bucketKey,
  bucketOf,
  type ChunkedList,
  chunkKey,
  NEWEST_SLUGS,
  type PostSummary,
  type ReleaseIndex,
  type RouteBucket,
  releaseKey,
} from "../src/articles/record.ts";
import { ContentError } from "./content-error.ts";
import type { FrontMatter } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import { checkLanguagePaths, languageLists } from "./language-lists.ts";
import { linkOf, readingOn } from "./reading-on.ts";
import { ReleaseEntries, withReadingOn } from "./release-entries.ts";
import { checkTranslations, translationsOf } from "./translations.ts";

/** A post file and its validated front matter: all the release needs to check slugs and aliases. */
export interface PostFile {
  /** The file as shown in messages. */
  file: string;
  meta: FrontMatter;
}

export interface ReleaseOptions {
  /** Build drafts in (local preview only). */
  drafts: boolean;
  /** Summaries per list chunk. */
  chunkSize?: number;
  /** Number of route buckets; more buckets make each route read smaller. */
  bucketCount?: number;
  /** Largest `articles` map (bytes of JSON) the index carries; default `ARTICLES_IN_INDEX_MAX`. */
  articlesInIndexMax?: number;
  /**
   * The build's clock (ms since epoch, default now): posts dated later are recorded as
   * scheduled, for the Worker to publish when their time comes.
   */
  now?: number;
}

/**
 * The index names every article's record (`ReleaseIndex.articles`, about 63 bytes a post) while
 * that map stays under 256 KiB, about 4,000 posts: a cold miss then reads the record straight
 * away instead of its route bucket first. A bigger blog's index would cost every new isolate its
 * read and parse (measured at 10,000 posts, `npm run bench:build`: a 644 KiB index, of it 618 KiB
 * the map, 2.6 ms to parse in Node 22), so past the cap the route buckets alone find articles.
 */
export const ARTICLES_IN_INDEX_MAX = 256 * 1024;

export interface Release {
  id: string;
  index: ReleaseIndex;
  /** Every KV entry of the release, the index included, keyed by content-addressed key. */
  entries: ReleaseEntries;
  /** The posts in the release, newest first. */
  posts: ArticleRecord[];
  /** The posts dated after the build's clock (published by the Worker at their date), newest first. */
  scheduled: ArticleRecord[];
}

/**
 * A post's article: its KV record, and when the build already has them (from its render cache,
 * or made for it), the record's key and its KV pair's bytes (`pairOf`), so the record is not
 * serialized and hashed again.
 */
export interface Article {
  record: ArticleRecord;
  encoded?: { key: string; pair: () => Uint8Array };
}

/**
 * Turns posts into a release, asking `article` for the KV record of each post the release
 * holds (drafts only in a preview build). The release id is the hash of the index, so the same
 * content always gives the same release and the same keys.
 * @throws {ContentError} when two posts claim one slug, or an alias is another post's slug or alias.
 */
export function assembleRelease<P extends PostFile>(
  sources: readonly P[],
  options: ReleaseOptions,
  article: (post: P) => Article,
): Release {
  const chunkSize = options.chunkSize ?? 100;
  const bucketCount = options.bucketCount ?? 64;
  const entries = new ReleaseEntries();
  const put = (key: (hash: string) => string, value: unknown) => entries.put(key, value);

  checkAddresses(sources);
  const articles = sources.filter((s) => options.drafts || !s.meta.draft).map((post) => article(post));
  // Oldest first; posts of one date by slug.
  articles.sort(({ record: a }, { record: b }) =>
    a.date === b.date ? a.slug.localeCompare(b.slug) : a.date < b.date ? -1 : 1,
  );
  const posts = articles.map((a) => a.record);
  // Sorted oldest first, the posts still in the future are each list's tail.
  const now = new Date(options.now ?? Date.now()).toISOString();
  const { sets, summaries } = summariesWithSets(sources, posts);
  const { buckets, keys } = routeArticles(articles, {
    entries,
    bucketCount,
    ends: readingOn(summaries, now),
    sets,
    aliasesOf: new Map(sources.map((s) => [s.meta.slug, s.meta.aliases ?? []])),
  });
  const byTag = tagLists(posts, summaries);
  const { languages, withUnmarked } = languageLists(summaries);
  checkLanguagePaths(sources, languages.keys());

  const chunked = (list: PostSummary[], withNewest = false): ChunkedList => {
    const chunks: string[] = [];
    for (let i = 0; i < list.length; i += chunkSize) chunks.push(put(chunkKey, list.slice(i, i + chunkSize)));
    const scheduled = list.filter((p) => p.date > now).map((p) => p.date);
    const newest = list
      .slice(-(NEWEST_SLUGS + scheduled.length))
      .reverse()
      .map((p) => p.slug);
    return {
      count: list.length,
      chunkSize,
      chunks,
      ...(scheduled.length > 0 && { scheduled }),
      ...(withNewest && { newest }),
    };
  };

  const tags: Record<string, ChunkedList> = {};
  for (const tag of [...byTag.keys()].sort()) tags[tag] = chunked(byTag.get(tag) ?? []);
  const byLanguage = (lists: Map<string, PostSummary[]>) =>
    Object.fromEntries([...lists.keys()].sort().map((lang) => [lang, chunked(lists.get(lang) ?? [], true)]));

  const body = {
    drafts: options.drafts,
    posts: chunked(summaries, true),
    tags,
    languages: byLanguage(languages),
    ...(withUnmarked.size > 0 && { withUnmarked: byLanguage(withUnmarked) }),
    archive: put(archiveKey, summaries.map(linkOf)),
    buckets: buckets.map((b) => put(bucketKey, b)),
    ...(JSON.stringify(keys).length <= (options.articlesInIndexMax ?? ARTICLES_IN_INDEX_MAX) && { articles: keys }),
  };
  const id = contentHash(JSON.stringify(body));
  const index: ReleaseIndex = { release: id, ...body };
  entries.set(releaseKey(id), JSON.stringify(index));
  const newestFirst = posts.reverse();
  return { id, index, entries, posts: newestFirst, scheduled: newestFirst.filter((p) => p.date > now) };
}

/** The translation sets (front matter `translationKey`) and each post's summary, carrying its set. */
function summariesWithSets(sources: readonly PostFile[], posts: readonly ArticleRecord[]) {
  const translationKeys = new Map(sources.map((s) => [s.meta.slug, s.meta.translationKey]));
  const sets = translationsOf(posts, (slug) => translationKeys.get(slug));
  const summaries = posts.map((post) => {
    const translations = sets.get(post.slug);
    return translations ? { ...summaryOf(post), translations } : summaryOf(post);
  });
  return { sets, summaries };
}

/** Every slug belongs to one post, every alias leads to one post. */
function checkAddresses(sources: readonly PostFile[]): void {
  const seen = new Map<string, string>();
  for (const { file, meta } of sources) {
    const other = seen.get(meta.slug);
    if (other) throw new ContentError(file, "slug", `"${meta.slug}" is already used by ${other}`);
    seen.set(meta.slug, file);
  }
  checkAliases(sources, seen);
  checkTranslations(sources);
}

/**
 * Puts each article's record into the entries, with what it links to at its end spliced in as
 * its last field (the record as rendered is cached per post, by its own hash; the end depends on
 * the other posts), and routes its slug and aliases: the route buckets; `keys` is every slug's
 * record key, for the index (the Worker finds an article without reading a bucket).
 */
function routeArticles(
  articles: readonly Article[],
  by: {
    entries: ReleaseEntries;
    bucketCount: number;
    ends: ReturnType<typeof readingOn>;
    sets: ReturnType<typeof translationsOf>;
    aliasesOf: Map<string, string[]>;
  },
): { buckets: RouteBucket[]; keys: Record<string, string> } {
  const buckets: RouteBucket[] = Array.from({ length: by.bucketCount }, () => ({}));
  const keys: [string, string][] = [];
  const route = (key: string, value: string | AliasRoute) => {
    (buckets[bucketOf(key, by.bucketCount)] as RouteBucket)[key] = value;
  };
  for (const { record: post, encoded } of articles) {
    const end = by.ends.get(post.slug) ?? { related: [] };
    const set = by.sets.get(post.slug);
    let full: { key: string; pair: () => Uint8Array };
    if (encoded) full = withReadingOn(encoded.key, encoded.pair, end, set);
    else {
      const json = JSON.stringify(post);
      full = withReadingOn(articleKey(contentHash(json)), json, end, set);
    }
    by.entries.setPair(full.key, full.pair);
    route(post.slug, full.key);
    keys.push([post.slug, full.key]);
    for (const path of by.aliasesOf.get(post.slug) ?? []) route(path, { redirect: post.slug, date: post.date });
  }
  // fromEntries makes own properties, whatever the slug ("__proto__" included).
  return { buckets, keys: Object.fromEntries(keys) };
}

/** Each tag's posts, oldest first, as summaries. */
function tagLists(posts: readonly ArticleRecord[], summaries: readonly PostSummary[]): Map<string, PostSummary[]> {
  const byTag = new Map<string, PostSummary[]>();
  for (const [i, post] of posts.entries()) {
    const summary = summaries[i] as PostSummary;
    for (const tag of post.tags) {
      const list = byTag.get(tag);
      if (list) list.push(summary);
      else byTag.set(tag, [summary]);
    }
  }
  return byTag;
}

/**
 * Aliases must lead to one post: not another post's slug (drafts included: they will be
 * published one day), not the post's own address, not another post's alias.
 */
function checkAliases(sources: readonly PostFile[], slugs: Map<string, string>): void {
  const claimed = new Map<string, string>();
  for (const { file, meta } of sources) {
    for (const path of meta.aliases ?? []) {
      const slug = path.startsWith("/posts/") ? path.slice("/posts/".length) : undefined;
      const owner = slug === undefined ? undefined : slugs.get(slug);
      if (owner === file) throw new ContentError(file, "aliases", `"${path}" is the post's own address`);
      if (owner) throw new ContentError(file, "aliases", `"${path}" is the address of ${owner}`);
      const other = claimed.get(path);
      if (other) throw new ContentError(file, "aliases", `"${path}" is already an alias of ${other}`);
      claimed.set(path, file);
    }
  }
}

/**
 * What lists show of a post: its record without the HTML and source hash, fields in the record's
 * order. The HTML is not even read (a cached record reads it from the cache only when asked).
 */
export function summaryOf(post: ArticleRecord): PostSummary {
  const summary: Record<string, unknown> = {};
  for (const key of Object.keys(post) as (keyof ArticleRecord)[]) {
    if (key !== "html" && key !== "sourceHash") summary[key] = post[key];
  }
  return summary as unknown as PostSummary;
}
