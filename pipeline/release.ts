import {
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
}

export interface Release {
  id: string;
  index: ReleaseIndex;
  /** Every KV entry of the release, the index included, keyed by content-addressed key. */
  entries: Map<string, string>;
  /** The posts in the release, newest first. */
  posts: ArticleRecord[];
}

/** What every post of one build shares: the code highlighter and the published media files. */
export interface RenderTools {
  highlight?: Highlight | undefined;
  media?: MediaLibrary | undefined;
}

/**
 * Renders one post into its KV record.
 * @throws {AggregateError} of `ContentError`s, one per broken image or file reference.
 */
export function renderPost(post: SourcePost, tools: RenderTools = {}): ArticleRecord {
  const { meta } = post;
  const { highlight, media } = tools;
  const { html, problems } = renderBody(post.body, {
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
 * @throws {ContentError} when two posts claim one slug.
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

  const posts = sources
    .filter((s) => options.drafts || !s.meta.draft)
    .map((post) => render(post))
    .sort((a, b) => (a.date === b.date ? a.slug.localeCompare(b.slug) : a.date < b.date ? -1 : 1));

  const buckets: RouteBucket[] = Array.from({ length: bucketCount }, () => ({}));
  const byTag = new Map<string, PostSummary[]>();
  for (const post of posts) {
    const bucket = buckets[bucketOf(post.slug, bucketCount)] as RouteBucket;
    bucket[post.slug] = put(articleKey, post);
    for (const tag of post.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), summaryOf(post)]);
  }

  const chunked = (list: PostSummary[]): ChunkedList => {
    const chunks: string[] = [];
    for (let i = 0; i < list.length; i += chunkSize) chunks.push(put(chunkKey, list.slice(i, i + chunkSize)));
    return { count: list.length, chunkSize, chunks };
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
  return { id, index, entries, posts: posts.reverse() };
}

function summaryOf(post: ArticleRecord): PostSummary {
  const { html: _html, sourceHash: _hash, ...summary } = post;
  return summary;
}
