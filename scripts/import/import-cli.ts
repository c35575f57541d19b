/**
 * `npm run import` as a writer runs it, in a child process, for the checks and the bench that
 * move a blog into a throw-away folder (scripts/import-check.ts, bench/import.ts, the import e2e test).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");

/**
 * Imports `file` into `dir`: posts into `dir/content`, comments into the local D1 kept in
 * `dir/state`, with `flags` after those (`--media <folder>`, ...).
 * @returns the import report (`dir/report.txt`).
 * @throws {Error} with the import's output when it does not exit 0.
 */
export function importInto(file: string, dir: string, ...flags: string[]): string {
  const report = join(dir, "report.txt");
  const args = [
    join(ROOT, "scripts", "import.ts"),
    resolve(file),
    "--content",
    join(dir, "content"),
    "--persist-to",
    join(dir, "state"),
    "--report",
    report,
    ...flags,
  ];
  // wrangler from node_modules/.bin, and the project's root as the working folder, as npm gives them.
  const PATH = `${join(ROOT, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`;
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH } });
  if (result.status !== 0) throw new Error(`import of ${file} failed:\n${result.stdout}${result.stderr}`);
  return readFileSync(report, "utf8");
}
