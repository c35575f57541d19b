/**
 * The build's render cache: everything built from each post's file, keyed by the file's path and
 * the hash of its text, for one renderer version (renderer-version.ts). A build reads and hashes
 * every post, and parses and renders only those whose text changed; the others cost a read and a
 * hash, and the read of their entry.
 *
 * A folder (default `.cache/build/render-cache/`, git-ignored) of one file per post version,
 * named by the hash of the renderer version, the post's path and its text's hash
 * (render-cache-entry.ts holds the format), and a `version` file naming the renderer version the
 * last build wrote (only for the note of why nothing was reused: entries of another version are
 * never found, since the version is in their names). Entries are written whole (a temporary file
 * renamed); a damaged one only loses its post. After a build the folder holds the entries of the
 * posts that exist now, nothing else.
 *
 * Measured against the index + bulk file this replaced (one index of every post, their bytes in
 * one file appended to): the same CPU time at 1,000 posts, and for one post edited at 10,000;
 * about 0.2 s more (1.6 s instead of 1.4 s) with nothing changed at 10,000, the cost of 10,000
 * small reads. Not worth a hand-built format.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ArticleRecord } from "../src/articles/record.ts";
import { contentHash } from "./hash.ts";
import { writeParts } from "./output-files.ts";
import { pairValue } from "./release-entries.ts";
import { type CachedPost, decodeEntry, encodeEntry } from "./render-cache-entry.ts";
import { rendererVersion } from "./renderer-version.ts";

export type { CachedPost } from "./render-cache-entry.ts";

/** A freshly built article for the cache. */
export type FreshArticle = NonNullable<CachedPost["article"]>;

/** What a build did with the cache. */
export interface RenderStats {
  rendered: number;
  reused: number;
  /** Why the cache was not used, when it was not (missing, other version, off). */
  note?: string;
}

const VERSION_FILE = "version";

/** An open render cache: look up and record what was built from each post file, then `save()`. */
export class RenderCache {
  readonly stats: RenderStats = { rendered: 0, reused: 0 };
  private readonly dir: string | undefined;
  private readonly version: string;
  /** The entry files the folder held when it was opened. */
  private readonly listed: ReadonlySet<string>;
  /** The entries found this build, by file name. */
  private readonly found = new Map<string, CachedPost>();
  private readonly next = new Map<string, CachedPost>();
  /** Posts whose entry file must be written (built this build, or whose entry changed). */
  private readonly changed = new Set<string>();

  private constructor(dir: string | undefined, version: string, listed: ReadonlySet<string>, note?: string) {
    this.dir = dir;
    this.version = version;
    this.listed = listed;
    if (note) this.stats.note = note;
  }

  /**
   * Opens the cache folder `dir` for renderer `version`; `dir` undefined means no cache (every
   * post is built and nothing is written).
   */
  static async open(dir: string | undefined, version = rendererVersion()): Promise<RenderCache> {
    if (dir === undefined) return new RenderCache(undefined, version, new Set(), "off");
    const listed = new Set(readdirSafe(dir).filter((f) => f !== VERSION_FILE));
    const last = await readFile(join(dir, VERSION_FILE), "utf8").catch(() => undefined);
    const note = last === undefined ? "empty" : last === version ? undefined : "renderer changed";
    return new RenderCache(dir, version, listed, note);
  }

  /** What the last build kept for the file `name` (relative to the content folder), if its text still hashes to `hash`. */
  get(name: string, hash: string): CachedPost | undefined {
    const file = this.fileOf(name, hash);
    if (this.dir === undefined || !this.listed.has(file)) return undefined;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(this.dir, file));
    } catch {
      return undefined;
    }
    const entry = decodeEntry(name, bytes);
    if (entry?.hash !== hash) return undefined;
    this.found.set(name, entry);
    return entry;
  }

  /**
   * Keeps `entry` for the file `name` in the cache this build writes; `fresh` is the article
   * built this time, when it may be cached.
   */
  set(name: string, entry: Omit<CachedPost, "article"> | CachedPost, fresh?: FreshArticle): void {
    const { article: _, ...rest } = entry as CachedPost;
    const kept: CachedPost = fresh ? { ...rest, article: fresh } : entry;
    this.next.set(name, kept);
    const before = this.found.get(name);
    if (before === kept || (!fresh && JSON.stringify(before) === JSON.stringify(kept))) this.changed.delete(name);
    else this.changed.add(name);
  }

  /** Every entry this build keeps (what `set` was given). */
  entries(): IterableIterator<CachedPost> {
    return this.next.values();
  }

  /**
   * Whether the code blocks of the posts kept this build (`CachedPost.blocks`) differ from those
   * of the posts the last build kept: if not, the highlight cache already holds the right ones.
   */
  blocksChanged(): boolean {
    if (this.stats.note !== undefined) return true;
    const keys = (entries: Iterable<CachedPost | undefined>) =>
      new Set([...entries].flatMap((entry) => entry?.blocks ?? []));
    const after = keys(this.next.values());
    const before = keys([...this.found.values(), ...this.stale().map((file) => this.readStale(file))]);
    return before.size !== after.size || [...after].some((key) => !before.has(key));
  }

  /** A cached post's KV record, its HTML decoded from the pair's bytes only if asked for. */
  record(entry: CachedPost & { article: FreshArticle }): ArticleRecord {
    const { summary, pair } = entry.article;
    const record = { ...summary } as ArticleRecord;
    let html: string | undefined;
    Object.defineProperty(record, "html", {
      enumerable: true,
      get: () => {
        html ??= (JSON.parse(pairValue(pair)) as ArticleRecord).html;
        return html;
      },
    });
    record.sourceHash = entry.hash;
    return record;
  }

  /**
   * Writes the entries `set` this build that the folder does not hold yet, and removes every
   * other entry (deleted posts, earlier versions of edited ones). Returns whether it wrote.
   */
  async save(): Promise<boolean> {
    const { dir } = this;
    if (dir === undefined) return false;
    const stale = this.stale();
    if (this.changed.size === 0 && stale.length === 0 && this.stats.note === undefined) return false;
    await mkdir(dir, { recursive: true });
    const temporary = (file: string) => join(dir, `${file}.${process.pid}.tmp`);
    await Promise.all(
      [...this.changed].map(async (name) => {
        const entry = this.next.get(name);
        if (!entry) return;
        const file = this.fileOf(name, entry.hash);
        await writeParts(temporary(file), encodeEntry(name, entry));
        await rename(temporary(file), join(dir, file));
      }),
    );
    await Promise.all(stale.map((file) => rm(join(dir, file), { force: true })));
    if (this.stats.note !== undefined) await writeFile(join(dir, VERSION_FILE), this.version);
    return true;
  }

  /** The entry file of the post file `name` whose text hashes to `hash`. */
  private fileOf(name: string, hash: string): string {
    return contentHash(`${this.version}\n${name}\n${hash}`);
  }

  /** Files listed when the cache was opened that hold none of the entries kept this build. */
  private stale(): string[] {
    const kept = new Set([...this.next].map(([name, entry]) => this.fileOf(name, entry.hash)));
    return [...this.listed].filter((file) => !kept.has(file));
  }

  private readStale(file: string): CachedPost | undefined {
    try {
      const bytes = readFileSync(join(this.dir ?? "", file));
      const name = JSON.parse(bytes.toString("utf8", 0, bytes.indexOf(10))).name as string;
      return decodeEntry(name, bytes);
    } catch {
      return undefined;
    }
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The highlight cache (highlight.ts) kept with a render cache: `render-cache` ->
 * `render-cache.highlight.json`. It lives and goes with the render cache (`--no-cache` uses neither).
 */
export const highlightCacheOf = (dir: string): string => `${dir}.highlight.json`;
