import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ContentError } from "./content-error.ts";
import { createHighlight } from "./highlight.ts";
import { codeBlocks } from "./markdown.ts";
import { MediaLibrary } from "./media.ts";
import { readContent } from "./read-content.ts";
import { buildRelease, type Release, renderPost } from "./release.ts";
import { RenderCache, type RenderStats } from "./render-cache.ts";
import { writeSearchData } from "./search-rows.ts";

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
  /** File keeping highlighted code blocks between builds (`HIGHLIGHT_CACHE`); none by default. */
  highlightCache?: string | false;
  /** The render cache file (see render-cache.ts); undefined renders every post. */
  cacheFile?: string;
  /** Called after each post is rendered or reused, with the count so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Builds the content and writes `<out>/kv/NNN.json` (files for `wrangler kv bulk put`),
 * `<out>/manifest.json` (the release id and each post's summary, for people and scripts;
 * the Worker never reads it), `<out>/search/` (the search documents, for D1: search-rows.ts), the release module
 * the Worker is bundled with, and the images and files the posts refer to, under content-hashed
 * names in `<publicDir>/assets/`.
 * @throws {AggregateError} of `ContentError`s when the content has mistakes.
 */
export async function writeBuild(
  options: BuildOptions,
): Promise<{ release: Release; kvFiles: string[]; mediaFiles: number; render: RenderStats }> {
  const sources = await readContent(options.contentDir);
  const built = sources.filter((s) => options.drafts || !s.meta.draft);
  const cache = await RenderCache.open(options.cacheFile);
  // One highlighter and one media library for the whole build.
  const highlighter = await createHighlight(
    built.flatMap((s) => codeBlocks(s.body)),
    options.highlightCache ?? false,
  );
  const media = new MediaLibrary(options.contentDir);
  const broken: ContentError[] = [];
  let done = 0;
  const release = buildRelease(sources, { drafts: options.drafts }, (post) => {
    options.onProgress?.(++done, built.length);
    const cached = cache.get(post.sourceHash);
    if (cached !== undefined) return renderPost(post, {}, cached);
    // A post that refers to files gets their hashed URLs and sizes: its HTML depends on more
    // than its source, so it is rendered every time (publishing its files), never cached.
    let refersToFiles = false;
    const tracked = {
      resolve: (...args: Parameters<MediaLibrary["resolve"]>) => {
        refersToFiles = true;
        return media.resolve(...args);
      },
    };
    try {
      const record = renderPost(post, { highlight: highlighter?.highlight, media: tracked });
      cache.rendered(post.sourceHash, record.html, !refersToFiles);
      return record;
    } catch (error) {
      if (!(error instanceof AggregateError)) throw error;
      broken.push(...error.errors.filter((e) => e instanceof ContentError));
      return renderPost(post); // without media, so the build goes on and reports every broken reference
    }
  });
  if (broken.length) throw new AggregateError(broken, broken.map((e) => e.message).join("\n"));
  await highlighter?.save();
  await cache.save(sources.map((s) => s.sourceHash));
  const mediaFiles = await media.write(options.publicDir ?? join(options.outDir, "public"));
  const perFile = options.pairsPerFile ?? PAIRS_PER_FILE;
  const kvDir = join(options.outDir, "kv");
  await rm(kvDir, { recursive: true, force: true });
  await mkdir(kvDir, { recursive: true });
  const pairs = [...release.entries].map(([key, value]) => ({ key, value }));
  const kvFiles: string[] = [];
  for (let i = 0; i * perFile < pairs.length; i++) {
    const file = join(kvDir, `${String(i).padStart(3, "0")}.json`);
    await writeFile(file, JSON.stringify(pairs.slice(i * perFile, (i + 1) * perFile)));
    kvFiles.push(file);
  }
  const manifest = {
    release: release.id,
    drafts: options.drafts,
    posts: release.posts.map(({ html: _html, ...post }) => post),
  };
  await writeFile(join(options.outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeSearchData(join(options.outDir, "search"), release);
  await mkdir(dirname(options.releaseModule), { recursive: true });
  await writeFile(
    options.releaseModule,
    `// Written by pipeline/build.ts: the content release this Worker serves. Do not edit.\nexport const RELEASE = ${JSON.stringify(release.id)};\n`,
  );
  return { release, kvFiles, mediaFiles, render: cache.stats };
}
