/**
 * The build's image cache (`.cache/build/images/`, git-ignored): encoded variants by content hash
 * and width, so a build encodes only new photos. A variant a build uses is touched; one that no
 * build has used for `IMAGE_CACHE_DAYS` (a deleted or replaced photo, a changed variant list) is
 * deleted after the build, so the folder follows the content instead of growing for ever. The
 * age, not only this build's use, decides: the preview build (drafts) and the production build
 * share the folder, and neither should delete what the other still uses.
 */
import { readdir, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";

export const IMAGE_CACHE_DAYS = 30;

/** Marks a cached variant as used now (its modification time). */
export async function touchCached(file: string, now = new Date()): Promise<void> {
  await utimes(file, now, now);
}

/**
 * Deletes the variants in `dir` not in `used` (file names) and unused for `IMAGE_CACHE_DAYS`;
 * returns how many. Files that are not variants (a temporary file of an interrupted write) age out
 * the same way.
 */
export async function pruneImageCache(dir: string, used: ReadonlySet<string>, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const cutoff = now - IMAGE_CACHE_DAYS * 86_400_000;
  let deleted = 0;
  for (const name of names) {
    if (used.has(name)) continue;
    const file = join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || info.mtimeMs >= cutoff) continue;
    await rm(file, { force: true });
    deleted++;
  }
  return deleted;
}
