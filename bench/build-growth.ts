/**
 * `npm run bench:build`: build time at scale. For each N it generates N synthetic posts
 * (bench/generate-posts.ts) in a temporary folder, then runs the build CLI as a writer would:
 * cold (empty render cache), again with nothing changed, and after editing one post; it prints
 * wall time in total and per post, what was rendered and reused, and the KV output (entries,
 * bulk files, largest value, the release index size). At the largest N it also bundles the
 * Worker (`wrangler deploy --dry-run --outdir`) after that build and after the sample content's
 * build, to show the bundle does not grow with the blog.
 *
 *   npm run bench:build -- [--counts 1000,10000] [--seed 1] [--skip-bundle] [--keep]
 *
 * Nothing is written to content/ or dist/; the bundle check rewrites src/generated/ and puts the
 * sample build back at the end.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generatePost, generatePosts } from "./generate-posts.ts";
import { bundleSizes } from "./sizes.ts";

/** `wrangler kv bulk put`: at most 10,000 pairs a file, 25 MiB a value. */
const MAX_PAIRS = 10_000;
const MAX_VALUE = 25 * 1024 * 1024;
/** Above this the release index (read on every cache miss) is worth splitting. */
const INDEX_WARN = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    counts: { type: "string", default: "1000,10000" },
    seed: { type: "string", default: "1" },
    "skip-bundle": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const counts = (args.counts ?? "").split(",").map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--counts: comma-separated post counts");
const seed = Number(args.seed);

interface BuildRun {
  ms: number;
  /** The build's own time for the content (no Node start-up, no assets), as it prints it. */
  contentMs: number;
  rendered: number;
  reused: number;
}

function build(content: string, out: string, cache: string, releaseModule = join(out, "generated", "release.ts")) {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ["pipeline/build.ts", "--content", content, "--out", out, "--release-module", releaseModule, "--cache", cache],
    { encoding: "utf8" },
  );
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  const match = /(\d+) rendered, (\d+) reused/.exec(result.stdout);
  const contentTime = /content (\d+) ms/.exec(result.stdout);
  return {
    ms,
    contentMs: Number(contentTime?.[1]),
    rendered: Number(match?.[1]),
    reused: Number(match?.[2]),
  } satisfies BuildRun;
}

function kvOutput(out: string) {
  const files = readdirSync(join(out, "kv")).filter((f) => f.endsWith(".json"));
  let entries = 0;
  let maxPairs = 0;
  let largest = 0;
  let index = 0;
  for (const file of files) {
    const pairs = JSON.parse(readFileSync(join(out, "kv", file), "utf8")) as { key: string; value: string }[];
    entries += pairs.length;
    maxPairs = Math.max(maxPairs, pairs.length);
    for (const { key, value } of pairs) {
      const bytes = Buffer.byteLength(value);
      largest = Math.max(largest, bytes);
      if (key.startsWith("release:")) index = bytes;
    }
  }
  return { files: files.length, entries, maxPairs, largest, index };
}

const perPost = (ms: number, n: number) => `${(ms / n).toFixed(2)} ms/post`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

function wranglerBundle(outdir: string): { raw: number; gzip: number } {
  const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
  return bundleSizes(outdir);
}

const tmp = mkdtempSync(join(tmpdir(), "our-kpop-build-bench-"));
console.log(`node ${process.version}, load average at start: ${loads()}; work folder ${tmp}`);
try {
  for (const n of counts) {
    const dir = join(tmp, String(n));
    const content = join(dir, "content");
    const out = join(dir, "dist");
    const cache = join(dir, "render-cache.json");
    const bytes = await generatePosts({ count: n, outDir: content, seed });
    console.log(`\n${n} posts (${(bytes / 1024 / 1024).toFixed(1)} MiB of Markdown, seed ${seed})`);
    const cold = build(content, out, cache);
    const same = build(content, out, cache);
    // Edit one post: a new paragraph at the end of the first one.
    const first = generatePost(1, seed);
    writeFileSync(join(content, "posts", first.file), `${first.source}\nAn edit: one more paragraph.\n`);
    const edited = build(content, out, cache);
    const kv = kvOutput(out);
    for (const [name, run] of [
      ["cold (empty cache)", cold],
      ["no change", same],
      ["one post edited", edited],
    ] as const) {
      console.log(
        `  ${name.padEnd(20)} ${String(Math.round(run.ms)).padStart(6)} ms  ${perPost(run.ms, n).padStart(15)}  ` +
          `(content ${run.contentMs} ms, ${perPost(run.contentMs, n)})  ${run.rendered} rendered, ${run.reused} reused`,
      );
    }
    console.log(
      `  KV: ${kv.entries} entries in ${kv.files} bulk file(s) (largest file ${kv.maxPairs} pairs, limit ${MAX_PAIRS}), ` +
        `largest value ${kib(kv.largest)} (limit 25 MiB), release index ${kib(kv.index)}` +
        `${kv.index > INDEX_WARN ? " — OVER 1 MB: split it" : ""}`,
    );
    if (kv.maxPairs > MAX_PAIRS || kv.largest > MAX_VALUE) throw new Error("KV output over wrangler's limits");
    console.log(`  load average now: ${loads()}`);
  }

  if (!args["skip-bundle"]) {
    const n = Math.max(...counts);
    console.log(`\nWorker bundle (wrangler deploy --dry-run), after a ${n}-post build and after the sample build:`);
    const big = join(tmp, String(n));
    build(join(big, "content"), join(big, "dist"), join(big, "render-cache.json"), "src/generated/release.ts");
    const large = wranglerBundle(join(tmp, "worker-large"));
    build("content", join(tmp, "sample-dist"), join(tmp, "sample-cache.json"), "src/generated/release.ts");
    const sample = wranglerBundle(join(tmp, "worker-sample"));
    console.log(`  ${n} posts: ${large.raw} B, ${large.gzip} B gzip`);
    console.log(`  sample:  ${sample.raw} B, ${sample.gzip} B gzip`);
    console.log(
      `  difference: ${large.raw - sample.raw} B raw, ${large.gzip - sample.gzip} B gzip (only the 32-character release id differs)`,
    );
  }
} finally {
  if (args.keep) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
