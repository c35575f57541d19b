/**
 * The content build: `content/` -> marked -> content-addressed KV entries + manifest, and the
 * static assets (`assets/` -> `dist/public/assets/<name>.<hash>.<ext>`, served by Workers Static Assets).
 *
 *   node pipeline/build.ts [--drafts] [--content content] [--out dist] [--release-module src/generated/release.ts]
 *                          [--cache .cache/build/render-cache] [--no-cache] [--threads N] [--timings]
 *
 * Production builds leave drafts out; `npm start` builds with `--drafts` for preview. Only posts
 * whose source changed since the last build are parsed and rendered (pipeline/render-cache.ts),
 * on every core when there are many (`--threads` sets how many threads); output files that would
 * not change are not rewritten. `--no-cache` builds every post and writes every file, and leaves
 * the cache alone. Long builds report progress on stderr; `--timings` says where the time went.
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeAssets } from "./assets.ts";
import { ContentError } from "./content-error.ts";
import { writeBuild } from "./write-build.ts";

const { values } = parseArgs({
  options: {
    drafts: { type: "boolean", default: false },
    content: { type: "string", default: "content" },
    out: { type: "string", default: "dist" },
    "release-module": { type: "string", default: "src/generated/release.ts" },
    cache: { type: "string", default: join(".cache", "build", "render-cache") },
    "no-cache": { type: "boolean", default: false },
    threads: { type: "string" },
    timings: { type: "boolean", default: false },
  },
});
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
  console.error("--threads: a whole number of threads, 1 or more");
  process.exit(2);
}

/** Progress is printed only for builds this large, at most once a second. */
const PROGRESS_FROM = 1_000;

try {
  const started = performance.now();
  let shown = started;
  // `[assets] directory` in wrangler.toml is dist/public; the asset map sits beside the release module.
  // The site's assets are written while the content builds; writing them empties the folder the
  // posts' images go to, so the build copies those after (`publicReady`).
  let assetsDone = started;
  const writingAssets = writeAssets({
    srcDir: "assets",
    outDir: join(values.out, "public"),
    module: join(values["release-module"], "..", "assets.ts"),
  }).then((urls) => {
    assetsDone = performance.now();
    return urls;
  });
  // Its failure is reported where it is awaited, not as an unhandled rejection if the content fails first.
  writingAssets.catch(() => undefined);
  const {
    release,
    kvFiles,
    mediaFiles,
    render: stats,
    report,
  } = await writeBuild({
    contentDir: values.content,
    outDir: values.out,
    releaseModule: values["release-module"],
    drafts: values.drafts,
    publicDir: join(values.out, "public"),
    publicReady: writingAssets,
    ...(values["no-cache"] ? {} : { cacheDir: values.cache }),
    ...(threads && { threads }),
    onProgress: (done, total) => {
      const now = performance.now();
      if (total < PROGRESS_FROM || (now - shown < 1_000 && done < total)) return;
      shown = now;
      console.error(`  building: ${done} of ${total} posts (${Math.round((now - started) / 1000)} s)`);
    },
  });
  const assets = await writingAssets;
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
    `  ${stats.rendered} rendered${report.threads > 1 ? ` on ${report.threads} threads` : ""}, ${stats.reused} reused from the render cache` +
      `${stats.note ? ` (cache ${stats.note})` : ""}; ${report.written.length} output files written, ` +
      `${report.kept.length} unchanged; content ${Math.round(rendered - started)} ms`,
  );
  if (values.timings) {
    const ms = (n: number) => `${Math.round(n)} ms`;
    console.log(
      `  timings: start-up ${ms(started)}, assets alongside (done after ${ms(assetsDone - started)}), cache ${ms(report.cacheMs)}, read+hash ${ms(report.readMs)}, ` +
        `render ${ms(report.renderMs)}, release ${ms(report.releaseMs)}, write ${ms(report.writeMs)}`,
    );
  }
} catch (error) {
  const problems = error instanceof AggregateError ? error.errors : [error];
  if (!problems.every((e) => e instanceof ContentError)) throw error;
  console.error(`content build failed:\n${problems.map((e: ContentError) => `  ${e.message}`).join("\n")}`);
  process.exit(1);
}
