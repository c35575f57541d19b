/**
 * Responsive images: each photo a post refers to is also published in smaller widths, as AVIF
 * and WebP, with its own format as the fallback, for `<picture>` / `srcset` (markdown.ts writes
 * the markup). What a variant is called is decided while rendering, from the original's bytes
 * and size alone (no encoding); the encoding happens when the build writes the media, with
 * `sharp`, and each encoded file is kept in a cache folder under a name made of the same hash,
 * so an image that did not change is never encoded again.
 */
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { ASSET_PREFIX } from "./assets.ts";
import { ContentError } from "./content-error.ts";
import { contentHash } from "./hash.ts";
import { touchCached } from "./image-cache.ts";

/** Widths (px) offered below the original's; the original's own width is always offered too. */
export const VARIANT_WIDTHS = [480, 960, 1440] as const;

export type VariantFormat = "avif" | "webp" | "jpeg" | "png";

/**
 * Encoder settings. They are part of every variant's hash: changing one gives new URLs (the old
 * files stay cached for ever in browsers) and encodes everything again.
 */
const SETTINGS = {
  // Effort 2 of 9: about 7 times faster than the default 4 for files some 7% larger.
  avif: { quality: 50, effort: 2 },
  webp: { quality: 75 },
  jpeg: { quality: 80, mozjpeg: true },
  png: { compressionLevel: 9 },
} as const;

/** The raster formats re-encoded, by extension. GIF (animated) and SVG (already any size) are left as they are. */
const FORMAT_OF: Record<string, VariantFormat> = {
  ".jpg": "jpeg",
  ".jpeg": "jpeg",
  ".png": "png",
  ".webp": "webp",
  ".avif": "avif",
};

const EXT_OF: Record<VariantFormat, string> = { avif: "avif", webp: "webp", jpeg: "jpg", png: "png" };

export const MIME_OF: Record<VariantFormat, string> = {
  avif: "image/avif",
  webp: "image/webp",
  jpeg: "image/jpeg",
  png: "image/png",
};

/** One encoded file: the original at `width`, in `format`. */
export interface Variant {
  url: string;
  width: number;
  format: VariantFormat;
  /** Its name in the cache folder: `<hash>-<width>.<ext>`. */
  cacheName: string;
}

/** The variants of one image, and the format of the original (the `<img>` fallback). */
export interface VariantSet {
  original: VariantFormat;
  /** Smallest first, per format; the original's format at its own width is the original itself, not here. */
  variants: Variant[];
}

/** The widths offered for an image `width` px wide: the fixed steps below it, then its own. */
export function variantWidths(width: number): number[] {
  return [...VARIANT_WIDTHS.filter((w) => w < width), width];
}

/**
 * The variants of an image published as `name` + `ext` (`concert`, `.jpg`), `width` px wide
 * as shown (EXIF rotation applied), or undefined when it is not a photo to re-encode (SVG, GIF,
 * an animated WebP, PNG or AVIF, whose animation sharp would lose).
 */
export function variantSet(name: string, ext: string, bytes: Uint8Array, width: number): VariantSet | undefined {
  const original = FORMAT_OF[ext.toLowerCase()];
  if (!original || width < 1 || isAnimated(bytes, original)) return undefined;
  const hash = contentHash(`${contentHash(bytes)}\n${JSON.stringify(SETTINGS)}`);
  const formats = [...new Set<VariantFormat>(["avif", "webp", original])];
  const variants: Variant[] = [];
  for (const format of formats) {
    for (const w of variantWidths(width)) {
      if (format === original && w === width) continue;
      const ext = EXT_OF[format];
      variants.push({
        url: `${ASSET_PREFIX}${name}-${w}.${hash.slice(0, 12)}.${ext}`,
        width: w,
        format,
        cacheName: `${hash}-${w}.${ext}`,
      });
    }
  }
  return { original, variants };
}

/**
 * The `srcset`s of a photo's `<picture>`: a `<source>` per format other than the original's
 * (AVIF first: the browser takes the first type it knows), then the `<img>`'s own, in the
 * original's format, whose widest candidate is the original file at `url`.
 */
export function pictureSources(
  url: string,
  width: number,
  set: VariantSet,
): { sources: { type: string; srcset: string }[]; fallback: string } {
  const srcset = (format: VariantFormat) =>
    set.variants
      .filter((v) => v.format === format)
      .map((v) => `${v.url} ${v.width}w`)
      .concat(format === set.original ? [`${url} ${width}w`] : [])
      .join(", ");
  const others = (["avif", "webp"] as const).filter((f) => f !== set.original);
  return { sources: others.map((f) => ({ type: MIME_OF[f], srcset: srcset(f) })), fallback: srcset(set.original) };
}

/**
 * The article column (src/views/styles.ts: `--measure: 40rem` less 1.25rem of padding each
 * side, so 37.5rem wide from a 40rem viewport, the viewport less 2.5rem below it), or the
 * image's own width when it is narrower (it is never stretched).
 */
export function columnSizes(width: number): string {
  const column = 600;
  if (width >= column) return "(min-width: 40rem) 37.5rem, calc(100vw - 2.5rem)";
  return `(min-width: ${width + 40}px) ${width}px, calc(100vw - 2.5rem)`;
}

/** Animated WebP (VP8X with the animation flag), APNG (an acTL chunk) or an AVIF image sequence. */
function isAnimated(bytes: Uint8Array, format: VariantFormat): boolean {
  const text = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (format === "webp") return text(12, 16) === "VP8X" && ((bytes[20] ?? 0) & 0x02) !== 0;
  if (format === "avif") return text(8, 12) === "avis";
  if (format === "png") {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const actl = head.indexOf("acTL");
    return actl !== -1 && actl < head.indexOf("IDAT");
  }
  return false;
}

/** What writing variants did: files encoded with sharp, and files taken from the cache. */
export interface VariantStats {
  encoded: number;
  reused: number;
  /** The image cache's files this build used (`pruneImageCache` keeps them). */
  cached?: Set<string>;
}

type Sharp = typeof import("sharp").default;
/** sharp (libvips), loaded only when some variant is not in the cache: a warm build never loads it. */
let sharp: Sharp | undefined;

/**
 * Writes the variants of the image `file` (its `bytes`) into `publicDir` (`<publicDir>/assets/...`),
 * taking each from `cacheDir` when it is there and encoding (then caching) it otherwise. Without
 * a cache folder every variant is encoded.
 * @throws {ContentError} when sharp cannot decode the file (a damaged image whose header was readable).
 */
export async function writeVariants(
  file: string,
  bytes: Uint8Array,
  set: VariantSet,
  publicDir: string,
  cacheDir: string | undefined,
  stats: VariantStats,
): Promise<void> {
  const dir = cacheDir ?? join(publicDir, ASSET_PREFIX);
  await mkdir(join(publicDir, ASSET_PREFIX), { recursive: true });
  if (cacheDir) await mkdir(cacheDir, { recursive: true });
  const one = async (variant: Variant) => {
    const cached = join(dir, cacheDir ? variant.cacheName : variant.url.slice(ASSET_PREFIX.length));
    if (cacheDir) stats.cached?.add(variant.cacheName);
    if (cacheDir && (await exists(cached))) {
      stats.reused++;
      await touchCached(cached);
    } else {
      await writeAtomically(cached, await encode(file, bytes, variant));
      stats.encoded++;
    }
    if (cacheDir) await copyFile(cached, join(publicDir, variant.url));
  };
  // libvips encodes an image on one thread: one encode per core.
  const queue = [...set.variants];
  const lane = async () => {
    for (let v = queue.shift(); v; v = queue.shift()) await one(v);
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), queue.length) }, lane));
}

async function encode(file: string, bytes: Uint8Array, variant: Variant): Promise<Buffer> {
  sharp ??= createRequire(import.meta.url)("sharp") as Sharp;
  try {
    // Rotated as EXIF says (the sizes in the markup are the rotated ones); metadata (EXIF, GPS)
    // is not copied.
    return await sharp(bytes)
      .rotate()
      .resize({ width: variant.width, withoutEnlargement: true })
      .toFormat(variant.format, SETTINGS[variant.format])
      .toBuffer();
  } catch (error) {
    const reason = error instanceof Error ? error.message.trim() : String(error);
    throw new ContentError(relative(process.cwd(), file), undefined, `cannot be read as an image (${reason})`);
  }
}

/** A file appears whole or not at all: an interrupted build leaves nothing half written in the cache. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.${randomBytes(4).toString("hex")}.part`;
  await writeFile(partial, bytes);
  await rename(partial, file);
}

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    (s) => s.size > 0,
    () => false,
  );
