/**
 * `npm run test:validators`: every page type through the Nu HTML Checker (vnu.jar from the
 * `vnu-jar` package, on the system's Java: `--errors-only`, 0 errors required) and every feed
 * through Python's feedparser (Debian's `python3-feedparser`: bozo 0 and at least one entry).
 * Starts the blog on a free port with throw-away state (scripts/local-worker.ts), posts the
 * comments that make an article show a thread and a held comment, fetches the samples
 * (scripts/page-samples.ts) and writes them to test-results/validators/. Exits 1 on any error.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { startLocalWorker } from "./local-worker.ts";
import { type Sample, samplePages } from "./page-samples.ts";

const OUT = resolve("test-results", "validators");
/** Debian's Python, which has `python3-feedparser` (a python3 earlier on PATH may be another one). */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

const fileOf = (sample: Sample, ext: string) => join(OUT, `${sample.name.replace(/[^a-z0-9]+/gi, "-")}.${ext}`);

/** Runs vnu once over every page (one JVM start); returns the error lines, by page. */
function checkHtml(pages: Sample[]): string[] {
  const vnu = createRequire(import.meta.url)("vnu-jar") as string;
  const files = pages.map((page) => fileOf(page, "html"));
  for (const [i, page] of pages.entries()) writeFileSync(files[i] ?? "", page.text);
  // The check itself: a page with a known fault must be reported, or a silent vnu would pass everything.
  const canary = join(OUT, "canary-with-faults.html");
  writeFileSync(canary, '<!DOCTYPE html><html lang="en"><title>x</title><p><div></p><img src="a.png"></html>');
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", "--stdout", canary, ...files], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || (run.status !== 0 && !run.stdout)) {
    throw new Error(`vnu did not run (is Java installed?): ${run.error?.message ?? run.stderr}`);
  }
  const { messages } = JSON.parse(run.stdout) as {
    messages: { type: string; url?: string; message: string; lastLine?: number; extract?: string }[];
  };
  const errors = messages.filter((m) => m.type === "error" || m.type === "non-document-error");
  const [caught, real] = [
    errors.filter((m) => m.url?.endsWith(canary)),
    errors.filter((m) => !m.url?.endsWith(canary)),
  ];
  if (caught.length < 2) throw new Error(`vnu missed the faults of ${canary}: ${JSON.stringify(caught)}`);
  return real.map((m) => {
    const page = pages[files.findIndex((file) => m.url?.endsWith(encodeURI(file)) || m.url?.endsWith(file))];
    return `${page ? `${page.name} (${page.path})` : m.url}, line ${m.lastLine ?? "?"}: ${m.message}${m.extract ? `\n      ${m.extract.trim()}` : ""}`;
  });
}

const FEEDPARSER = `
import json, sys, feedparser
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    out.append({"bozo": d.bozo, "error": str(d.get("bozo_exception", "")), "version": d.version, "entries": len(d.entries),
                "titled": all(e.get("title") and e.get("link") for e in d.entries)})
print(json.dumps(out))
`;

/** Parses every feed with feedparser; returns what is wrong, by feed. */
function checkFeeds(feeds: Sample[]): string[] {
  const files = feeds.map((feed) => fileOf(feed, "xml"));
  for (const [i, feed] of feeds.entries()) writeFileSync(files[i] ?? "", feed.text);
  const canary = join(OUT, "canary-not-well-formed.xml");
  writeFileSync(canary, '<feed xmlns="http://www.w3.org/2005/Atom"><title>x & y</title><entry></feed>');
  const run = spawnSync(PYTHON, ["-c", FEEDPARSER, canary, ...files], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`feedparser did not run (is python3-feedparser installed?): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as {
    bozo: number;
    error: string;
    version: string;
    entries: number;
    titled: boolean;
  }[];
  if (!results.shift()?.bozo) throw new Error(`feedparser found ${canary} well-formed`);
  return results.flatMap((r, i) => {
    const feed = feeds[i];
    const where = `${feed?.name} (${feed?.path})`;
    console.log(`  ${where}: ${r.version || "unknown format"}, ${r.entries} entries, bozo ${r.bozo}`);
    if (r.bozo) return [`${where}: not well-formed (bozo): ${r.error}`];
    if (r.entries === 0) return [`${where}: no entries`];
    if (!r.titled) return [`${where}: an entry lacks a title or link`];
    return [];
  });
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const adminToken = randomBytes(24).toString("base64url");
// Two posts a page, so the home page has a page 2.
const started = performance.now();
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
/** Every sample of a blog run with `vars`, named with `label` when it is not the default site. */
async function sampleSite(label: string, vars: Record<string, string>) {
  const worker = await startLocalWorker({ vars: { ADMIN_TOKEN: adminToken, PAGE_SIZE: "2", ...vars } });
  try {
    const { pages, feeds } = await samplePages(worker.url, adminToken);
    const named = (sample: Sample) => (label ? { ...sample, name: `${label}: ${sample.name}` } : sample);
    return { pages: pages.map(named), feeds: feeds.map(named) };
  } finally {
    await worker.stop();
  }
}
// The site in English (with its Korean post), then the same blog with SITE_LANG = ko.
const english = await sampleSite("", {});
const korean = await sampleSite("SITE_LANG=ko", { SITE_LANG: "ko" });
const samples = { pages: [...english.pages, ...korean.pages], feeds: [...english.feeds, ...korean.feeds] };

console.log(`built, started and sampled the blog in ${seconds(started)}`);
const checking = performance.now();
console.log(`Nu HTML Checker (--errors-only) on ${samples.pages.length} pages:`);
for (const page of samples.pages) console.log(`  ${page.name} (${page.path}, ${page.status})`);
const htmlErrors = checkHtml(samples.pages);
console.log(htmlErrors.length === 0 ? "  0 errors" : htmlErrors.map((e) => `  ✗ ${e}`).join("\n"));
console.log(`  (${seconds(checking)})`);
console.log(`feedparser on ${samples.feeds.length} feeds:`);
const feedErrors = checkFeeds(samples.feeds);
for (const error of feedErrors) console.log(`  ✗ ${error}`);
console.log(`documents checked: ${OUT}`);
if (htmlErrors.length > 0 || feedErrors.length > 0) process.exit(1);
