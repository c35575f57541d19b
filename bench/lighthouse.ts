/**
 * `npm run bench:lighthouse`: Lighthouse's four scores for the seed article, with its default
 * settings (mobile, simulated slow 4G), in Debian's headless Chromium. Prints the scores and
 * any audit that did not pass; writes the full reports to test-results/lighthouse.report.{json,html}.
 *
 * Starts the blog on a free port with throw-away local state (scripts/local-worker.ts); set
 * BASE_URL=http://localhost:8787 to audit a blog that is already running (`npm start`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.ts";
import { type LocalWorker, startLocalWorker } from "../scripts/local-worker.ts";

const PATH = "/posts/kpop-in-north-korea";
const OUT = join("test-results", "lighthouse");

interface Report {
  lighthouseVersion: string;
  runtimeError?: { code: string; message: string };
  runWarnings: string[];
  categories: Record<string, { title: string; score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { title: string; score: number | null; scoreDisplayMode: string; displayValue?: string }>;
}

mkdirSync("test-results", { recursive: true });
const worker: LocalWorker | undefined = process.env.BASE_URL ? undefined : await startLocalWorker();
const base = (process.env.BASE_URL ?? worker?.url ?? "").replace(/\/+$/, "");
let result: ReturnType<typeof spawnSync>;
try {
  result = spawnSync(
    "lighthouse",
    [
      `${base}${PATH}`,
      `--chrome-flags=${CHROMIUM_ARGS.join(" ")}`,
      "--only-categories=performance,accessibility,best-practices,seo",
      "--output=json",
      "--output=html",
      `--output-path=${OUT}`,
      "--quiet",
    ],
    { stdio: "inherit", env: { ...process.env, CHROME_PATH: CHROMIUM_PATH } },
  );
} finally {
  await worker?.stop();
}
if (result.status !== 0) {
  console.error(`lighthouse failed with exit code ${result.status}`);
  process.exit(1);
}

const report = JSON.parse(readFileSync(`${OUT}.report.json`, "utf8")) as Report;
if (report.runtimeError) console.error(`lighthouse: ${report.runtimeError.code}: ${report.runtimeError.message}`);
for (const warning of report.runWarnings) console.warn(`lighthouse warning: ${warning}`);
console.log(`Lighthouse ${report.lighthouseVersion}, ${PATH} (mobile, simulated throttling)`);
for (const category of Object.values(report.categories)) {
  console.log(`  ${category.title.padEnd(16)} ${category.score === null ? "n/a" : Math.round(category.score * 100)}`);
  for (const ref of category.auditRefs) {
    const audit = report.audits[ref.id];
    if (!audit || audit.score === null || audit.score >= 0.9 || audit.scoreDisplayMode === "informative") continue;
    if (audit.scoreDisplayMode === "manual" || audit.scoreDisplayMode === "notApplicable") continue;
    console.log(`    - ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}: ${audit.score}`);
  }
}
console.log(`full report: ${OUT}.report.html`);
