import { dirname, join } from "node:path";
import type { Release } from "./assemble-release.ts";
import { assembleBuild } from "./build-assemble.ts";
import { readPosts } from "./build-read.ts";
import { renderPosts } from "./build-render.ts";
import { writeOutputs } from "./build-write.ts";
import { listPosts } from "./post-files.ts";
import { highlightCacheOf, RenderCache, type RenderStats } from "./render-cache.ts";
import { rendererVersion } from "./renderer-version.ts";

/** `wrangler kv bulk put` takes at most 10,000 pairs per call. */
export const PAIRS_PER_FILE = 10_000;

export interface BuildOptions {
  contentDir: string;
  outDir: string;
  /** Where the Worker's release module is written. */
  releaseModule: string;
  drafts: boolean;
  pairsPerFile?: number;
  /** Where the files posts refer to are published (`/assets/...`); default `<outDir>/public`. */
  publicDir?: string;
  /** Settles when `publicDir` is ready for the posts' files (the site's assets, written alongside, empty it first). */
  publicReady?: Promise<unknown>;
  /**
   * The render cache folder (see render-cache.ts); undefined builds every post, writes every
   * output file and keeps no highlight cache.
   */
  cacheDir?: string;
  /** File keeping highlighted code blocks between builds; default beside `cacheDir` (`highlightCacheOf`). */
  highlightCache?: string | false;
  /** Threads to render with (render-pool.ts); default all cores when many posts must be rendered. */
  threads?: number;
  /** Called after each post is built or reused, with the count so far and the number of post files. */
  onProgress?: (done: number, total: number) => void;
}

/** Where a build's time went (ms), and what it wrote. */
export interface BuildReport {
  /** Working out the renderer version and opening the render cache (listing its folder). */
  cacheMs: number;
  /** Listing, reading and hashing the posts, and reading the cache entries of those whose text it has. */
  readMs: number;
  /** Parsing and rendering the posts not in the cache (0 when there were none). */
  renderMs: number;
  /** Render threads used (0 when nothing was rendered). */
  threads: number;
  /** Assembling the release (KV entries, index). */
  releaseMs: number;
  /** Writing the output files, the caches and the media. */
  writeMs: number;
  /** Output files (relative to the output folder) written, and left as they were. */
  written: string[];
  kept: string[];
}

/**
 * Builds the content and writes `<out>/kv/NNN.json` (files for `wrangler kv bulk put`),
 * `<out>/manifest.json` (the release id and each post's summary, for people and scripts;
 * the Worker never reads it), `<out>/search/` (the search documents, for D1: search-rows.ts), the release module
 * the Worker is bundled with, and the images and files the posts refer to, under content-hashed
 * names in `<publicDir>/assets/`.
 *
 * In four steps: read and hash every post (build-read.ts); parse and render only those the render
 * cache does not have, on all cores when there are many (build-render.ts); assemble the release
 * (build-assemble.ts); write the output files whose content changed (build-write.ts).
 * @throws {AggregateError} of `ContentError`s when the content has mistakes.
 */
export async function writeBuild(
  options: BuildOptions,
): Promise<{ release: Release; kvFiles: string[]; mediaFiles: number; render: RenderStats; report: BuildReport }> {
  const clock = stopwatch();
  const version = rendererVersion();
  const cache = await RenderCache.open(options.cacheDir, version);
  const cacheMs = clock();
  const files = await listPosts(options.contentDir);
  let done = 0;
  const progress = () => options.onProgress?.(++done, files.length);
  const { posts, jobs } = readPosts(options.contentDir, files, cache, options.drafts, progress);
  const readMs = clock();
  const highlightCache =
    options.highlightCache ?? (options.cacheDir === undefined ? false : highlightCacheOf(options.cacheDir));
  const { fresh, pool } = await renderPosts(jobs, files, cache, {
    contentDir: options.contentDir,
    drafts: options.drafts,
    highlightCache,
    threads: options.threads,
    onBuilt: progress,
  });
  const renderMs = clock();
  const assembled = await assembleBuild(posts, fresh, cache, options.drafts);
  const releaseMs = clock();
  const { kvFiles, mediaFiles, written, kept } = await writeOutputs(assembled, cache, pool, {
    contentDir: options.contentDir,
    outDir: options.outDir,
    releaseModule: options.releaseModule,
    drafts: options.drafts,
    pairsPerFile: options.pairsPerFile ?? PAIRS_PER_FILE,
    publicDir: options.publicDir ?? join(options.outDir, "public"),
    publicReady: options.publicReady,
    incremental: options.cacheDir !== undefined,
    highlightCache,
    imageCache: options.cacheDir && join(dirname(options.cacheDir), "images"),
    version,
  });
  const writeMs = clock();
  const report = { cacheMs, readMs, renderMs, threads: pool.threads, releaseMs, writeMs, written, kept };
  return { release: assembled.release, kvFiles, mediaFiles, render: cache.stats, report };
}

/** Milliseconds since the last call (or since it was made). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    return ms;
  };
}
