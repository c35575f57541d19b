import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ContentError } from "../../pipeline/content-error.ts";
import {
  columnSizes,
  pictureSources,
  type VariantStats,
  variantSet,
  variantWidths,
  writeVariants,
} from "../../pipeline/image-variants.ts";
import { writeBuild } from "../../pipeline/write-build.ts";
import { contentDir } from "./build-fixtures.ts";
import { gif, photo, webp } from "./image-bytes.ts";

const temp = (name: string) => mkdtemp(join(tmpdir(), `${name}-`));
const fresh = (): VariantStats => ({ encoded: 0, reused: 0 });

describe("which variants a photo gets", () => {
  it.each([
    [2000, [480, 960, 1440, 2000]],
    [1440, [480, 960, 1440]],
    [800, [480, 800]],
    [300, [300]],
  ])("a %i px wide photo: %j, never wider than itself", (width, widths) => {
    expect(variantWidths(width)).toEqual(widths);
  });

  it("a JPEG: AVIF and WebP at every width, JPEG below its own (the original is the widest JPEG)", () => {
    const set = variantSet("stage", ".jpg", new Uint8Array([1, 2, 3]), 1000);
    expect(set?.original).toBe("jpeg");
    expect(set?.variants.map((v) => `${v.format} ${v.width}`)).toEqual([
      "avif 480",
      "avif 960",
      "avif 1000",
      "webp 480",
      "webp 960",
      "webp 1000",
      "jpeg 480",
      "jpeg 960",
    ]);
    expect(set?.variants[0]?.url).toMatch(/^\/assets\/stage-480\.[0-9a-f]{12}\.avif$/);
    expect(set?.variants[0]?.cacheName).toMatch(/^[0-9a-f]{32}-480\.avif$/);
  });

  it("leaves SVG, GIF and animated WebP alone; a WebP original has no separate WebP source", async () => {
    expect(variantSet("a", ".svg", new Uint8Array(), 100)).toBeUndefined();
    expect(variantSet("a", ".gif", gif(10, 10), 10)).toBeUndefined();
    const animated = webp(10, 10);
    animated[20] = 0x02; // VP8X flags: animation
    expect(variantSet("a", ".webp", animated, 10)).toBeUndefined();
    const still = variantSet("a", ".webp", webp(600, 10), 600);
    const { sources, fallback } = pictureSources(
      "/assets/a.0123.webp",
      600,
      still ?? { original: "webp", variants: [] },
    );
    expect(sources.map((s) => s.type)).toEqual(["image/avif"]);
    expect(fallback).toMatch(/^\/assets\/a-480\.[0-9a-f]{12}\.webp 480w, \/assets\/a\.0123\.webp 600w$/);
  });

  it("sizes the image to the article column, or to itself when narrower", () => {
    expect(columnSizes(2000)).toBe("(min-width: 40rem) 37.5rem, calc(100vw - 2.5rem)");
    expect(columnSizes(300)).toBe("(min-width: 340px) 300px, calc(100vw - 2.5rem)");
  });
});

/** sharp encodes AVIF slowly on a busy machine. */
const SLOW = { timeout: 60_000 };

describe("writing the variants with sharp", () => {
  it(
    "encodes each variant at its width and format once; a second build takes them all from the cache",
    SLOW,
    async () => {
      const bytes = await photo("jpeg", 1000, 500);
      const set = variantSet("stage", ".jpg", bytes, 1000);
      if (!set) throw new Error("a JPEG has variants");
      const cache = await temp("images");
      const first = await temp("public");
      const stats = fresh();
      await writeVariants("stage.jpg", bytes, set, first, cache, stats);
      expect(stats).toEqual({ encoded: 8, reused: 0 });
      for (const v of set.variants) {
        const meta = await sharp(await readFile(join(first, v.url))).metadata();
        expect([meta.format === "heif" ? "avif" : meta.format, meta.width]).toEqual([v.format, v.width]);
        expect(meta.height).toBe(v.width / 2);
      }
      // The same files (inodes), not rewritten: a reuse only touches them (image-cache.ts).
      const files = async () => Promise.all((await readdir(cache)).map(async (f) => (await stat(join(cache, f))).ino));
      const inodes = await files();

      const second = await temp("public");
      const again = fresh();
      await writeVariants("stage.jpg", bytes, set, second, cache, again);
      expect(again).toEqual({ encoded: 0, reused: 8 }); // no sharp call at all
      expect(await files()).toEqual(inodes);
      for (const v of set.variants) {
        expect(await readFile(join(second, v.url))).toEqual(await readFile(join(first, v.url)));
      }
    },
  );

  it("applies the EXIF rotation: a 300 x 200 JPEG turned a quarter gives 200 px wide variants", SLOW, async () => {
    const bytes = await photo("jpeg", 300, 200, 6);
    const set = variantSet("turned", ".jpg", bytes, 200);
    if (!set) throw new Error("a JPEG has variants");
    const out = await temp("public");
    await writeVariants("turned.jpg", bytes, set, out, undefined, fresh());
    const avif = set.variants.find((v) => v.format === "avif");
    const meta = await sharp(await readFile(join(out, avif?.url ?? ""))).metadata();
    expect([meta.width, meta.height]).toEqual([200, 300]);
  });

  it("a damaged photo whose size is readable stops the build with its file named", SLOW, async () => {
    const bytes = (await photo("jpeg", 600, 300)).slice(0, 200);
    const set = variantSet("broken", ".jpg", bytes, 600);
    if (!set) throw new Error("a JPEG has variants");
    const error = await writeVariants("media/broken.jpg", bytes, set, await temp("public"), undefined, fresh()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).message).toMatch(/^media\/broken\.jpg: cannot be read as an image \(/);
  });

  it("a build publishes the photo's variants, and the next build encodes none of them again", SLOW, async () => {
    const content = await contentDir({
      "posts/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\n![Stage](../media/stage.png)\n",
      "media/stage.png": await photo("png", 500, 250),
    });
    const out = await temp("out");
    const cacheDir = join(out, "cache", "render-cache");
    const build = () =>
      writeBuild({ contentDir: content, outDir: out, releaseModule: join(out, "r.ts"), drafts: false, cacheDir });
    await build();
    const cached = await readdir(join(out, "cache", "images"));
    expect(cached.map((f) => f.replace(/^[0-9a-f]{32}/, "#")).sort()).toEqual([
      "#-480.avif",
      "#-480.png",
      "#-480.webp",
      "#-500.avif",
      "#-500.webp",
    ]);
    const times = async () => Promise.all(cached.map(async (f) => (await stat(join(out, "cache", "images", f))).ino));
    const before = await times();
    const { release } = await build();
    expect(await times()).toEqual(before);
    const assets = await readdir(join(out, "public", "assets"));
    expect(assets).toHaveLength(6); // the original and its five variants
    expect(release.posts[0]?.html).toContain('<source type="image/avif" srcset="/assets/stage-480.');
  });
});
