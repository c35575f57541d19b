import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ContentError } from "./content-error.ts";
import { parsePost } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import { listPosts } from "./post-files.ts";
import type { SourcePost } from "./release.ts";

/** Files read at once (well under the usual open-file limit). */
const READ_BATCH = 64;

/**
 * Reads and parses every post under `dir` (see `listPosts`). A post is `<slug>.md` or
 * `<slug>/index.md`; front matter may override the slug. Collects every mistake before failing,
 * so the writer fixes them in one go. (The build itself reads through write-build.ts, which
 * parses only the posts its cache does not know.)
 * @throws {AggregateError} of `ContentError`s.
 */
export async function readContent(dir: string): Promise<SourcePost[]> {
  const files = await listPosts(dir);
  const posts: SourcePost[] = [];
  const errors: ContentError[] = [];
  // Read a batch of files at a time: with thousands of posts, one at a time waits on each read.
  const sources: string[] = [];
  for (let i = 0; i < files.length; i += READ_BATCH) {
    const batch = files.slice(i, i + READ_BATCH);
    sources.push(...(await Promise.all(batch.map(({ name }) => readFile(join(dir, name), "utf8")))));
  }
  for (const [i, { file, fileSlug }] of files.entries()) {
    try {
      const source = sources[i] ?? "";
      posts.push({ file, ...parsePost(file, source, fileSlug), sourceHash: contentHash(source) });
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length) throw new AggregateError(errors, errors.map((e) => e.message).join("\n"));
  return posts;
}
