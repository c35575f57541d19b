/**
 * The build's third step: the release (assemble-release.ts) from the posts the cache had and those
 * built this time, and each article's search document bytes for the write step.
 */
import type { ArticleRecord } from "../src/articles/record.ts";
import { type Article, assembleRelease, type PostFile, type Release } from "./assemble-release.ts";
import type { BuiltPost } from "./build-post.ts";
import type { ReadPost } from "./build-read.ts";
import { ContentError } from "./content-error.ts";
import type { RenderCache } from "./render-cache.ts";
import type { SearchDocBytes } from "./search-rows.ts";

/** The release, and the search document of each of its records. */
export interface Assembled {
  release: Release;
  docs: Map<ArticleRecord, SearchDocBytes>;
}

/**
 * Assembles the release of `posts` (in their order): cached articles keep their key and bytes;
 * built ones were serialized and hashed on the render threads.
 * @throws {ContentError} when posts clash (two claim one slug), after saving the cache so what was built is kept.
 */
export async function assembleBuild(
  posts: readonly ReadPost[],
  fresh: ReadonlyMap<string, BuiltPost>,
  cache: RenderCache,
  drafts: boolean,
): Promise<Assembled> {
  const docs = new Map<ArticleRecord, SearchDocBytes>();
  const sources = posts.map((post) => sourceOf(post, fresh.get(post.name), cache, docs));
  try {
    const release = assembleRelease(sources, { drafts }, (post) => {
      if (!post.article) throw new Error(`${post.file} was not rendered`);
      return post.article;
    });
    return { release, docs };
  } catch (error) {
    if (error instanceof ContentError) await cache.save();
    throw error;
  }
}

/** A post for the release, from the cache or as built; its search document goes in `docs`. */
function sourceOf(
  { file, entry }: ReadPost,
  built: BuiltPost | undefined,
  cache: RenderCache,
  docs: Map<ArticleRecord, SearchDocBytes>,
): PostFile & { article?: Article } {
  if (entry) {
    const { article } = entry;
    if (!article) return { file, meta: entry.meta };
    const record = cache.record({ ...entry, article });
    docs.set(record, { key: article.doc, bytes: () => article.row });
    const pair = () => article.pair;
    return { file, meta: entry.meta, article: { record, encoded: { key: article.key, pair } } };
  }
  if (!built?.meta) throw new Error(`${file} was neither cached nor built`);
  const { meta, record, encoded } = built;
  if (!record || !encoded) return { file, meta };
  docs.set(record, { key: encoded.doc, bytes: () => encoded.row });
  return { file, meta, article: { record, encoded: { key: encoded.key, pair: () => encoded.pair } } };
}
