import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeBuild } from "../../pipeline/write-build.ts";
import { contentDir } from "./build-fixtures.ts";
import { photo } from "./image-bytes.ts";

const post = (body: string) => `---\ntitle: T\ndate: 2025-01-01\n---\n${body}\n`;
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"><title>x</title></svg>';

/** The `image` of each built record, by slug. */
async function imagesOf(files: Record<string, string | Uint8Array>) {
  const out = await mkdtemp(join(tmpdir(), "out-"));
  const { release } = await writeBuild({
    contentDir: await contentDir(files),
    outDir: out,
    releaseModule: join(out, "r.ts"),
    drafts: false,
  });
  return Object.fromEntries(release.posts.map((p) => [p.slug, p.image]));
}

// Real photos: the build encodes their AVIF and WebP widths, seconds on a busy 2-core machine.
describe("a post's image for social cards and structured data (record.image)", { timeout: 60_000 }, () => {
  it("is its first image a social card can show, with the size the build read", async () => {
    const images = await imagesOf({
      "posts/a/index.md": post("![Chart](chart.svg)\n\n![Stage](stage.jpg)\n\n![Crowd](crowd.png)"),
      "posts/a/chart.svg": SVG,
      "posts/a/stage.jpg": await photo("jpeg", 1600, 900),
      "posts/a/crowd.png": await photo("png", 800, 800),
      "posts/b.md": post(
        "No pictures, only [a link](https://example.com/x.png) and ![a remote one](https://example.com/y.png).",
      ),
      "posts/c.md": post("![Only a drawing](../media/chart.svg)"),
      "media/chart.svg": SVG,
    });
    expect(images.a).toEqual({
      url: expect.stringMatching(/^\/assets\/stage\.[0-9a-f]{12}\.jpg$/),
      width: 1600,
      height: 900,
    });
    // No image of its own (or only an SVG, which Facebook and X refuse): the Worker uses the site's card.
    expect(images.b).toBeUndefined();
    expect(images.c).toBeUndefined();
  });

  it("has the sides of a photo turned by EXIF as readers see it", async () => {
    const images = await imagesOf({
      "posts/a/index.md": post("![Turned](p.jpg)"),
      "posts/a/p.jpg": await photo("jpeg", 300, 200, 6),
    });
    expect(images.a).toMatchObject({ width: 200, height: 300 });
  });
});
