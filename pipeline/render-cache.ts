/**
 * The build's render cache: each post's rendered HTML, keyed by the hash of its source file and
 * the renderer's version, so a build renders only the posts whose source changed.
 *
 * It is one JSON file (default `.cache/build/render-cache.json`, git-ignored), read whole at the
 * start of a build and replaced whole (write + rename) at the end. A missing, unreadable or
 * corrupted file, or one written by another renderer version, is treated as empty: the build
 * renders everything and writes a fresh one. It is never an error.
 */
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { contentHash } from "./hash.ts";

/**
 * Bump this whenever rendering changes in a way the automatic part of the version cannot see:
 * a new or changed `marked` extension or highlighter configuration in a file other than
 * `pipeline/markdown.ts` (e.g. Shiki themes or languages), a rendering helper moved elsewhere,
 * or anything beyond the post's own source that its HTML depends on (e.g. image sizes).
 */
export const RENDERER_VERSION = "1";

/**
 * Packages whose version changes the HTML; their installed versions are part of the renderer
 * version. Add a package here when rendering starts to use it (e.g. `shiki`).
 */
export const RENDER_PACKAGES = ["marked", "marked-gfm-heading-id", "shiki"];

/** The pipeline files whose text is part of the renderer version (rendering code). */
const RENDER_FILES = ["./markdown.ts", "./highlight.ts", "./toc.ts", "./release.ts"];

/**
 * The renderer version a cache entry is valid for: the constant above, the text of
 * `pipeline/markdown.ts` (so editing the renderer invalidates the cache without anyone
 * remembering) and the installed versions of `RENDER_PACKAGES`.
 */
export function rendererVersion(): string {
  const require = createRequire(import.meta.url);
  const code = RENDER_FILES.map((file) => readFileSync(new URL(file, import.meta.url), "utf8"));
  const packages = RENDER_PACKAGES.map((name) => {
    try {
      return `${name}@${(require(`${name}/package.json`) as { version: string }).version}`;
    } catch {
      return `${name}@?`;
    }
  });
  return `${RENDERER_VERSION}:${contentHash([...code, ...packages].join("\n"))}`;
}

interface CacheFile {
  version: string;
  /** source hash -> rendered HTML */
  html: Record<string, string>;
}

/** What a build did with the cache. */
export interface RenderStats {
  rendered: number;
  reused: number;
  /** Why the cache was not used, when it was not (missing, corrupted, other version, off). */
  note?: string;
}

/** An open render cache: look up and record HTML by source hash, then `save()`. */
export class RenderCache {
  readonly stats: RenderStats = { rendered: 0, reused: 0 };
  private readonly file: string | undefined;
  private readonly version: string;
  private readonly previous: Map<string, string>;
  private readonly next = new Map<string, string>();

  private constructor(file: string | undefined, version: string, previous: Map<string, string>, note?: string) {
    this.file = file;
    this.version = version;
    this.previous = previous;
    if (note) this.stats.note = note;
  }

  /**
   * Opens the cache at `file` for renderer `version`; `file` undefined means no cache (every post
   * is rendered and nothing is written).
   */
  static async open(file: string | undefined, version = rendererVersion()): Promise<RenderCache> {
    if (file === undefined) return new RenderCache(undefined, version, new Map(), "off");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return new RenderCache(file, version, new Map(), "empty");
    }
    const parsed = parseCache(text);
    if (!parsed) return new RenderCache(file, version, new Map(), "unreadable, ignored");
    if (parsed.version !== version) return new RenderCache(file, version, new Map(), "renderer changed");
    return new RenderCache(file, version, new Map(Object.entries(parsed.html)));
  }

  /** The cached HTML of a source, or undefined when it must be rendered. */
  get(sourceHash: string): string | undefined {
    const known = this.next.get(sourceHash) ?? this.previous.get(sourceHash);
    if (known !== undefined) {
      this.stats.reused++;
      this.next.set(sourceHash, known);
    }
    return known;
  }

  /**
   * Counts a fresh render and remembers its HTML when `cacheable`: only HTML that depends on
   * nothing but the source (not on files beside the post, whose hashed URLs and sizes can change).
   */
  rendered(sourceHash: string, html: string, cacheable: boolean): void {
    this.stats.rendered++;
    if (cacheable) this.next.set(sourceHash, html);
  }

  /**
   * Writes the cache: the entries used by this build plus old entries of `keep` (sources read
   * but not rendered this time, such as drafts in a production build), nothing else, so the file
   * does not grow with deleted or edited posts.
   */
  async save(keep: Iterable<string> = []): Promise<void> {
    if (this.file === undefined) return;
    for (const hash of keep) {
      const old = this.previous.get(hash);
      if (old !== undefined && !this.next.has(hash)) this.next.set(hash, old);
    }
    const data: CacheFile = { version: this.version, html: Object.fromEntries(this.next) };
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(data));
    await rename(temporary, this.file);
  }
}

function parseCache(text: string): CacheFile | undefined {
  try {
    const value = JSON.parse(text) as Partial<CacheFile> | null;
    if (typeof value?.version !== "string" || typeof value.html !== "object" || value.html === null) return undefined;
    if (!Object.values(value.html).every((h) => typeof h === "string")) return undefined;
    return { version: value.version, html: value.html };
  } catch {
    return undefined;
  }
}
