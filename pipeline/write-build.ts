import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readContent } from "./read-content.ts";
import { buildRelease, type Release } from "./release.ts";
import { writeSearchRows } from "./search-rows.ts";

/** `wrangler kv bulk put` takes at most 10,000 pairs per call. */
export const PAIRS_PER_FILE = 10_000;

export interface BuildOptions {
  contentDir: string;
  outDir: string;
  /** Where the Worker's release module is written. */
  releaseModule: string;
  drafts: boolean;
  pairsPerFile?: number;
}

/**
 * Builds the content and writes `<out>/kv/NNN.json` (files for `wrangler kv bulk put`),
 * `<out>/manifest.json` (the release id and each post's summary, for people and scripts;
 * the Worker never reads it), `<out>/search.sql` (the search rows, for D1) and the release module the Worker is bundled with.
 * @throws {AggregateError} of `ContentError`s when the content has mistakes.
 */
export async function writeBuild(options: BuildOptions): Promise<{ release: Release; kvFiles: string[] }> {
  const release = buildRelease(await readContent(options.contentDir), { drafts: options.drafts });
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
  await writeSearchRows(join(options.outDir, "search.sql"), release);
  await mkdir(dirname(options.releaseModule), { recursive: true });
  await writeFile(
    options.releaseModule,
    `// Written by pipeline/build.ts: the content release this Worker serves. Do not edit.\nexport const RELEASE = ${JSON.stringify(release.id)};\n`,
  );
  return { release, kvFiles };
}
