/**
 * The build's second step: parse and render the posts the cache did not have (on every core when
 * there are many: render-pool.ts), and keep what was built in the render cache.
 */
import { summaryOf } from "./assemble-release.ts";
import type { BuiltPost, PostJob } from "./build-post.ts";
import { ContentError } from "./content-error.ts";
import type { PostFileName } from "./post-files.ts";
import type { RenderCache } from "./render-cache.ts";
import type { PoolResult } from "./render-pool.ts";

export interface RenderOptions {
  contentDir: string;
  drafts: boolean;
  /** The highlight cache file to read, or false. */
  highlightCache: string | false;
  threads?: number | undefined;
  /** Called after each post is built. */
  onBuilt: () => void;
}

/** Posts built this build, by file name, and what the render threads did besides. */
export interface Rendered {
  fresh: Map<string, BuiltPost>;
  pool: PoolResult;
}

/**
 * Builds `jobs` and keeps each post built without mistakes in `cache`.
 * @throws {AggregateError} of `ContentError`s, in the order of `files`, when posts have mistakes
 * (after saving the cache, so the build after the writer's fix renders only what was wrong).
 */
export async function renderPosts(
  jobs: readonly PostJob[],
  files: readonly PostFileName[],
  cache: RenderCache,
  options: RenderOptions,
): Promise<Rendered> {
  const fresh = new Map<string, BuiltPost>();
  const mistakes: ContentError[] = [];
  // The render code (marked, YAML, Shiki, threads) is loaded only when some post must be built.
  const pool: PoolResult =
    jobs.length === 0
      ? { highlighted: {}, media: [], threads: 0 }
      : await (await import("./render-pool.ts")).buildPosts(jobs, {
          contentDir: options.contentDir,
          drafts: options.drafts,
          highlightCache: options.highlightCache,
          threads: options.threads,
          onBuilt: (post) => {
            options.onBuilt();
            fresh.set(post.name, post);
            for (const { file, field, problem } of post.mistakes) mistakes.push(new ContentError(file, field, problem));
          },
        });
  keepBuilt(cache, fresh, jobs);
  if (mistakes.length) {
    await cache.save();
    // In the order of the files, whichever thread found them.
    const order = new Map(files.map(({ file }, i) => [file, i]));
    mistakes.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
    throw new AggregateError(mistakes, mistakes.map((e) => e.message).join("\n"));
  }
  return { fresh, pool };
}

/** Puts the posts built without mistakes in the cache: their articles only when they may be cached. */
function keepBuilt(cache: RenderCache, fresh: ReadonlyMap<string, BuiltPost>, jobs: readonly PostJob[]): void {
  const hashes = new Map(jobs.map((job) => [job.name, job.hash]));
  for (const post of fresh.values()) {
    if (!post.meta || post.mistakes.length > 0) continue;
    if (post.record) cache.stats.rendered++;
    const entry = {
      hash: hashes.get(post.name) ?? "",
      meta: post.meta,
      ...(post.blocks.length > 0 && { blocks: post.blocks }),
    };
    const { record, encoded } = post;
    if (!post.cacheable || !record || !encoded) cache.set(post.name, entry);
    else cache.set(post.name, entry, { summary: summaryOf(record), ...encoded });
  }
}
