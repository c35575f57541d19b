/**
 * `npm run bench:build`: build time at scale, ours and Hugo's side by side. For each N it
 * generates N synthetic posts (bench/generate-posts.ts) in a temporary folder, then runs the build
 * CLI as a writer would: cold (no render cache, empty output folder), again with nothing changed,
 * and after editing one post; it prints wall time in total and per post, the CPU time it took
 * (all threads), what was rendered and reused, and the KV output (entries, bulk files, largest
 * value, the release index size). When `hugo` is on PATH it then builds the same posts with Hugo
 * (bench/hugo.ts) cold and again with nothing changed, and prints Hugo's time per post next to
 * ours. At the largest N it also bundles the Worker (`wrangler deploy --dry-run --outdir`) after
 * that build and after the sample content's build, to show the bundle does not grow with the blog.
 *
 *   npm run bench:build -- [--counts 1000,10000] [--runs 1] [--seed 1] [--skip-hugo] [--skip-bundle] [--keep]
 *
 * `--runs R` repeats every measurement R times and reports the median. Nothing is written to
 * content/ or dist/; the bundle check rewrites src/generated/ and puts the sample build back at
 * the end. The machine's load average is printed at the start and after each N: on a shared
 * machine the same build varies by tens of percent from one run to the next.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generatePost, generatePosts } from "./generate-posts.ts";
import { type HugoRun, hugoVersion, runHugo, writeHugoSite } from "./hugo.ts";
import { bundleSizes } from "./sizes.ts";
import { median } from "./stats.ts";

/** `wrangler kv bulk put`: at most 10,000 pairs a file, 25 MiB a value. */
const MAX_PAIRS = 10_000;
const MAX_VALUE = 25 * 1024 * 1024;
/** Above this the release index (read on every cache miss) is worth splitting. */
const INDEX_WARN = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    counts: { type: "string", default: "1000,10000" },
    runs: { type: "string", default: "1" },
    seed: { type: "string", default: "1" },
    "skip-hugo": { type: "boolean", default: false },
    "skip-bundle": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const counts = (args.counts ?? "").split(",").map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--counts: comma-separated post counts");
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs: a whole number, 1 or more");
const seed = Number(args.seed);

interface BuildRun {
  ms: number;
  /** CPU seconds of the build process and its threads (Linux only; NaN elsewhere). */
  cpu: number;
  /** The build's own time for the content (no Node start-up, no assets), as it prints it. */
  contentMs: number;
  rendered: number;
  reused: number;
  threads: number;
}

/** CPU seconds used so far by this process's finished children (user + system), from /proc on Linux. */
const TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
function childrenCpu(): number {
  if (!existsSync("/proc/self/stat")) return Number.NaN;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICKS;
}

/** Runs `command` and measures its wall and CPU time. */
function timed<T>(run: () => T): { result: T; ms: number; cpu: number } {
  const cpu = childrenCpu();
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started, cpu: childrenCpu() - cpu };
}

function build(content: string, out: string, cache: string, releaseModule = join(out, "generated", "release.ts")) {
  const { result, ms, cpu } = timed(() =>
    spawnSync(
      process.execPath,
      ["pipeline/build.ts", "--content", content, "--out", out, "--release-module", releaseModule, "--cache", cache],
      { encoding: "utf8" },
    ),
  );
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  const match = /(\d+) rendered(?: on (\d+) threads)?, (\d+) reused/.exec(result.stdout);
  const contentTime = /content (\d+) ms/.exec(result.stdout);
  return {
    ms,
    cpu,
    contentMs: Number(contentTime?.[1]),
    rendered: Number(match?.[1]),
    threads: Number(match?.[2] ?? (Number(match?.[1]) > 0 ? 1 : 0)),
    reused: Number(match?.[3]),
  } satisfies BuildRun;
}

/** The render cache folder of a `--cache` path and its highlight cache (see pipeline/render-cache.ts): removed for a cold build. */
const cacheFiles = (cache: string) => [cache, `${cache}.highlight.json`];

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

/** The median of each field over the runs. */
function medians<T extends object>(list: readonly T[]): T {
  const first = list[0];
  if (!first) throw new Error("no runs");
  const field = (run: T, key: string) => (run as Record<string, number>)[key] as number;
  return Object.fromEntries(Object.keys(first).map((k) => [k, median(list.map((run) => field(run, k)))])) as T;
}

function wranglerBundle(outdir: string): { raw: number; gzip: number } {
  const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
  return bundleSizes(outdir);
}

const hugo = args["skip-hugo"] ? undefined : hugoVersion();
const tmp = mkdtempSync(join(tmpdir(), "our-kpop-build-bench-"));
console.log(
  `node ${process.version}, ${hugo ?? (args["skip-hugo"] ? "Hugo skipped" : "no hugo on PATH: Hugo skipped (Debian: apt-get install hugo)")}; ` +
    `load average at start: ${loads()}; ${runs} run(s) each, medians; work folder ${tmp}`,
);
try {
  for (const n of counts) {
    const dir = join(tmp, String(n));
    const content = join(dir, "content");
    const out = join(dir, "dist");
    const cache = join(dir, "cache", "render-cache");
    const bytes = await generatePosts({ count: n, outDir: content, seed });
    console.log(`\n${n} posts (${(bytes / 1024 / 1024).toFixed(1)} MiB of Markdown, seed ${seed})`);
    const ours: Record<"cold" | "same" | "edited", BuildRun[]> = { cold: [], same: [], edited: [] };
    for (let round = 0; round < runs; round++) {
      for (const file of cacheFiles(cache)) rmSync(file, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
      ours.cold.push(build(content, out, cache));
      ours.same.push(build(content, out, cache));
      // Edit one post (another one each round): a new paragraph at its end.
      const post = generatePost(round + 1, seed);
      writeFileSync(join(content, "posts", post.file), `${post.source}\nAn edit: one more paragraph.\n`);
      ours.edited.push(build(content, out, cache));
    }
    const kv = kvOutput(out);
    const row = (name: string, run: { ms: number; cpu: number }, detail: string) =>
      console.log(
        `  ${name.padEnd(22)} ${String(Math.round(run.ms)).padStart(7)} ms ${perPost(run.ms, n).padStart(14)}  ` +
          `CPU ${Number.isNaN(run.cpu) ? "?" : `${run.cpu.toFixed(1)} s`.padStart(7)}  ${detail}`,
      );
    const mine = { cold: medians(ours.cold), same: medians(ours.same), edited: medians(ours.edited) };
    for (const [name, run] of [
      ["ours: cold", mine.cold],
      ["ours: no change", mine.same],
      ["ours: one post edited", mine.edited],
    ] as const) {
      row(
        name,
        run,
        `(content ${Math.round(run.contentMs)} ms) ${run.rendered} rendered${run.threads > 1 ? ` on ${run.threads} threads` : ""}, ${run.reused} reused`,
      );
    }
    console.log(
      `  KV: ${kv.entries} entries in ${kv.files} bulk file(s) (largest file ${kv.maxPairs} pairs, limit ${MAX_PAIRS}), ` +
        `largest value ${kib(kv.largest)} (limit 25 MiB), release index ${kib(kv.index)}` +
        `${kv.index > INDEX_WARN ? " — OVER 1 MB: split it" : ""}`,
    );
    if (kv.maxPairs > MAX_PAIRS || kv.largest > MAX_VALUE) throw new Error("KV output over wrangler's limits");

    if (hugo) {
      const site = join(dir, "hugo");
      writeHugoSite(site, content);
      const theirs: Record<"cold" | "same", (HugoRun & { cpu: number })[]> = { cold: [], same: [] };
      for (let round = 0; round < runs; round++) {
        rmSync(join(site, "public"), { recursive: true, force: true });
        rmSync(join(site, "cache"), { recursive: true, force: true });
        for (const kind of ["cold", "same"] as const) {
          const { result, cpu } = timed(() => runHugo(site, join(site, "public"), join(site, "cache")));
          theirs[kind].push({ ...result, cpu });
        }
      }
      const hugoCold = medians(theirs.cold);
      const hugoSame = medians(theirs.same);
      const pages = (run: HugoRun) =>
        `(Hugo's total ${Math.round(run.hugoMs)} ms for ${run.pages} pages + ${run.paginatorPages} paginator pages: ` +
        `${(run.hugoMs / (run.pages + run.paginatorPages)).toFixed(2)} ms/page)`;
      row("hugo: cold", hugoCold, pages(hugoCold));
      row("hugo: no change", hugoSame, `${pages(hugoSame)}; Hugo has no incremental build outside its server`);
      const times = (theirs: number, ours: number) => `${(theirs / ours).toFixed(1)}×`;
      console.log(
        `  Hugo's wall time ÷ ours: cold ${times(hugoCold.ms, mine.cold.ms)}, no change ${times(hugoSame.ms, mine.same.ms)}, ` +
          `one post edited ${times(hugoSame.ms, mine.edited.ms)} (Hugo rebuilding everything)`,
      );
    }
    console.log(`  load average now: ${loads()}`);
  }

  if (!args["skip-bundle"]) {
    const n = Math.max(...counts);
    console.log(`\nWorker bundle (wrangler deploy --dry-run), after a ${n}-post build and after the sample build:`);
    const big = join(tmp, String(n));
    build(join(big, "content"), join(big, "dist"), join(big, "cache", "render-cache"), "src/generated/release.ts");
    const large = wranglerBundle(join(tmp, "worker-large"));
    build("content", join(tmp, "sample-dist"), join(tmp, "sample-cache"), "src/generated/release.ts");
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
