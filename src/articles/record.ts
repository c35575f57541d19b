/**
 * The contract between the build (`pipeline/`, Node) and the Worker (`src/`, workerd).
 *
 * Every KV value the build writes is content-addressed: its key carries the hash of its
 * value, so uploading a new release never changes a value the live Worker reads. The only
 * thing that switches releases is the Worker itself, which carries the id of its release
 * (`src/generated/release.ts`) and reads `releaseKey(id)` to find everything else.
 */

/** What list pages, tag pages and the feed show for one post. */
export interface PostSummary {
  slug: string;
  title: string;
  /** ISO 8601 date-time of first publication. */
  date: string;
  /** ISO 8601 date-time of the last meaningful update, when there was one. */
  updated?: string;
  tags: string[];
  summary: string;
  /** Whole minutes, at least 1. */
  readingMinutes: number;
  /** BCP 47 language tag, when the post is not in the site's language. */
  lang?: string;
  draft?: boolean;
  /**
   * The other posts of its translation set in the release (front matter `translationKey`), by
   * language; absent when the post has none.
   */
  translations?: TranslationLink[];
}

/** Another post telling the same story in another language. */
export interface TranslationLink {
  slug: string;
  /** Its BCP 47 language tag (every post of a set names its own). */
  lang: string;
  /** ISO 8601: the Worker links a scheduled translation only from this moment. */
  date: string;
}

/** One article as stored in KV: its summary plus the pre-rendered HTML fragment. */
export interface ArticleRecord extends PostSummary {
  /** Trusted HTML rendered by `marked` at build time. */
  html: string;
  /** Hash of the Markdown source and front matter the record was built from. */
  sourceHash: string;
  /**
   * The post's first image of known size (a file of the content folder), for its social card
   * (`og:image`) and structured data. Absent when the post shows none: the site's image stands in.
   */
  image?: ArticleImage;
  /**
   * What the article links to at its end, worked out by the build from the whole release
   * (pipeline/reading-on.ts); always the record's last field. Absent from the render cache's
   * records, and from releases built before it existed.
   */
  readingOn?: ReadingOn;
}

/** An image the build published, with its intrinsic size in CSS pixels. */
export interface ArticleImage {
  /** Site-relative URL (`/assets/<name>.<hash>.<ext>`). */
  url: string;
  width: number;
  height: number;
}

/** Another post, as a link at the end of an article or on the archive page shows it. */
export interface PostLink {
  slug: string;
  title: string;
  /** ISO 8601: the Worker shows a scheduled post only from this moment. */
  date: string;
  /** BCP 47 language tag, when the post is not in the site's language. */
  lang?: string;
}

/** The end of an article: the posts published just before and just after it, and related posts. */
export interface ReadingOn {
  previous?: PostLink;
  /** May still be scheduled (the Worker hides it until its date). */
  next?: PostLink;
  /**
   * Posts sharing tags with this one, best first: the Worker shows the first three that are out;
   * posts scheduled when the release was built come in addition to those three.
   */
  related: PostLink[];
}

/**
 * A list of posts in publication order, oldest first, split into content-addressed chunks of
 * at most `chunkSize` summaries. Oldest-first chunking means a new post changes only the last
 * chunk, so a release uploads a handful of keys however large the blog grows.
 */
export interface ChunkedList {
  count: number;
  chunkSize: number;
  /** KV keys of the chunks, oldest chunk first; each holds `PostSummary[]`. */
  chunks: string[];
  /**
   * Dates (ISO 8601) of the list's posts that were still in the future when the release was
   * built, oldest first. Being the newest, they are the last `scheduled.length` entries of the
   * list, so the Worker finds how many are published at any time without reading a chunk.
   * Absent when nothing is scheduled.
   */
  scheduled?: string[];
  /**
   * Slugs of the list's newest posts, newest first: `NEWEST_SLUGS` of them plus the scheduled
   * ones, so the first page's slugs are known without reading a chunk and its comment counts are
   * read from D1 beside it (one round trip less on a cold list page). Only on the lists the most
   * read first pages belong to (all posts, each language's); absent elsewhere.
   */
  newest?: string[];
}

/** How many slugs `ChunkedList.newest` holds beyond the scheduled posts: a first page of up to this many. */
export const NEWEST_SLUGS = 20;

/** The root of a release: small, and the only value the Worker finds by a fixed name. */
export interface ReleaseIndex {
  release: string;
  /**
   * Whether this is a local preview build (`npm start`): drafts are built in and scheduled posts
   * are shown before their time. Never true in production.
   */
  drafts: boolean;
  /** Every listed post. */
  posts: ChunkedList;
  /** Posts per tag, tags sorted by name. */
  tags: Record<string, ChunkedList>;
  /**
   * Posts per language (`/ko`, `/ko/feed.xml`), by primary subtag lower-cased (`ko-KR` is `ko`);
   * `""` holds the posts that name no language (they are in the site's, which the build does not
   * know). Absent from releases built before per-language lists.
   */
  languages?: Record<string, ChunkedList>;
  /**
   * Per language, its posts and those that name none: the list `/<site language>` shows. Present
   * only when some posts name no language and others do (otherwise `languages` says it all).
   */
  withUnmarked?: Record<string, ChunkedList>;
  /** KV key of the archive: every listed post as a `PostLink`, oldest first (`/archive`). */
  archive: string;
  /**
   * Route buckets, split by `bucketOf(key, buckets.length)`: slug -> article key, and an alias's
   * path (always starting with "/") -> where it redirects.
   */
  buckets: string[];
  /**
   * Every article's record key by slug (the routes buckets hold too), so the Worker finds an
   * article in the index it already holds instead of reading a bucket first: a cold miss reads
   * the record only. Absent from indexes built before it existed (the bucket is read then).
   */
  articles?: Record<string, string>;
}

/** An old address of a post (front matter `aliases`): answered with a 301 to the post. */
export interface AliasRoute {
  /** Slug of the post it moved to. */
  redirect: string;
  /** The post's date: an alias of a scheduled post is not followed before the post is published. */
  date: string;
}

/** A route bucket: for each slug in it, the KV key of its `ArticleRecord`; for each alias path, its `AliasRoute`. */
export type RouteBucket = Record<string, string | AliasRoute>;

export const releaseKey = (release: string): string => `release:${release}`;
export const articleKey = (hash: string): string => `article:${hash}`;
export const chunkKey = (hash: string): string => `list:${hash}`;
export const bucketKey = (hash: string): string => `routes:${hash}`;
export const archiveKey = (hash: string): string => `archive:${hash}`;

/**
 * The form of a path under which aliases are stored and looked up: percent-decoded, NFC, no
 * trailing slash, and lower-cased under `/posts/` (slugs are lower-case). Null when the path
 * cannot be decoded. The build and the Worker both use it, so they always agree.
 */
export function routePath(pathname: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(pathname).normalize("NFC");
  } catch {
    return null;
  }
  if (path.length > 1) path = path.replace(/\/+$/, "") || "/";
  return path.startsWith("/posts/") ? path.toLowerCase() : path;
}

/**
 * Query parameters by which old blogs addressed a post on a page this blog answers itself
 * (WordPress's `/?p=123`, `/?page_id=7`, `/?attachment_id=9`): the only ones looked up as aliases
 * on the home page, before it is served, so `/?utm_source=...` costs the home page nothing.
 */
export const HOME_ALIAS_PARAMS: readonly string[] = ["p", "page_id", "attachment_id"];

/**
 * The key of an alias with a query (`/?p=123`, `/index.php?page_id=7`): the path in `routePath`
 * form and one `name=value` parameter, percent-encoded as `URLSearchParams` writes it. The build
 * and the Worker both use it, so they always agree.
 */
export function queryAliasKey(path: string, name: string, value: string): string {
  return `${path}?${new URLSearchParams([[name, value]])}`;
}

/** Deterministic bucket for a slug (FNV-1a over UTF-16 code units), the same in Node and workerd. */
export function bucketOf(slug: string, bucketCount: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < slug.length; i++) {
    h ^= slug.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % bucketCount;
}
