/**
 * The content build: `content/` -> marked -> content-addressed KV entries + manifest.
 *
 *   node pipeline/build.ts [--drafts] [--content content] [--out dist] [--release-module src/generated/release.ts]
 *
 * Writes `<out>/kv/NNN.json` (files for `wrangler kv bulk put`, each within its 10,000-pair
 * limit), `<out>/manifest.json` (the release id and every post's summary, for people and
 * scripts; the Worker never reads it) and the release module the Worker is built with.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { ContentError } from "./content-error.ts";
import { readContent } from "./read-content.ts";
import { buildRelease } from "./release.ts";

/** wrangler kv bulk put takes at most 10,000 pairs per call. */
const PAIRS_PER_FILE = 10_000;

const { values } = parseArgs({
  options: {
    drafts: { type: "boolean", default: false },
    content: { type: "string", default: "content" },
    out: { type: "string", default: "dist" },
    "release-module": { type: "string", default: "src/generated/release.ts" },
  },
});

try {
  const started = performance.now();
  const sources = await readContent(values.content);
  const release = buildRelease(sources, { drafts: values.drafts });
  const kvDir = join(values.out, "kv");
  await rm(kvDir, { recursive: true, force: true });
  await mkdir(kvDir, { recursive: true });
  const pairs = [...release.entries].map(([key, value]) => ({ key, value }));
  for (let i = 0; i * PAIRS_PER_FILE < pairs.length; i++) {
    const file = join(kvDir, `${String(i).padStart(3, "0")}.json`);
    await writeFile(file, JSON.stringify(pairs.slice(i * PAIRS_PER_FILE, (i + 1) * PAIRS_PER_FILE)));
  }
  const manifest = {
    release: release.id,
    drafts: values.drafts,
    posts: release.posts.map(({ html: _html, ...post }) => post),
  };
  await writeFile(join(values.out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await mkdir(dirname(values["release-module"]), { recursive: true });
  await writeFile(
    values["release-module"],
    `// Written by pipeline/build.ts: the content release this Worker serves. Do not edit.\nexport const RELEASE = ${JSON.stringify(release.id)};\n`,
  );
  const drafts = release.posts.filter((p) => p.draft).length;
  const ms = Math.round(performance.now() - started);
  console.log(
    `built release ${release.id}: ${release.posts.length} posts${drafts ? ` (${drafts} drafts)` : ""}, ` +
      `${Object.keys(release.index.tags).length} tags, ${pairs.length} KV entries in ${ms} ms -> ${kvDir}`,
  );
} catch (error) {
  const problems = error instanceof AggregateError ? error.errors : [error];
  if (!problems.every((e) => e instanceof ContentError)) throw error;
  console.error(`content build failed:\n${problems.map((e: ContentError) => `  ${e.message}`).join("\n")}`);
  process.exit(1);
}
