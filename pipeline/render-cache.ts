/**
 * The build's render cache: everything built from each post's file, keyed by the file's path and
 * the hash of its text, for one renderer version. A build reads and hashes every post, and parses
 * and renders only those whose text changed; the others cost a read and a hash.
 *
 * Two files (default `.cache/build/render-cache.json` and `render-cache.bulk`, git-ignored):
 * - the index, a line with the version then a line per post: its hash, validated front matter,
 *   the record without its HTML (what lists show), the record's KV key, its search document's key,
 *   and where its bytes are
 *   in the bulk file. A build reads it whole: it is small (about 0.5 KB a post).
 * - the bulk file: each cached post's KV pair (`{"key":…,"value":…}`, the record with its HTML)
 *   and search document, as the UTF-8 bytes the output files hold. A build reads it only when it
 *   must write a KV file or a search document file, and copies the bytes without decoding them. New posts'
 *   bytes are appended; the file is written afresh when more than half of it is unused.
 * The index names the bulk file's token and length; a bulk file that does not match (another
 * build's, cut short by a crash) makes the whole cache count as empty. A missing, unreadable or
 * corrupted index, or one written by another renderer version, is also treated as empty: the
 * build renders everything and writes a fresh cache. A corrupted line only loses its post.
 */
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { appendFile, mkdir, readFile, rename } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ArticleRecord, PostSummary } from "../src/articles/record.ts";
import type { FrontMatter } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import { writeParts } from "./output-files.ts";
import { pairValue } from "./release-entries.ts";

/**
 * Bump this when a post's output changes in a way the automatic part of the version cannot see:
 * anything beyond its own file, the code listed in `VERSION_FILES` and `RENDER_PACKAGES` that it
 * depends on (files beside a post are already handled: such posts are never cached).
 */
export const RENDERER_VERSION = "3";

/**
 * Packages whose version changes what is built from a post (YAML parsing, HTML, image sizes);
 * their installed versions are part of the renderer version. Add a package here when building a
 * post starts to use it.
 */
export const RENDER_PACKAGES = ["yaml", "marked", "marked-gfm-heading-id", "shiki", "image-size"];

/**
 * Code whose text is part of the renderer version: every module of `pipeline/` (front matter,
 * rendering, summaries, search documents, the cache and output formats: editing any of them starts
 * the cache over, without anyone remembering to) and the `src/` modules they use.
 */
const VERSION_FILES = ["../src/lib/slug.ts", "../src/articles/record.ts"];

/**
 * The renderer version a cache entry is valid for: the constant above, the text of the code
 * that builds a post, the installed versions of `RENDER_PACKAGES`, Node's version (its Unicode
 * and Intl tables: slugs, reading time) and the time zone (a date without an offset is read in
 * local time).
 */
export function rendererVersion(): string {
  const here = new URL(".", import.meta.url);
  const pipeline = readdirSync(here)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => `./${f}`);
  const code = [...pipeline, ...VERSION_FILES].map((file) => `${file}\n${readFileSync(new URL(file, here), "utf8")}`);
  // The time zone as dates see it (the offsets of local time, winter and summer, over the years
  // posts are dated in): cheaper than asking Intl for its name.
  const offsets: number[] = [];
  for (let year = 1990; year <= 2040; year++) {
    offsets.push(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  }
  const runtime = `node ${process.version}, TZ ${process.env.TZ ?? ""}, offsets ${offsets.join(",")}`;
  return `${RENDERER_VERSION}:${contentHash([...code, ...renderPackages(), runtime].join("\n"))}`;
}

/**
 * `name@version` of each of `RENDER_PACKAGES` as installed (`name@?` when it is not). Read from
 * the package's folder rather than `require("name/package.json")`, which packages whose
 * `exports` leave package.json out refuse.
 */
export function renderPackages(): string[] {
  const require = createRequire(import.meta.url);
  return RENDER_PACKAGES.map((name) => {
    for (const dir of require.resolve.paths(name) ?? []) {
      try {
        const { version } = JSON.parse(readFileSync(join(dir, name, "package.json"), "utf8")) as { version?: unknown };
        if (typeof version === "string") return `${name}@${version}`;
      } catch {
        // not in this node_modules folder: the next one up
      }
    }
    return `${name}@?`;
  });
}

/** Where some bytes are in the bulk file: offset and length. */
export type Span = [offset: number, length: number];

/** What the cache keeps of one post file. */
export interface CachedPost {
  /** `contentHash` of the file's text. */
  hash: string;
  meta: FrontMatter;
  /**
   * The post's article, when it depends on nothing but the post's text; absent for posts that
   * refer to files beside them (rendered every build) and drafts no build has rendered yet.
   */
  article?: {
    /** The record without its HTML and source hash, fields in the record's order. */
    summary: PostSummary;
    /** The record's KV key (`article:<hash of its JSON>`). */
    key: string;
    /** The KV pair's bytes in the bulk file. */
    pair: Span;
    /** The search document's bytes (`docJson`) in the bulk file. */
    row: Span;
    /** The search document's key (`contentHash` of those bytes), so a build needs the bytes only to write its file. */
    doc: string;
  };
  /** Keys of the highlighted code blocks in the HTML (their highlight cache entries are kept). */
  blocks?: string[];
}

/** A freshly built article for the cache: as `CachedPost.article`, with its bytes instead of spans. */
export interface FreshArticle {
  summary: PostSummary;
  key: string;
  pair: Uint8Array;
  row: Uint8Array;
  doc: string;
}

/** What a build did with the cache. */
export interface RenderStats {
  rendered: number;
  reused: number;
  /** Why the cache was not used, when it was not (missing, corrupted, other version, off). */
  note?: string;
}

/** The bulk file's first bytes: a token the index names, so a mismatched pair of files is noticed. */
const TOKEN_BYTES = 32;

interface Bulk {
  token: string;
  length: number;
}

/** An open render cache: look up and record what was built from each post file, then `save()`. */
export class RenderCache {
  readonly stats: RenderStats = { rendered: 0, reused: 0 };
  private readonly file: string | undefined;
  private readonly version: string;
  private readonly previous: Map<string, CachedPost>;
  /** The bulk file the previous entries point into, when it matched the index. */
  private readonly bulk: Bulk | undefined;
  private bytes: Buffer | undefined;
  private readonly next = new Map<string, CachedPost>();
  /** Bytes of articles built this build, by file name, until `save()` puts them in the bulk file. */
  private readonly fresh = new Map<string, FreshArticle>();

  private constructor(
    file: string | undefined,
    version: string,
    previous: Map<string, CachedPost>,
    bulk: Bulk | undefined,
    note?: string,
  ) {
    this.file = file;
    this.version = version;
    this.previous = previous;
    this.bulk = bulk;
    if (note) this.stats.note = note;
  }

  /**
   * Opens the cache at `file` for renderer `version`; `file` undefined means no cache (every post
   * is built and nothing is written).
   */
  static async open(file: string | undefined, version = rendererVersion()): Promise<RenderCache> {
    if (file === undefined) return new RenderCache(undefined, version, new Map(), undefined, "off");
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return new RenderCache(file, version, new Map(), undefined, "empty");
    }
    const parsed = parseIndex(bytes);
    if (!parsed) return new RenderCache(file, version, new Map(), undefined, "unreadable, ignored");
    if (parsed.version !== version) return new RenderCache(file, version, new Map(), undefined, "renderer changed");
    if (!bulkMatches(bulkFileOf(file), parsed.bulk)) {
      return new RenderCache(file, version, new Map(), undefined, "bulk file does not match, ignored");
    }
    return new RenderCache(file, version, parsed.posts, parsed.bulk);
  }

  /** What the last build kept for the file `name` (relative to the content folder), if its text still hashes to `hash`. */
  get(name: string, hash: string): CachedPost | undefined {
    const entry = this.previous.get(name);
    return entry?.hash === hash ? entry : undefined;
  }

  /**
   * Keeps `entry` for the file `name` in the cache this build writes; `fresh` is the article
   * built this time (its bytes go to the bulk file), when it may be cached.
   */
  set(name: string, entry: Omit<CachedPost, "article"> | CachedPost, fresh?: FreshArticle): void {
    this.next.set(name, entry);
    if (fresh) this.fresh.set(name, fresh);
    else this.fresh.delete(name);
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
    const keys = (entries: Iterable<CachedPost>) => new Set([...entries].flatMap((entry) => entry.blocks ?? []));
    const before = keys(this.previous.values());
    const after = keys(this.next.values());
    return this.stats.note !== undefined || before.size !== after.size || [...after].some((key) => !before.has(key));
  }

  /** Bytes of the bulk file (read on first use). */
  slice([offset, length]: Span): Uint8Array {
    if (!this.bytes) {
      const bytes = this.file && this.bulk ? readFileSync(bulkFileOf(this.file)) : undefined;
      // Longer is fine: `save()` may have appended this build's posts already (it never changes what is there).
      if (!bytes || !this.bulk || bytes.length < this.bulk.length || tokenOf(bytes) !== this.bulk.token) {
        throw new Error(`the render cache changed during the build (${this.file}): build again`);
      }
      this.bytes = bytes;
    }
    return this.bytes.subarray(offset, offset + length);
  }

  /**
   * A cached post's KV record, its HTML read from the bulk file only if asked for (the build
   * needs the HTML only to write a KV file, and then copies the pair's bytes instead).
   */
  record(entry: CachedPost & { article: NonNullable<CachedPost["article"]> }): ArticleRecord {
    const { summary, pair } = entry.article;
    const record = { ...summary } as ArticleRecord;
    let html: string | undefined;
    Object.defineProperty(record, "html", {
      enumerable: true,
      get: () => {
        html ??= (JSON.parse(pairValue(this.slice(pair))) as ArticleRecord).html;
        return html;
      },
    });
    record.sourceHash = entry.hash;
    return record;
  }

  /**
   * Writes the cache: the entries `set` this build (so it holds the posts that exist now, not
   * deleted or earlier versions of edited ones). Nothing is written when they are the entries
   * the index already holds. Returns whether it wrote.
   */
  async save(): Promise<boolean> {
    if (this.file === undefined) return false;
    const unchanged =
      this.stats.note === undefined &&
      this.fresh.size === 0 &&
      this.next.size === this.previous.size &&
      [...this.next].every(([name, entry]) => {
        const before = this.previous.get(name);
        return before === entry || JSON.stringify(before) === JSON.stringify(entry);
      });
    if (unchanged) return false;
    await mkdir(dirname(this.file), { recursive: true });
    const bulkFile = bulkFileOf(this.file);
    const freshBytes = [...this.fresh.values()].reduce((n, a) => n + a.pair.length + a.row.length, 0);
    let live = freshBytes;
    for (const [name, entry] of this.next) {
      if (entry.article && !this.fresh.has(name)) live += entry.article.pair[1] + entry.article.row[1];
    }
    const entries = new Map<string, CachedPost>();
    let bulk: Bulk;
    if (this.bulk && this.bulk.length - TOKEN_BYTES + freshBytes <= 2 * live) {
      // Mostly still in use: append the new posts' bytes, leave the rest where it is.
      let end = this.bulk.length;
      const parts: Uint8Array[] = [];
      for (const [name, entry] of this.next) {
        const fresh = this.fresh.get(name);
        if (!fresh) entries.set(name, entry);
        else {
          entries.set(name, withSpans(entry, fresh, end));
          parts.push(fresh.pair, fresh.row);
          end += fresh.pair.length + fresh.row.length;
        }
      }
      await appendFile(bulkFile, Buffer.concat(parts));
      bulk = { token: this.bulk.token, length: end };
    } else {
      // Write the bulk file afresh with only what is in use (the old bytes are read first).
      const token = randomBytes(TOKEN_BYTES / 2).toString("hex");
      const parts: Uint8Array[] = [Buffer.from(token)];
      let end = TOKEN_BYTES;
      for (const [name, entry] of this.next) {
        const fresh =
          this.fresh.get(name) ??
          (entry.article && {
            ...entry.article,
            pair: Buffer.from(this.slice(entry.article.pair)),
            row: Buffer.from(this.slice(entry.article.row)),
          });
        if (!fresh) entries.set(name, entry);
        else {
          entries.set(name, withSpans(entry, fresh, end));
          parts.push(fresh.pair, fresh.row);
          end += fresh.pair.length + fresh.row.length;
        }
      }
      const temporary = `${bulkFile}.${process.pid}.tmp`;
      await writeParts(temporary, parts);
      await rename(temporary, bulkFile);
      bulk = { token, length: end };
    }
    const temporary = `${this.file}.${process.pid}.tmp`;
    const { version } = this;
    await writeParts(
      temporary,
      (function* () {
        yield `${JSON.stringify({ version, bulk })}\n`;
        for (const [name, entry] of entries) yield `${JSON.stringify({ name, ...entry })}\n`;
      })(),
    );
    await rename(temporary, this.file);
    return true;
  }
}

/** The bulk file of an index file: `render-cache.json` -> `render-cache.bulk`. */
export const bulkFileOf = (file: string): string => file.replace(/(\.json)?$/, ".bulk");

/**
 * The highlight cache (highlight.ts) kept with a render cache: `render-cache.json` ->
 * `render-cache.highlight.json`. It lives and goes with the render cache (`--no-cache` uses neither).
 */
export const highlightCacheOf = (file: string): string => file.replace(/(\.json)?$/, ".highlight.json");

function withSpans(entry: Omit<CachedPost, "article">, fresh: FreshArticle, offset: number): CachedPost {
  const pair: Span = [offset, fresh.pair.length];
  const row: Span = [offset + fresh.pair.length, fresh.row.length];
  return { ...entry, article: { summary: fresh.summary, key: fresh.key, pair, row, doc: fresh.doc } };
}

const tokenOf = (bytes: Uint8Array): string => Buffer.from(bytes.subarray(0, TOKEN_BYTES)).toString("latin1");

/** Whether the bulk file is the one the index names: same length, same token. */
function bulkMatches(file: string, bulk: Bulk): boolean {
  try {
    if (statSync(file).size !== bulk.length) return false;
    const head = Buffer.alloc(TOKEN_BYTES);
    const fd = openSync(file, "r");
    try {
      readSync(fd, head, 0, TOKEN_BYTES, 0);
    } finally {
      closeSync(fd);
    }
    return tokenOf(head) === bulk.token;
  } catch {
    return false;
  }
}

/** The version, bulk file and entries of an index file, or undefined when its first line is not ours. */
function parseIndex(bytes: Buffer): { version: string; bulk: Bulk; posts: Map<string, CachedPost> } | undefined {
  const lines = splitLines(bytes);
  const head = parseLine(lines.next().value) as { version?: unknown; bulk?: Partial<Bulk> } | null | undefined;
  const bulk = head?.bulk;
  if (typeof head?.version !== "string" || typeof bulk?.token !== "string" || typeof bulk.length !== "number") {
    return undefined;
  }
  const posts = new Map<string, CachedPost>();
  for (const line of lines) {
    const entry = parseLine(line);
    if (isEntry(entry, bulk.length)) {
      const { name, ...post } = entry;
      posts.set(name, post);
    }
  }
  return { version: head.version, bulk: { token: bulk.token, length: bulk.length }, posts };
}

/** The lines of a file, decoded one at a time. */
function* splitLines(bytes: Buffer): Generator<string, undefined> {
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(10, start);
    const stop = end < 0 ? bytes.length : end;
    yield bytes.toString("utf8", start, stop);
    start = stop + 1;
  }
}

function parseLine(line: string | undefined): unknown {
  try {
    return JSON.parse(line ?? "");
  } catch {
    return undefined;
  }
}

/** Enough of a check that a damaged line is dropped rather than served. */
function isEntry(value: unknown, bulkLength: number): value is CachedPost & { name: string } {
  if (typeof value !== "object" || value === null) return false;
  const { name, hash, meta, article } = value as Record<string, unknown>;
  if (typeof name !== "string" || typeof hash !== "string") return false;
  const fields = meta as Partial<FrontMatter> | undefined;
  if (typeof fields?.slug !== "string" || typeof fields.date !== "string" || !Array.isArray(fields.tags)) return false;
  if (article === undefined) return true;
  const { summary, key, pair, row, doc } = (article ?? {}) as Partial<NonNullable<CachedPost["article"]>>;
  const inBulk = (span: unknown) =>
    Array.isArray(span) &&
    Number.isInteger(span[0]) &&
    Number.isInteger(span[1]) &&
    span[0] >= TOKEN_BYTES &&
    span[0] + span[1] <= bulkLength;
  return (
    typeof summary?.slug === "string" &&
    typeof key === "string" &&
    typeof doc === "string" &&
    inBulk(pair) &&
    inBulk(row)
  );
}
