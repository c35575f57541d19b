import { readFileSync } from "node:fs";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import { hashedUrl } from "./assets.ts";
import { type VariantSet, type VariantStats, variantSet, writeVariants } from "./image-variants.ts";

/** image-size, loaded when a post first refers to a file (a build that renders nothing never needs it). */
let imageSize: typeof import("image-size").imageSize | undefined;

/** A file beside a post (or in a shared folder such as `content/media/`), as readers get it. */
export interface Media {
  /** `/assets/<name>.<hash>.<ext>`, served by Workers Static Assets with immutable caching. */
  url: string;
  /** Intrinsic size in CSS pixels, for images (EXIF rotation applied). */
  width?: number;
  height?: number;
  /** For a photo (JPEG, PNG, WebP, AVIF; not SVG or GIF): its smaller widths and other formats. */
  variants?: VariantSet;
}

/** `https:`, `mailto:`, `//host`, `/path`, `#id`, `?q`: not a file of the content folder. */
const NOT_LOCAL = /^(?:[a-z][a-z0-9+.-]*:|[/#?]|$)/i;
/** Links to these stay links to pages (e.g. `[next](../other-post)`), never published as files. */
const PAGE_EXT = /^(?:|\.md|\.html?)$/i;

/** Whether a Markdown link's target is a file to publish (an image's target always is). */
export function isFileLink(href: string): boolean {
  return !NOT_LOCAL.test(href) && !PAGE_EXT.test(extname(href.replace(/[?#].*$/, "")));
}

/** Whether an image's target is in the content folder rather than on the web or the site. */
export const isLocalRef = (href: string): boolean => !NOT_LOCAL.test(href);

/**
 * The files posts refer to by relative path (`![alt](cover.jpg)`, `[PDF](../media/a.pdf)`),
 * published under content-hashed names. Only referenced files are published, so a draft's
 * images stay out of a production build. Reads are synchronous and cached: a build renders
 * posts synchronously, and each file is read once however many posts use it.
 */
export class MediaLibrary {
  readonly #root: string;
  /** Absolute path -> what it was published as, or why it cannot be. */
  readonly #files = new Map<string, Media | string>();
  /** URL -> absolute path of every file a rendered post used. */
  readonly #used = new Map<string, string>();

  /** @param contentDir the content folder; references may not leave it. */
  constructor(contentDir: string) {
    this.#root = resolve(contentDir);
  }

  /**
   * Resolves `ref` (relative to the post file `postFile`, percent-encoding allowed, `?query` and
   * `#fragment` kept on the URL) to its published asset, reading the size when `image` is set.
   * @returns the asset, or a sentence saying why the reference is broken.
   */
  resolve(postFile: string, ref: string, image: boolean): Media | string {
    const cut = ref.search(/[?#]/);
    const [path, suffix] = cut < 0 ? [ref, ""] : [ref.slice(0, cut), ref.slice(cut)];
    const file = resolve(dirname(postFile), safeDecode(path));
    const inside = relative(this.#root, file);
    if (inside.startsWith("..") || isAbsolute(inside)) return `"${ref}" points outside ${this.#root}`;
    let media = this.#files.get(file);
    if (media === undefined) {
      media = load(file, ref);
      this.#files.set(file, media);
    }
    if (typeof media === "string") return media;
    if (image && media.width === undefined) return `"${ref}" is not an image whose size can be read`;
    this.#used.set(media.url, file);
    return suffix ? { ...media, url: media.url + suffix } : media;
  }

  /** Every file a rendered post used, as `[url, absolute path]` (what a render thread sends back). */
  used(): [string, string][] {
    return [...this.#used];
  }

  /** Takes in the files another library used (a render thread's), so `write` publishes them too. */
  adopt(used: Iterable<readonly [string, string]>): void {
    for (const [url, file] of used) this.#used.set(url, file);
  }

  /** The image variants the last `write` encoded with sharp, and those it took from the image cache. */
  readonly variants: VariantStats = { encoded: 0, reused: 0, cached: new Set() };

  /**
   * Copies every file a rendered post used to `<publicDir>/assets/`, and the photos' variants
   * (image-variants.ts), taken from `imageCache` when there and encoded into it when not;
   * returns how many files the posts used.
   */
  async write(publicDir: string, imageCache?: string): Promise<number> {
    await mkdir(join(publicDir, "assets"), { recursive: true });
    await Promise.all([...this.#used].map(([url, file]) => copyFile(file, join(publicDir, url))));
    // One image at a time: sharp already encodes on every core.
    for (const file of new Set(this.#used.values())) {
      const media = this.#files.get(file) ?? load(file, file);
      if (typeof media === "string" || !media.variants) continue;
      await writeVariants(file, await readFile(file), media.variants, publicDir, imageCache, this.variants);
    }
    return this.#used.size;
  }
}

function load(file: string, ref: string): Media | string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return `"${ref}" is missing (no file at ${relative(process.cwd(), file)})`;
  }
  // Names keep to URL-safe characters; the hash keeps two different `cover.jpg`s apart.
  const ext = extname(file).toLowerCase();
  const name = basename(file, extname(file))
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const base = name || "file";
  const url = hashedUrl(`${base}${ext}`, bytes);
  imageSize ??= (createRequire(import.meta.url)("image-size") as typeof import("image-size")).imageSize;
  try {
    const size = imageSize(bytes);
    // JPEG orientations 5-8 are rotated a quarter turn: browsers show them with sides swapped.
    const turned = (size.orientation ?? 1) >= 5;
    const [width, height] = turned ? [size.height, size.width] : [size.width, size.height];
    const variants = variantSet(base, ext, bytes, width);
    return { url, width, height, ...(variants && { variants }) };
  } catch {
    return { url }; // not an image (a PDF, say), or one whose size cannot be read
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
