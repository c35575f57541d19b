import { mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IMAGE_CACHE_DAYS, pruneImageCache } from "../../pipeline/image-cache.ts";
import { writeBuild } from "../../pipeline/write-build.ts";
import { contentDir } from "./build-fixtures.ts";
import { photo } from "./image-bytes.ts";

const DAY = 86_400_000;
const temp = (name: string) => mkdtemp(join(tmpdir(), `${name}-`));
const age = (file: string, days: number) =>
  utimes(file, new Date(Date.now() - days * DAY), new Date(Date.now() - days * DAY));

describe("the build's image cache", () => {
  it("deletes only what this build did not use and no build used for IMAGE_CACHE_DAYS", async () => {
    const dir = await temp("images");
    for (const name of ["used-old.avif", "unused-old.avif", "unused-recent.avif", "unused-old.tmp"])
      await writeFile(join(dir, name), "x");
    await age(join(dir, "used-old.avif"), IMAGE_CACHE_DAYS + 5);
    await age(join(dir, "unused-old.avif"), IMAGE_CACHE_DAYS + 1);
    await age(join(dir, "unused-old.tmp"), IMAGE_CACHE_DAYS + 1);
    await age(join(dir, "unused-recent.avif"), IMAGE_CACHE_DAYS - 1);
    expect(await pruneImageCache(dir, new Set(["used-old.avif"]))).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(["unused-recent.avif", "used-old.avif"]);
    expect(await pruneImageCache(join(dir, "missing"), new Set())).toBe(0);
  });

  it("a build touches the variants it reuses and drops a removed photo's once they are old", {
    timeout: 60_000,
  }, async () => {
    const content = await contentDir({
      "posts/a.md": "---\ntitle: A\ndate: 2025-01-01\n---\n![Stage](../media/stage.png)\n",
      "media/stage.png": await photo("png", 500, 250),
    });
    const out = await temp("out");
    const images = join(out, "cache", "images");
    const build = () =>
      writeBuild({
        contentDir: content,
        outDir: out,
        releaseModule: join(out, "r.ts"),
        drafts: false,
        cacheDir: join(out, "cache", "render-cache"),
      });
    await build();
    const variants = (await readdir(images)).sort();
    expect(variants).toHaveLength(5);
    for (const name of variants) await age(join(images, name), IMAGE_CACHE_DAYS + 1);

    // Still used: reused and touched, so no later build deletes them.
    await build();
    expect((await readdir(images)).sort()).toEqual(variants);
    for (const name of variants) expect(Date.now() - (await stat(join(images, name))).mtimeMs).toBeLessThan(DAY);

    // The photo is gone from the post: its variants stay while recent, and go once old.
    await writeFile(join(content, "posts", "a.md"), "---\ntitle: A\ndate: 2025-01-01\n---\nNo photo now.\n");
    await rm(join(content, "media", "stage.png"));
    await build();
    expect((await readdir(images)).sort()).toEqual(variants);
    for (const name of variants) await age(join(images, name), IMAGE_CACHE_DAYS + 1);
    await build();
    expect(await readdir(images)).toEqual([]);
  });
});
