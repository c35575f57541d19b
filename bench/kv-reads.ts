/**
 * `npm run bench:kv-reads`: how many KV reads a page costs as the blog grows. Builds the sample
 * content and N synthetic posts (bench/generate-posts.ts), bundles the Worker for each release,
 * runs it under Miniflare with the page cache off and the binding-counting entry
 * (count-bindings.ts), loads the build's KV files, and prints the KV (and D1) calls of the home
 * page, its last page, the largest tag page, the feed, the sitemap and an article.
 *
 *   npm run bench:kv-reads -- [--count 10000] [--seed 1]
 *
 * Rewrites src/generated/ while it runs and puts the sample build back at the end.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { run } from "../scripts/local-data.ts";
import { COUNT_REQUEST_HEADER, COUNT_RESPONSE_HEADER, parseTally } from "./count-bindings.ts";
import { generatePosts } from "./generate-posts.ts";
import { blogOptions, migrateD1, seedKv, start } from "./miniflare-worker.ts";

const { values: args } = parseArgs({
  options: { count: { type: "string", default: "10000" }, seed: { type: "string", default: "1" } },
});

interface Manifest {
  posts: { slug: string; tags: string[] }[];
}

async function measure(label: string, content: string, dir: string): Promise<void> {
  const out = join(dir, "dist");
  run(process.execPath, ["pipeline/build.ts", "--content", content, "--out", out, "--no-cache"], { quiet: true });
  run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(dir, "worker")], { quiet: true });
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Manifest;
  const byTag = new Map<string, number>();
  for (const post of manifest.posts) for (const tag of post.tags) byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
  const [tag, tagged] = [...byTag].sort((a, b) => b[1] - a[1])[0] ?? ["none", 0];
  const lastPage = Math.max(1, Math.ceil(manifest.posts.length / 10));
  const options = blogOptions({
    bundle: join(dir, "worker", "index.js"),
    persistDir: join(dir, "state"),
    vars: { PAGE_CACHE: "off", IP_HASH_SALT: "bench-only-salt" },
    cacheApi: false,
    countBindings: true,
  });
  const loader = await start(options);
  const seeded = performance.now();
  const entries = await seedKv(loader.mf, join(out, "kv"));
  await migrateD1(loader.mf, "migrations");
  await loader.mf.dispose();
  console.log(
    `\n${label}: ${manifest.posts.length} posts, ${entries} KV entries (loaded in ${Math.round(performance.now() - seeded)} ms)`,
  );
  const paths = [
    "/",
    `/page/${lastPage}`,
    `/tags/${encodeURIComponent(tag)}`,
    "/feed.xml",
    "/sitemap.xml",
    "/sitemaps/pages.xml",
    "/archive",
    `/sitemaps/posts-${Math.max(1, Math.ceil(manifest.posts.length / 100))}.xml`,
    `/posts/${encodeURIComponent(manifest.posts[0]?.slug ?? "")}`,
  ];
  for (const path of paths) {
    // A new isolate for each page (the KV state persists): the Worker keeps values it has read
    // in memory, so a second page in the same isolate would hide reads.
    const blog = await start(options);
    try {
      const response = await fetch(new URL(path, blog.url), { headers: { [COUNT_REQUEST_HEADER]: "1" } });
      await response.arrayBuffer();
      const tally = parseTally(response.headers.get(COUNT_RESPONSE_HEADER));
      const shown = path.startsWith("/tags/") ? `/tags/${tag} (${tagged} posts)` : decodeURIComponent(path);
      console.log(
        `  ${String(response.status)} ${shown.padEnd(40)} KV calls ${tally?.kv ?? "?"}, D1 calls ${tally?.d1 ?? "?"}`,
      );
    } finally {
      await blog.mf.dispose();
    }
  }
}

const tmp = mkdtempSync(join(tmpdir(), "our-kpop-kv-reads-"));
try {
  await measure("sample content", "content", join(tmp, "sample"));
  const generated = join(tmp, "generated");
  await generatePosts({ count: Number(args.count), outDir: generated, seed: Number(args.seed) });
  await measure(`${args.count} generated posts`, generated, join(tmp, "large"));
} finally {
  run(process.execPath, ["pipeline/build.ts"], { quiet: true });
  rmSync(tmp, { recursive: true, force: true });
}
