/**
 * The build's last step: write what changed, all at once (the disk works while the thread makes
 * the next file): KV bulk files, manifest, search documents, release module, caches, media.
 * Output files whose content would not change are left alone (output-files.ts).
 */

import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Release, summaryOf } from "./assemble-release.ts";
import type { Assembled } from "./build-assemble.ts";
import { catalogsFor } from "./catalogs.ts";
import { contentHash } from "./hash.ts";
import { pruneImageCache } from "./image-cache.ts";
import { OutputFiles } from "./output-files.ts";
import type { RenderCache } from "./render-cache.ts";
import type { PoolResult } from "./render-pool.ts";

export interface WriteOptions {
  contentDir: string;
  outDir: string;
  releaseModule: string;
  drafts: boolean;
  pairsPerFile: number;
  publicDir: string;
  publicReady?: Promise<unknown> | undefined;
  /** Whether output files unchanged since the last build may be left alone (a build with a render cache). */
  incremental: boolean;
  highlightCache: string | false;
  /** Folder keeping photos' encoded variants between builds (image-variants.ts); none: encode every build. */
  imageCache?: string | undefined;
  /** The renderer version (render-cache.ts): the manifest is rewritten when it changes. */
  version: string;
}

/** What the write step wrote: the KV bulk files, the media files, and the output files written and kept. */
export interface Written {
  kvFiles: string[];
  mediaFiles: number;
  written: string[];
  kept: string[];
}

/** Writes the build's output and saves the caches. */
export async function writeOutputs(
  { release, docs }: Assembled,
  cache: RenderCache,
  pool: PoolResult,
  options: WriteOptions,
): Promise<Written> {
  const out = await OutputFiles.open(options.outDir, options.incremental);
  const { kvFiles, writes } = await writeKvFiles(out, release, options);
  writes.push(
    // The release id decides the manifest (it hashes the index, which holds every record's key).
    out.write("manifest.json", `${release.id}:${options.version}`, () => manifestOf(release, options.drafts)),
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
    writeIfChanged(
      join(dirname(options.releaseModule), "catalogs.ts"),
      catalogsFor([...release.posts, ...release.scheduled].map((post) => post.lang)),
    ),
    cache.save(),
  );
  if (options.highlightCache) writes.push(keepHighlighted(options.highlightCache, cache, pool.highlighted));
  let mediaFiles = 0;
  let cachedImages: ReadonlySet<string> = new Set();
  if (pool.media.length > 0) {
    const { MediaLibrary } = await import("./media.ts");
    const media = new MediaLibrary(options.contentDir);
    media.adopt(pool.media);
    cachedImages = media.variants.cached ?? cachedImages;
    writes.push(
      Promise.resolve(options.publicReady)
        // Photos' variants are kept beside the render cache (image-variants.ts): encoded once.
        .then(() => media.write(options.publicDir, options.imageCache))
        .then((n) => (mediaFiles = n)),
    );
  }
  await Promise.all(writes);
  // What no build has used for a month leaves the image cache (image-cache.ts).
  if (options.imageCache) await pruneImageCache(options.imageCache, cachedImages);
  await out.save();
  return { kvFiles, mediaFiles, written: out.written, kept: out.kept };
}

/** Starts writing the KV bulk files (`kv/NNN.json`, `pairsPerFile` pairs each) and removing stale ones. */
async function writeKvFiles(
  out: OutputFiles,
  release: Release,
  { outDir, pairsPerFile }: WriteOptions,
): Promise<{ kvFiles: string[]; writes: Promise<unknown>[] }> {
  const keys = [...release.entries.keys()];
  const kvFiles: string[] = [];
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i * pairsPerFile < keys.length; i++) {
    const name = join("kv", `${String(i).padStart(3, "0")}.json`);
    const slice = keys.slice(i * pairsPerFile, (i + 1) * pairsPerFile);
    // Values are content-addressed: the keys decide the file.
    writes.push(out.write(name, `${pairsPerFile}:${contentHash(slice.join("\n"))}`, () => kvFile(release, slice)));
    kvFiles.push(join(outDir, name));
  }
  const planned = new Set(kvFiles.map((f) => basename(f)));
  const present = await readdir(join(outDir, "kv")).catch(() => []);
  for (const stale of present.filter((f) => !planned.has(f))) writes.push(out.remove(join("kv", stale)));
  return { kvFiles, writes };
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

/** The manifest: the release id and each post's summary, for people and scripts (the Worker never reads it). */
function manifestOf(release: Release, drafts: boolean): string {
  const posts = release.posts.map((post) => ({ ...summaryOf(post), sourceHash: post.sourceHash }));
  return `${JSON.stringify({ release: release.id, drafts, posts }, null, 2)}\n`;
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
