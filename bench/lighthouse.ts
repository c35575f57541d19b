/**
 * `npm run bench:lighthouse`: Lighthouse's four scores for the home page and the seed article,
 * with its default settings (mobile, simulated slow 4G), in Debian's headless Chromium. Prints
 * the scores and any audit that did not pass; writes the full reports to
 * test-results/lighthouse-<page>.report.{json,html}. Exits 1 when a score is below 100.
 *
 * Starts the blog on a free port with throw-away local state (scripts/local-worker.ts); set
 * BASE_URL=http://localhost:8787 to audit a blog that is already running (`npm start`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.ts";
import { type LocalWorker, startLocalWorker } from "../scripts/local-worker.ts";

const PAGES = { home: "/", article: "/posts/kpop-in-north-korea" };

interface Report {
  lighthouseVersion: string;
  runtimeError?: { code: string; message: string };
  runWarnings: string[];
  categories: Record<string, { title: string; score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { title: string; score: number | null; scoreDisplayMode: string; displayValue?: string }>;
}

/** Runs Lighthouse on one page; returns whether all four scores are 100. */
function audit(name: string, url: string): boolean {
  const out = join("test-results", `lighthouse-${name}`);
  const result = spawnSync(
    "lighthouse",
    [
      url,
      `--chrome-flags=${CHROMIUM_ARGS.join(" ")}`,
      "--only-categories=performance,accessibility,best-practices,seo",
      "--output=json",
      "--output=html",
      `--output-path=${out}`,
      "--quiet",
    ],
    { stdio: "inherit", env: { ...process.env, CHROME_PATH: CHROMIUM_PATH } },
  );
  if (result.status !== 0) {
    console.error(`lighthouse failed on ${url} with exit code ${result.status}`);
    return false;
  }
  const report = JSON.parse(readFileSync(`${out}.report.json`, "utf8")) as Report;
  if (report.runtimeError) console.error(`lighthouse: ${report.runtimeError.code}: ${report.runtimeError.message}`);
  for (const warning of report.runWarnings) console.warn(`lighthouse warning: ${warning}`);
  console.log(`Lighthouse ${report.lighthouseVersion}, ${new URL(url).pathname} (mobile, simulated throttling)`);
  let perfect = true;
  for (const category of Object.values(report.categories)) {
    const score = category.score === null ? null : Math.round(category.score * 100);
    if (score !== 100) perfect = false;
    console.log(`  ${category.title.padEnd(16)} ${score ?? "n/a"}`);
    for (const ref of category.auditRefs) {
      const audit = report.audits[ref.id];
      if (!audit || audit.score === null || audit.score >= 0.9 || audit.scoreDisplayMode === "informative") continue;
      if (audit.scoreDisplayMode === "manual" || audit.scoreDisplayMode === "notApplicable") continue;
      console.log(`    - ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}: ${audit.score}`);
    }
  }
  console.log(`  full report: ${out}.report.html`);
  return perfect;
}

mkdirSync("test-results", { recursive: true });
const worker: LocalWorker | undefined = process.env.BASE_URL ? undefined : await startLocalWorker();
const base = (process.env.BASE_URL ?? worker?.url ?? "").replace(/\/+$/, "");
let perfect = true;
try {
  for (const [name, path] of Object.entries(PAGES)) perfect = audit(name, `${base}${path}`) && perfect;
} finally {
  await worker?.stop();
}
if (!perfect) process.exit(1);
