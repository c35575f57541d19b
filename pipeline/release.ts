import {
  type AliasRoute,
  type ArticleRecord,
  articleKey,
  bucketKey,
  bucketOf,
  type ChunkedList,
  chunkKey,
  type PostSummary,
  type ReleaseIndex,
  type RouteBucket,
  releaseKey,
} from "../src/articles/record.ts";
import { ContentError } from "./content-error.ts";
import type { FrontMatter } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import type { Highlight } from "./highlight.ts";
import { firstParagraph, plainText, renderBody } from "./markdown.ts";
import type { MediaLibrary } from "./media.ts";
import { readingMinutes } from "./reading-time.ts";

/** A post as read from disk, before rendering. */
export interface SourcePost {
  file: string;
  meta: FrontMatter;
  body: string;
  /** Hash of the whole source file. */
  sourceHash: string;
}

export interface ReleaseOptions {
  /** Build drafts in (local preview only). */
  drafts: boolean;
  /** Summaries per list chunk. */
  chunkSize?: number;
  /** Number of route buckets; more buckets make each route read smaller. */
  bucketCount?: number;
  /**
   * The build's clock (ms since epoch, default now): posts dated later are recorded as
   * scheduled, for the Worker to publish when their time comes.
   */
  now?: number;
}

export interface Release {
  id: string;
  index: ReleaseIndex;
  /** Every KV entry of the release, the index included, keyed by content-addressed key. */
  entries: Map<string, string>;
  /** The posts in the release, newest first. */
  posts: ArticleRecord[];
  /** The posts dated after the build's clock (published by the Worker at their date), newest first. */
  scheduled: ArticleRecord[];
}

/** What every post of one build shares: the code highlighter and the published media files. */
export interface RenderTools {
  highlight?: Highlight | undefined;
  media?: Pick<MediaLibrary, "resolve"> | undefined;
}

/**
 * Renders one post into its KV record; `cachedHtml` is the body's HTML when the build's render
 * cache has it (only posts whose HTML depends on nothing but their source are cached).
 * @throws {AggregateError} of `ContentError`s, one per broken image or file reference.
 */
export function renderPost(post: SourcePost, tools: RenderTools = {}, cachedHtml?: string): ArticleRecord {
  const { meta } = post;
  const { highlight, media } = tools;
  const { html, problems } =
    cachedHtml !== undefined
      ? { html: cachedHtml, problems: [] }
      : renderBody(post.body, {
          highlight,
          media: media && ((ref, image) => media.resolve(post.file, ref, image)),
          toc: meta.toc,
        });
  if (problems.length) {
    const errors = problems.map((problem) => new ContentError(post.file, undefined, problem));
    throw new AggregateError(errors, errors.map((e) => e.message).join("\n"));
  }
  return {
    slug: meta.slug,
    title: meta.title,
    date: meta.date,
    ...(meta.updated && { updated: meta.updated }),
    tags: meta.tags,
    summary: meta.summary ?? firstParagraph(html),
    readingMinutes: readingMinutes(plainText(html)),
    ...(meta.lang && { lang: meta.lang }),
    ...(meta.draft && { draft: true }),
    html,
    sourceHash: post.sourceHash,
  };
}

/**
 * Turns rendered posts into a release: content-addressed KV entries plus the index that ties
 * them together. The release id is the hash of the index, so the same content always gives
 * the same release and the same keys.
 * @throws {ContentError} when two posts claim one slug, or an alias is another post's slug or alias.
 */
export function buildRelease(sources: SourcePost[], options: ReleaseOptions, render = renderPost): Release {
  const chunkSize = options.chunkSize ?? 100;
  const bucketCount = options.bucketCount ?? 64;
  const entries = new Map<string, string>();
  const put = (key: (hash: string) => string, value: unknown): string => {
    const json = JSON.stringify(value);
    const k = key(contentHash(json));
    entries.set(k, json);
    return k;
  };

  const seen = new Map<string, string>();
  for (const { file, meta } of sources) {
    const other = seen.get(meta.slug);
    if (other) throw new ContentError(file, "slug", `"${meta.slug}" is already used by ${other}`);
    seen.set(meta.slug, file);
  }
  checkAliases(sources, seen);

  const posts = sources
    .filter((s) => options.drafts || !s.meta.draft)
    .map((post) => render(post))
    .sort((a, b) => (a.date === b.date ? a.slug.localeCompare(b.slug) : a.date < b.date ? -1 : 1));

  const buckets: RouteBucket[] = Array.from({ length: bucketCount }, () => ({}));
  const route = (key: string, value: string | AliasRoute) => {
    (buckets[bucketOf(key, bucketCount)] as RouteBucket)[key] = value;
  };
  const aliasesOf = new Map(sources.map((s) => [s.meta.slug, s.meta.aliases ?? []]));
  const byTag = new Map<string, PostSummary[]>();
  for (const post of posts) {
    route(post.slug, put(articleKey, post));
    for (const path of aliasesOf.get(post.slug) ?? []) route(path, { redirect: post.slug, date: post.date });
    const summary = summaryOf(post);
    for (const tag of post.tags) {
      const list = byTag.get(tag);
      if (list) list.push(summary);
      else byTag.set(tag, [summary]);
    }
  }

  // Sorted oldest first, the posts still in the future are each list's tail.
  const now = new Date(options.now ?? Date.now()).toISOString();
  const chunked = (list: PostSummary[]): ChunkedList => {
    const chunks: string[] = [];
    for (let i = 0; i < list.length; i += chunkSize) chunks.push(put(chunkKey, list.slice(i, i + chunkSize)));
    const scheduled = list.filter((p) => p.date > now).map((p) => p.date);
    return { count: list.length, chunkSize, chunks, ...(scheduled.length > 0 && { scheduled }) };
  };

  const tags: Record<string, ChunkedList> = {};
  for (const tag of [...byTag.keys()].sort()) tags[tag] = chunked(byTag.get(tag) ?? []);

  const body = {
    drafts: options.drafts,
    posts: chunked(posts.map(summaryOf)),
    tags,
    buckets: buckets.map((b) => put(bucketKey, b)),
  };
  const id = contentHash(JSON.stringify(body));
  const index: ReleaseIndex = { release: id, ...body };
  entries.set(releaseKey(id), JSON.stringify(index));
  const newestFirst = posts.reverse();
  return { id, index, entries, posts: newestFirst, scheduled: newestFirst.filter((p) => p.date > now) };
}

/**
 * Aliases must lead to one post: not another post's slug (drafts included: they will be
 * published one day), not the post's own address, not another post's alias.
 */
function checkAliases(sources: SourcePost[], slugs: Map<string, string>): void {
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

function summaryOf(post: ArticleRecord): PostSummary {
  const { html: _html, sourceHash: _hash, ...summary } = post;
  return summary;
}
