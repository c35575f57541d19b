import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { slugify } from "../src/lib/slug.ts";
import { ContentError } from "./content-error.ts";
import { parsePost } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import type { SourcePost } from "./release.ts";

/** Files read at once (well under the usual open-file limit). */
const READ_BATCH = 64;

/**
 * Reads every `*.md` under `dir`. A post is `<slug>.md` or `<slug>/index.md`; front matter may
 * override the slug. Collects every mistake before failing, so the writer fixes them in one go.
 * @throws {AggregateError} of `ContentError`s.
 */
export async function readContent(dir: string): Promise<SourcePost[]> {
  const listing = await readdir(dir, { recursive: true }).catch(() => {
    throw new AggregateError([new ContentError(dir, undefined, "is not a folder of posts")], `${dir}: not a folder`);
  });
  const files = listing.filter((f) => f.endsWith(".md") && !basename(f).startsWith("_")).sort();
  const posts: SourcePost[] = [];
  const errors: ContentError[] = [];
  // Read a batch of files at a time: with thousands of posts, one at a time waits on each read.
  const sources: string[] = [];
  for (let i = 0; i < files.length; i += READ_BATCH) {
    const batch = files.slice(i, i + READ_BATCH);
    sources.push(...(await Promise.all(batch.map((file) => readFile(join(dir, file), "utf8")))));
  }
  for (const [i, file] of files.entries()) {
    const shown = relative(process.cwd(), join(dir, file)) || file;
    const name = basename(file, ".md");
    const fileSlug = slugify(name === "index" ? basename(dirname(file)) : name);
    try {
      const source = sources[i] ?? "";
      posts.push({ file: shown, ...parsePost(shown, source, fileSlug), sourceHash: contentHash(source) });
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length) throw new AggregateError(errors, errors.map((e) => e.message).join("\n"));
  return posts;
}
