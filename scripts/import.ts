/**
 * `npm run import -- <export file> [--media <folder>] [--fetch-media] [--dry-run] [--overwrite]
 * [--remote [--env <name>]] [--content content] [--report import-report.txt]`
 *
 * Moves an existing blog in: a WordPress export (WXR), a Blogger backup or Takeout feed.atom, or
 * a Disqus export (comments only). Posts go into content/posts/<slug>/index.md with their images
 * and old addresses (aliases, answered with 301); comments go into the local D1 that `npm start`
 * serves, or with --remote the deployed one. Running it again changes nothing. See docs/importing.md.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ContentError } from "../pipeline/content-error.ts";
import { loadLocalComments, loadRemoteComments } from "./import/comments-load.ts";
import { readExport } from "./import/read-export.ts";
import { ImportReport } from "./import/report.ts";
import { importExport } from "./import/run.ts";
import { ExportError } from "./import/xml.ts";

const USAGE =
  "usage: npm run import -- <export file> [--media <folder>] [--fetch-media] [--dry-run] [--overwrite] [--remote [--env <name>]] [--content <dir>] [--report <file>]";

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    console.error(file ? `one export file at a time (got ${positionals.length})\n${USAGE}` : USAGE);
    return 2;
  }
  const started = performance.now();
  const lap = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
  const source = await readExport(file);
  const phases = [`reading ${lap(started)}`];
  const postsStarted = performance.now();
  const report = new ImportReport();
  const progress = (line: string) => console.log(`  ... ${line}`);
  const result = await importExport(
    source,
    {
      contentDir: values.content,
      media: { folder: values.media, fetch: values["fetch-media"] },
      overwrite: values.overwrite,
      dryRun: values["dry-run"],
      progress,
    },
    report,
  );
  const rows = result.comments;
  phases.push(`posts ${lap(postsStarted)}`);
  const commentsStarted = performance.now();
  const where = values.remote
    ? `the deployed D1${values.env ? ` (--env ${values.env})` : ""}`
    : "the local D1 (npm start)";
  if (values["dry-run"])
    report.notes.push(`Dry run: nothing was written; ${rows.length} comments would go into ${where}.`);
  else if (rows.length > 0) {
    if (rows.length >= 1000) progress(`loading ${rows.length} comments into ${where}`);
    const added = values.remote
      ? loadRemoteComments(rows, { env: values.env })
      : await loadLocalComments(rows, values["persist-to"]);
    const threads = rows.filter((r) => r.parentKey === null).length;
    report.imported("comments", added.comments);
    report.unchanged("comments", rows.length - added.comments);
    report.imported("threads", added.threads);
    report.unchanged("threads", threads - added.threads);
    report.notes.push(`Comments went into ${where}.`);
    phases.push(`comments ${lap(commentsStarted)}`);
  }
  report.notes.push(
    "Not stored: commenters' e-mail addresses, IP addresses and web site URLs (the blog keeps none), post authors (the blog has one author).",
    `Took ${lap(started)} (${phases.join(", ")}).`,
  );
  const text = report.format(`Import of ${file} (${source.format}${source.site ? `, ${source.site}` : ""})`);
  console.log(text);
  if (!values["dry-run"]) {
    writeFileSync(values.report, text);
    console.log(`The report is in ${values.report}. Next: npm start`);
  }
  return 0;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      media: { type: "string" },
      "fetch-media": { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      overwrite: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      content: { type: "string", default: "content" },
      report: { type: "string", default: "import-report.txt" },
      // Where local D1 lives (`wrangler dev --persist-to`); tests use a throw-away one.
      "persist-to": { type: "string" },
    },
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ExportError) console.error(`${process.argv[2]}: ${error.message}`);
    else if (error instanceof AggregateError && error.errors.every((e) => e instanceof ContentError))
      console.error(`The content folder has mistakes to fix before importing:\n${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  },
);
