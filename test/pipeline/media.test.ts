import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError } from "../../pipeline/content-error.ts";
import { isFileLink, MediaLibrary } from "../../pipeline/media.ts";
import { writeBuild } from "../../pipeline/write-build.ts";
import { contentDir, runBuildCli } from "./build-fixtures.ts";
import { gif, photo, png } from "./image-bytes.ts";

/** A content folder with the given files (text or bytes). */

const post = (body: string, front = "") => `---\ntitle: T\ndate: 2025-01-01\n${front}---\n${body}\n`;
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"><title>x</title></svg>';

async function build(files: Record<string, string | Uint8Array>, drafts = false) {
  const content = await contentDir(files);
  const out = await mkdtemp(join(tmpdir(), "out-"));
  const result = await writeBuild({ contentDir: content, outDir: out, releaseModule: join(out, "r.ts"), drafts });
  const html = (slug: string) => result.release.posts.find((p) => p.slug === slug)?.html ?? "";
  return { ...result, out, html, published: async () => (await readdir(join(out, "public", "assets"))).sort() };
}

async function buildErrors(files: Record<string, string | Uint8Array>): Promise<string[]> {
  try {
    await build(files);
  } catch (error) {
    if (!(error instanceof AggregateError)) throw error;
    expect(error.errors.every((e) => e instanceof ContentError)).toBe(true);
    return error.errors.map((e: ContentError) => e.message);
  }
  throw new Error("expected the build to fail");
}

describe("images and files beside a post", () => {
  // sharp encodes the PNG's AVIF and WebP variants: slow on a busy machine.
  it("publishes a post folder's image and a shared folder's under hashed names, with their size", {
    timeout: 60_000,
  }, async () => {
    const cover = await photo("png", 720, 405);
    const { html, published, out } = await build({
      "posts/a/index.md": post('![Cover & "art"](cover.png "On stage")\n\n![Chart](../../media/chart.svg)'),
      "posts/a/cover.png": cover,
      "posts/b.md": post("![Same chart](../media/chart.svg)"),
      "media/chart.svg": SVG,
    });
    const files = await published();
    const chart = files.find((f) => f.startsWith("chart."));
    const png1 = files.find((f) => /^cover\.[0-9a-f]{12}\.png$/.test(f));
    expect(chart).toMatch(/^chart\.[0-9a-f]{12}\.svg$/);
    expect(png1).toBeDefined();
    // The photo is a <picture> (its variants: image-variants.test.ts) around the same <img>.
    expect(html("a")).toMatch(
      new RegExp(
        `<picture><source type="image/avif" [^>]+><source type="image/webp" [^>]+><img src="/assets/${png1}" srcset="[^"]+ /assets/${png1} 720w" sizes="[^"]+" alt="Cover &amp; &quot;art&quot;" title="On stage" width="720" height="405" loading="lazy" decoding="async"></picture>`,
      ),
    );
    expect(html("a")).toContain(`<img src="/assets/${chart}" alt="Chart" width="120" height="60" loading="lazy"`);
    expect(html("b")).toContain(`<img src="/assets/${chart}" alt="Same chart" width="120" height="60"`);
    expect(new Uint8Array(await readFile(join(out, "public", "assets", png1 ?? "")))).toEqual(cover);
  });

  it.each<[string, () => Promise<Uint8Array> | Uint8Array | string, string, [number, number]]>([
    ["PNG", () => photo("png", 64, 48), "png", [64, 48]],
    ["GIF", () => gif(32, 16), "gif", [32, 16]],
    ["JPEG", () => photo("jpeg", 300, 200), "jpg", [300, 200]],
    ["JPEG turned a quarter by EXIF", () => photo("jpeg", 300, 200, 6), "jpg", [200, 300]],
    ["WebP", () => photo("webp", 80, 45), "webp", [80, 45]],
    ["SVG (viewBox)", () => SVG, "svg", [120, 60]],
    ["SVG (width and height)", () => '<svg width="48" height="24" viewBox="0 0 2 1"/>', "svg", [48, 24]],
  ])("reads the size of a %s at build time", async (_, bytes, ext, [width, height]) => {
    const { html } = await build({
      "posts/p/index.md": post(`![x](pic.${ext})`),
      [`posts/p/pic.${ext}`]: await bytes(),
    });
    expect(html("p")).toContain(` width="${width}" height="${height}" loading="lazy" decoding="async">`);
  });

  it("rewrites links to files (a PDF), keeping #fragments, and leaves page and web links alone", async () => {
    const { html, published } = await build({
      "posts/p/index.md": post(
        "[the report](report.pdf#page=2), [photo](<My Photo.png>), [next post](../other), [md](x.md), " +
          "[web](https://example.com/a.pdf), [site](/feed.xml), [top](#top), ![remote](https://example.com/x.png)",
      ),
      "posts/p/report.pdf": "%PDF-1.4",
      "posts/p/My Photo.png": await photo("png", 10, 10),
    });
    const [picture, pdf] = (await published()).filter((f) => !/-\d+\./.test(f));
    expect(pdf).toMatch(/^report\.[0-9a-f]{12}\.pdf$/);
    expect(picture).toMatch(/^my-photo\.[0-9a-f]{12}\.png$/);
    const out = html("p");
    expect(out).toContain(`<a href="/assets/${pdf}#page=2">the report</a>`);
    expect(out).toContain(`<a href="/assets/${picture}">photo</a>`);
    for (const kept of ["../other", "x.md", "https://example.com/a.pdf", "/feed.xml", "#top"]) {
      expect(out).toContain(`href="${kept}"`);
    }
    expect(out).toContain('<img src="https://example.com/x.png" alt="remote">');
  });

  it("stops the build naming the post and the reference for every missing or unusable file", async () => {
    const errors = await buildErrors({
      "posts/a/index.md": post("![Cover](cover.jpg)\n\n[Slides](slides.pdf)"),
      "posts/b.md": post("![Up](../../outside.png)\n\n![Not an image](../media/notes.txt)"),
      "media/notes.txt": "plain text",
    });
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(
      /posts\/a\/index\.md: image "cover\.jpg" is missing \(no file at .*posts\/a\/cover\.jpg\)$/,
    );
    expect(errors[1]).toMatch(/posts\/a\/index\.md: link to "slides\.pdf" is missing/);
    expect(errors[2]).toMatch(/posts\/b\.md: image "\.\.\/\.\.\/outside\.png" points outside /);
    expect(errors[3]).toMatch(/posts\/b\.md: image "\.\.\/media\/notes\.txt" is not an image whose size can be read/);
  });

  it("the CLI prints the broken reference with the post's file and exits 1, no stack trace", async () => {
    const content = await contentDir({ "posts/a.md": post("![Cover](cover.jpg)") });
    const run = await runBuildCli(content);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/posts\/a\.md: image "cover\.jpg" is missing/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("publishes only what built posts use: a draft's image stays out of production", async () => {
    const files = {
      "posts/a.md": post("![a](../media/a.gif)"),
      "posts/d.md": post("![d](../media/d.gif)", "draft: true\n"),
      "media/a.gif": gif(1, 1),
      "media/d.gif": gif(2, 2),
      "media/unused.gif": gif(3, 3),
    };
    expect(await (await build(files)).published()).toEqual([expect.stringMatching(/^a\./)]);
    expect((await (await build(files, true)).published()).map((f) => f[0])).toEqual(["a", "d"]);
  });

  it("gives changed bytes a new name and the same bytes the same name", async () => {
    const one = await build({ "posts/a.md": post("![a](x.png)"), "posts/x.png": await photo("png", 1, 1) });
    const same = await build({ "posts/a.md": post("![a](x.png)"), "posts/x.png": await photo("png", 1, 1) });
    const changed = await build({ "posts/a.md": post("![a](x.png)"), "posts/x.png": await photo("png", 2, 1) });
    expect(await same.published()).toEqual(await one.published());
    expect(await changed.published()).not.toEqual(await one.published());
    expect(changed.release.id).not.toBe(one.release.id);
  });
});

describe("isFileLink", () => {
  it.each([
    ["report.pdf", true],
    ["../media/a.zip?v=1", true],
    ["../other-post", false],
    ["post.md", false],
    ["page.html", false],
    ["https://x.org/a.pdf", false],
    ["mailto:a@b.c", false],
    ["/assets/x.pdf", false],
    ["#id", false],
    ["", false],
  ])("%j -> %s", (href, expected) => {
    expect(isFileLink(href)).toBe(expected);
  });

  it("a MediaLibrary reads each file once however many posts use it", async () => {
    const dir = await contentDir({ "posts/x.png": png(5, 5) });
    const library = new MediaLibrary(dir);
    const first = library.resolve(join(dir, "posts/a.md"), "x.png", true);
    await writeFile(join(dir, "posts/x.png"), png(6, 6));
    expect(library.resolve(join(dir, "posts/b.md"), "x.png", true)).toEqual(first);
  });
});
