/**
 * The content build: `content/` -> marked -> content-addressed KV entries + manifest, and the
 * static assets (`assets/` -> `dist/public/assets/<name>.<hash>.<ext>`, served by Workers Static Assets).
 *
 *   node pipeline/build.ts [--drafts] [--content content] [--out dist] [--release-module src/generated/release.ts]
 *                          [--cache .cache/build/render-cache.json] [--no-cache]
 *
 * Production builds leave drafts out; `npm start` builds with `--drafts` for preview. Only posts
 * whose source changed since the last build are rendered (pipeline/render-cache.ts); `--no-cache`
 * renders every post and leaves the cache file alone. Long builds report progress on stderr.
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeAssets } from "./assets.ts";
import { ContentError } from "./content-error.ts";
import { HIGHLIGHT_CACHE } from "./highlight.ts";
import { writeBuild } from "./write-build.ts";

const { values } = parseArgs({
  options: {
    drafts: { type: "boolean", default: false },
    content: { type: "string", default: "content" },
    out: { type: "string", default: "dist" },
    "release-module": { type: "string", default: "src/generated/release.ts" },
    cache: { type: "string", default: join(".cache", "build", "render-cache.json") },
    "no-cache": { type: "boolean", default: false },
  },
});

/** Progress is printed only for builds this large, at most once a second. */
const PROGRESS_FROM = 1_000;

try {
  const started = performance.now();
  let shown = started;
  // `[assets] directory` in wrangler.toml is dist/public; the asset map sits beside the release module.
  // The site's assets first: writing them empties the folder the posts' images then go to.
  const assets = await writeAssets({
    srcDir: "assets",
    outDir: join(values.out, "public"),
    module: join(values["release-module"], "..", "assets.ts"),
  });
  const {
    release,
    kvFiles,
    mediaFiles,
    render: stats,
  } = await writeBuild({
    contentDir: values.content,
    outDir: values.out,
    releaseModule: values["release-module"],
    drafts: values.drafts,
    publicDir: join(values.out, "public"),
    highlightCache: HIGHLIGHT_CACHE,
    ...(values["no-cache"] ? {} : { cacheFile: values.cache }),
    onProgress: (done, total) => {
      const now = performance.now();
      if (total < PROGRESS_FROM || (now - shown < 1_000 && done < total)) return;
      shown = now;
      console.error(`  rendering: ${done} of ${total} posts (${Math.round((now - started) / 1000)} s)`);
    },
  });
  const rendered = performance.now();
  const drafts = release.posts.filter((p) => p.draft).length;
  const next = release.scheduled.at(-1);
  console.log(
    `built release ${release.id}: ${release.posts.length} posts${drafts ? ` (${drafts} drafts)` : ""}, ` +
      (next
        ? `${release.scheduled.length} scheduled (the Worker publishes them by its clock; next: ${next.slug} at ${next.date}), `
        : "") +
      `${Object.keys(release.index.tags).length} tags, ${release.entries.size} KV entries in ` +
      `${kvFiles.length} file(s) under ${values.out}/kv, ${Object.keys(assets).length} assets, ${mediaFiles} media files, ${Math.round(performance.now() - started)} ms`,
  );
  console.log(
    `  ${stats.rendered} rendered, ${stats.reused} reused from the render cache` +
      `${stats.note ? ` (cache ${stats.note})` : ""}; content ${Math.round(rendered - started)} ms`,
  );
} catch (error) {
  const problems = error instanceof AggregateError ? error.errors : [error];
  if (!problems.every((e) => e instanceof ContentError)) throw error;
  console.error(`content build failed:\n${problems.map((e: ContentError) => `  ${e.message}`).join("\n")}`);
  process.exit(1);
}
