/**
 * The build's first step: read and hash every post file, and take from the render cache what it
 * holds for that text; the rest become jobs for the render step (build-render.ts).
 */
import { join } from "node:path";
import type { PostJob } from "./build-post.ts";
import type { FrontMatter } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import { type PostFileName, PostReader } from "./post-files.ts";
import type { CachedPost, RenderCache } from "./render-cache.ts";

/** A post file in the build's order, with what the cache had for it (absent: it is rendered). */
export interface ReadPost {
  name: string;
  file: string;
  entry?: CachedPost;
}

/**
 * Reads `files`: those whose text the cache has (and that this build keeps, or leaves out as a
 * draft) are reused and kept in the cache; the others are returned as jobs. `onReused` is called
 * for each post reused.
 */
export function readPosts(
  contentDir: string,
  files: readonly PostFileName[],
  cache: RenderCache,
  drafts: boolean,
  onReused: () => void,
): { posts: ReadPost[]; jobs: PostJob[] } {
  const building = (meta: FrontMatter) => drafts || !meta.draft;
  const posts: ReadPost[] = [];
  const jobs: PostJob[] = [];
  const reader = new PostReader();
  for (const { name, file, fileSlug } of files) {
    const bytes = reader.read(join(contentDir, name));
    const hash = contentHash(bytes);
    const entry = cache.get(name, hash);
    if (entry && (entry.article || !building(entry.meta))) {
      posts.push({ name, file, entry });
      cache.set(name, entry);
      if (entry.article && building(entry.meta)) cache.stats.reused++;
      onReused();
    } else {
      posts.push({ name, file });
      jobs.push({ name, file, fileSlug, source: bytes.toString("utf8"), hash });
    }
  }
  return { posts, jobs };
}
