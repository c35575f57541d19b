/**
 * `node scripts/import-check.ts <export>...`: imports each export into a throw-away content folder
 * and local D1 (twice: the second run must change nothing), builds it, starts the Worker on it and
 * checks every imported post, its comments (count and nesting) and a sample of its old addresses
 * (scripts/import/verify.ts). CI runs it on the real exports in ../shared/exports when they are there.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importInto } from "./import/import-cli.ts";
import { readExport } from "./import/read-export.ts";
import { buildSite, startSite } from "./import/site-check.ts";
import { verifyImport } from "./import/verify.ts";

/** The "imported" column of a report line ("posts   56   56   0   0"). */
const importedOf = (report: string, kind: string): number =>
  Number(new RegExp(`^${kind}\\s+\\d+\\s+(\\d+)`, "m").exec(report)?.[1] ?? "0");

async function check(file: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "our-kpop-import-check-"));
  try {
    const started = performance.now();
    const first = importInto(file, dir);
    const again = importInto(file, dir);
    const problems: string[] = [];
    for (const kind of ["posts", "pages", "comments"])
      if (importedOf(again, kind) !== 0)
        problems.push(`a second import wrote ${importedOf(again, kind)} ${kind} again`);
    const site = await startSite(buildSite(join(dir, "content"), dir), join(dir, "state"));
    try {
      const result = await verifyImport(site, await readExport(file), join(dir, "content"));
      console.log(
        `${file}: ${importedOf(first, "posts")} posts and ${importedOf(first, "pages")} pages imported; ` +
          `${result.posts} checked with ${result.comments} comments (nested up to depth ${result.maxDepth}), ` +
          `${result.aliases} old addresses (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
      return [...problems, ...result.problems].map((p) => `${file}: ${p}`);
    } finally {
      await site.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/import-check.ts <export file>...");
  process.exit(2);
}
const problems: string[] = [];
for (const file of files) problems.push(...(await check(file)));
if (problems.length) {
  console.error(`${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("import check: every post, comment thread and sampled old address answers as it should");
