import { closeSync, openSync, readSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { slugify } from "../src/lib/slug.ts";
import { ContentError } from "./content-error.ts";

/** A post's file in the content folder. */
export interface PostFileName {
  /** Path relative to the content folder, as listed (`posts/a.md`): the render cache's key. */
  name: string;
  /** Path shown in messages (relative to the working folder). */
  file: string;
  /** The slug the file name gives (`<slug>.md`, `<slug>/index.md`), used when front matter has none. */
  fileSlug: string;
}

/**
 * Every post file under `dir` (`*.md`, not starting with `_`), sorted by path, so messages and
 * the release do not depend on the order the file system lists them in.
 * @throws {AggregateError} of one `ContentError` when `dir` is not a folder.
 */
export async function listPosts(dir: string): Promise<PostFileName[]> {
  const listing = await readdir(dir, { recursive: true }).catch(() => {
    throw new AggregateError([new ContentError(dir, undefined, "is not a folder of posts")], `${dir}: not a folder`);
  });
  const shown = relative(process.cwd(), dir);
  return listing
    .filter((f) => f.endsWith(".md") && !basename(f).startsWith("_"))
    .sort()
    .map((name) => {
      const base = basename(name, ".md");
      return {
        name,
        file: join(shown, name),
        fileSlug: slugify(base === "index" ? basename(dirname(name)) : base),
      };
    });
}

/**
 * Reads files one after another into one buffer it reuses: thousands of posts are read without
 * making a buffer and a string for each (the text is decoded only for posts that are parsed).
 */
export class PostReader {
  #buffer = Buffer.allocUnsafe(1 << 16);

  /** The bytes of the file at `path`, valid until the next `read`. */
  read(path: string): Buffer {
    const fd = openSync(path, "r");
    try {
      let size = 0;
      for (;;) {
        if (size === this.#buffer.length) {
          const bigger = Buffer.allocUnsafe(size * 2);
          this.#buffer.copy(bigger);
          this.#buffer = bigger;
        }
        const read = readSync(fd, this.#buffer, size, this.#buffer.length - size, null);
        if (read === 0) return this.#buffer.subarray(0, size);
        size += read;
      }
    } finally {
      closeSync(fd);
    }
  }
}
