import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { ArticleRecord } from "../src/articles/record.ts";
import { type Article, assembleRelease, type PostFile, type Release, summaryOf } from "./assemble-release.ts";
import type { BuiltPost, PostJob } from "./build-post.ts";
import { ContentError } from "./content-error.ts";
import type { FrontMatter } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import { OutputFiles } from "./output-files.ts";
import { listPosts, PostReader } from "./post-files.ts";
import { type CachedPost, highlightCacheOf, RenderCache, type RenderStats, rendererVersion } from "./render-cache.ts";
import type { PoolResult } from "./render-pool.ts";
import type { SearchDocBytes } from "./search-rows.ts";

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
   * The render cache file (see render-cache.ts); undefined builds every post, writes every
   * output file and keeps no highlight cache.
   */
  cacheFile?: string;
  /** File keeping highlighted code blocks between builds; default beside `cacheFile` (`highlightCacheOf`). */
  highlightCache?: string | false;
  /** Threads to render with (render-pool.ts); default all cores when many posts must be rendered. */
  threads?: number;
  /** Called after each post is built or reused, with the count so far and the number of post files. */
  onProgress?: (done: number, total: number) => void;
}

/** Where a build's time went (ms), and what it wrote. */
export interface BuildReport {
  /** Working out the renderer version and reading the render cache. */
  cacheMs: number;
  /** Listing, reading and hashing the posts. */
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
 * Every post file is read and hashed; only those the render cache does not have are parsed and
 * rendered (on all cores when there are many). Output files whose content would not change are
 * left alone (output-files.ts).
 * @throws {AggregateError} of `ContentError`s when the content has mistakes.
 */
export async function writeBuild(
  options: BuildOptions,
): Promise<{ release: Release; kvFiles: string[]; mediaFiles: number; render: RenderStats; report: BuildReport }> {
  const clock = stopwatch();
  const version = rendererVersion();
  const cache = await RenderCache.open(options.cacheFile, version);
  const cacheMs = clock();
  const files = await listPosts(options.contentDir);
  const building = (meta: FrontMatter) => options.drafts || !meta.draft;

  // Read and hash every post; what the cache has is reused, the rest is built below.
  const posts: { name: string; file: string; entry?: CachedPost }[] = [];
  const jobs: PostJob[] = [];
  let done = 0;
  const reader = new PostReader();
  for (const { name, file, fileSlug } of files) {
    const bytes = reader.read(join(options.contentDir, name));
    const hash = contentHash(bytes);
    const entry = cache.get(name, hash);
    if (entry && (entry.article || !building(entry.meta))) {
      posts.push({ name, file, entry });
      cache.set(name, entry);
      if (entry.article && building(entry.meta)) cache.stats.reused++;
      options.onProgress?.(++done, files.length);
    } else {
      posts.push({ name, file });
      jobs.push({ name, file, fileSlug, source: bytes.toString("utf8"), hash });
    }
  }
  const readMs = clock();

  // Build the rest, on every core when there are many.
  const highlightFile =
    options.highlightCache ?? (options.cacheFile === undefined ? false : highlightCacheOf(options.cacheFile));
  const mistakes: ContentError[] = [];
  const fresh = new Map<string, BuiltPost>();
  const hashes = new Map(jobs.map((job) => [job.name, job.hash]));
  // The render code (marked, YAML, Shiki, threads) is loaded only when some post must be built.
  const pool: PoolResult =
    jobs.length === 0
      ? { highlighted: {}, media: [], threads: 0 }
      : await (await import("./render-pool.ts")).buildPosts(jobs, {
          contentDir: options.contentDir,
          drafts: options.drafts,
          highlightCache: highlightFile,
          threads: options.threads,
          onBuilt: (post) => {
            options.onProgress?.(++done, files.length);
            fresh.set(post.name, post);
            for (const { file, field, problem } of post.mistakes) mistakes.push(new ContentError(file, field, problem));
          },
        });
  const renderMs = clock();
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
  if (mistakes.length) {
    // What was built is kept, so the build after the writer's fix renders only what was wrong.
    await cache.save();
    // In the order of the files, whichever thread found them.
    const order = new Map(files.map(({ file }, i) => [file, i]));
    mistakes.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
    throw new AggregateError(mistakes, mistakes.map((e) => e.message).join("\n"));
  }

  // The release: cached articles keep their key and bytes; built ones were serialized and hashed
  // on the render threads.
  const docs = new Map<ArticleRecord, SearchDocBytes>();
  const sources: (PostFile & { article?: Article })[] = [];
  for (const { name, file, entry } of posts) {
    const built = fresh.get(name);
    if (entry) {
      const { article } = entry;
      if (!article) sources.push({ file, meta: entry.meta });
      else {
        const record = cache.record({ ...entry, article });
        docs.set(record, { key: article.doc, bytes: () => cache.slice(article.row) });
        const pair = () => cache.slice(article.pair);
        sources.push({ file, meta: entry.meta, article: { record, encoded: { key: article.key, pair } } });
      }
    } else if (built?.meta) {
      const { meta, record, encoded } = built;
      if (!record || !encoded) sources.push({ file, meta });
      else {
        docs.set(record, { key: encoded.doc, bytes: () => encoded.row });
        sources.push({ file, meta, article: { record, encoded: { key: encoded.key, pair: () => encoded.pair } } });
      }
    } else throw new Error(`${file} was neither cached nor built`);
  }
  let release: Release;
  try {
    release = assembleRelease(sources, { drafts: options.drafts }, (post) => {
      if (!post.article) throw new Error(`${post.file} was not rendered`);
      return post.article;
    });
  } catch (error) {
    if (error instanceof ContentError) await cache.save(); // two posts claim one slug: keep what was built
    throw error;
  }
  const releaseMs = clock();

  // Write what changed, all at once (the disk works while the thread makes the next file): KV
  // bulk files, manifest, search documents, release module, caches, media.
  const out = await OutputFiles.open(options.outDir, options.cacheFile !== undefined);
  const perFile = options.pairsPerFile ?? PAIRS_PER_FILE;
  const keys = [...release.entries.keys()];
  const kvFiles: string[] = [];
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i * perFile < keys.length; i++) {
    const name = join("kv", `${String(i).padStart(3, "0")}.json`);
    const slice = keys.slice(i * perFile, (i + 1) * perFile);
    // Values are content-addressed: the keys decide the file.
    writes.push(out.write(name, `${perFile}:${contentHash(slice.join("\n"))}`, () => kvFile(release, slice)));
    kvFiles.push(join(options.outDir, name));
  }
  const planned = new Set(kvFiles.map((f) => basename(f)));
  const present = await readdir(join(options.outDir, "kv")).catch(() => []);
  for (const stale of present.filter((f) => !planned.has(f))) writes.push(out.remove(join("kv", stale)));
  // The release id decides the manifest (it hashes the index, which holds every record's key).
  const identity = `${release.id}:${version}`;
  writes.push(
    out.write("manifest.json", identity, () => {
      const manifest = {
        release: release.id,
        drafts: options.drafts,
        posts: release.posts.map((post) => ({ ...summaryOf(post), sourceHash: post.sourceHash })),
      };
      return `${JSON.stringify(manifest, null, 2)}\n`;
    }),
    (async () => {
      const { writeSearchData } = await import("./search-rows.ts");
      const wrote = await writeSearchData(join(options.outDir, "search"), release, (record) => {
        const doc = docs.get(record);
        if (doc === undefined) throw new Error(`no search document for ${record.slug}`);
        return doc;
      });
      if (wrote.docsWritten > 0) out.written.push(join("search", "docs"));
      if (wrote.releaseWritten) out.written.push(join("search", "release.json"));
    })(),
    writeIfChanged(
      options.releaseModule,
      `// Written by pipeline/build.ts: the content release this Worker serves. Do not edit.\nexport const RELEASE = ${JSON.stringify(release.id)};\n`,
    ),
    cache.save(),
  );
  if (highlightFile) writes.push(keepHighlighted(highlightFile, cache, pool.highlighted));
  let mediaFiles = 0;
  if (pool.media.length > 0) {
    const { MediaLibrary } = await import("./media.ts");
    const media = new MediaLibrary(options.contentDir);
    media.adopt(pool.media);
    const publicDir = options.publicDir ?? join(options.outDir, "public");
    writes.push(
      Promise.resolve(options.publicReady)
        // Photos' variants are kept beside the render cache (image-variants.ts): encoded once.
        .then(() => media.write(publicDir, options.cacheFile && join(dirname(options.cacheFile), "images")))
        .then((n) => (mediaFiles = n)),
    );
  }
  await Promise.all(writes);
  await out.save();
  const writeMs = clock();
  return {
    release,
    kvFiles,
    mediaFiles,
    render: cache.stats,
    report: {
      cacheMs,
      readMs,
      renderMs,
      threads: pool.threads,
      releaseMs,
      writeMs,
      written: out.written,
      kept: out.kept,
    },
  };
}

/** A bulk file for `wrangler kv bulk put`: the JSON array of these keys' pairs, the cached ones copied as bytes. */
function* kvFile(release: Release, keys: readonly string[]): Generator<string | Uint8Array> {
  yield "[";
  for (const [i, key] of keys.entries()) {
    if (i > 0) yield ",";
    yield release.entries.pair(key);
  }
  yield "]";
}

/**
 * Replaces the highlight cache with the blocks of the posts that exist now: those highlighted
 * this build and those the cached posts hold (from the file as it was).
 */
async function keepHighlighted(file: string, cache: RenderCache, highlighted: Record<string, string>): Promise<void> {
  // The file holds the blocks of the posts the last build kept: the same blocks, nothing to do.
  if (!cache.blocksChanged() && existsSync(file)) return;
  const { highlightVersion, readHighlightCache, writeHighlightCache } = await import("./highlight.ts");
  const version = await highlightVersion();
  const before = readHighlightCache(file, version);
  const blocks: Record<string, string> = {};
  for (const entry of cache.entries()) {
    for (const key of entry.blocks ?? []) {
      const html = highlighted[key] ?? before[key];
      if (html !== undefined) blocks[key] = html;
    }
  }
  await writeHighlightCache(file, version, blocks);
}

/** Writes a small file only when its text changes, so watchers (wrangler dev) do not reload for nothing. */
async function writeIfChanged(file: string, text: string): Promise<void> {
  if ((await readFile(file, "utf8").catch(() => undefined)) === text) return;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
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
