import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CachedPost } from "../../pipeline/render-cache.ts";
import { RENDERER_VERSION, rendererVersion } from "../../pipeline/renderer-version.ts";
import { writeBuild } from "../../pipeline/write-build.ts";

/** The render cache's index file: a line with the version (and the bulk file's token), then a line per post. */
interface CacheIndex {
  head: { version: string };
  posts: (CachedPost & { name: string })[];
}

async function readCache(file: string): Promise<CacheIndex> {
  const [head = "", ...lines] = (await readFile(file, "utf8")).trim().split("\n");
  return { head: JSON.parse(head), posts: lines.map((line) => JSON.parse(line)) };
}

async function writeCache(file: string, { head, posts }: CacheIndex): Promise<void> {
  await writeFile(file, [head, ...posts].map((line) => `${JSON.stringify(line)}\n`).join(""));
}

const post = (title: string, date: string, body = `Body of ${title}.`) =>
  `---\ntitle: ${title}\ndate: ${date}\n---\n## ${title}\n\n${body}\n`;

/** A content folder of three posts, an output folder and a cache file path. */
async function setup() {
  const root = await mkdtemp(join(tmpdir(), "render-cache-"));
  const content = join(root, "content");
  await mkdir(join(content, "posts"), { recursive: true });
  const files = { a: post("A", "2025-01-01"), b: post("B", "2025-01-02"), c: post("C", "2025-01-03") };
  for (const [name, text] of Object.entries(files)) await writeFile(join(content, "posts", `${name}.md`), text);
  const cacheFile = join(root, ".cache", "render-cache.json");
  const build = (progress?: (done: number, total: number) => void) =>
    writeBuild({
      contentDir: content,
      outDir: join(root, "dist"),
      releaseModule: join(root, "release.ts"),
      drafts: false,
      cacheFile,
      ...(progress && { onProgress: progress }),
    });
  return { content, cacheFile, build };
}

describe("the render cache", () => {
  it("a second build reuses every post and gives the same release", async () => {
    const { build } = await setup();
    const first = await build();
    expect(first.render).toEqual({ rendered: 3, reused: 0, note: "empty" });
    const second = await build();
    expect(second.render).toEqual({ rendered: 0, reused: 3 });
    expect(second.release.id).toBe(first.release.id);
  });

  it("editing one post re-renders only that post", async () => {
    const { content, build } = await setup();
    await build();
    await writeFile(join(content, "posts", "b.md"), post("B", "2025-01-02", "Edited body."));
    const { render, release } = await build();
    expect(render).toEqual({ rendered: 1, reused: 2 });
    expect(release.posts.find((p) => p.slug === "b")?.html).toContain("Edited body.");
  });

  it("never caches a post that refers to files: it is rendered (and its file published) every build", async () => {
    const { content, build } = await setup();
    await writeFile(
      join(content, "posts", "pic.svg"),
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>',
    );
    await writeFile(join(content, "posts", "d.md"), post("D", "2025-01-04", "![a picture](pic.svg)"));
    const first = await build();
    expect(first.render.rendered).toBe(4);
    const second = await build();
    expect(second.render).toEqual({ rendered: 1, reused: 3 });
    expect(second.mediaFiles).toBe(1);
    // The file changes, the post does not: the post gets the new hashed URL and size.
    await writeFile(
      join(content, "posts", "pic.svg"),
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="2"/>',
    );
    const third = await build();
    const html = third.release.posts.find((p) => p.slug === "d")?.html ?? "";
    expect(html).toContain('width="8"');
    expect(html).not.toBe(second.release.posts.find((p) => p.slug === "d")?.html);
  });

  it("uses the cached record itself (not a re-render)", async () => {
    const { cacheFile, build } = await setup();
    const first = await build();
    const cache = await readCache(cacheFile);
    const a = cache.posts.find((p) => p.name === join("posts", "a.md"));
    if (!a?.article) throw new Error("post a is not in the cache");
    a.article.summary.summary = "From the cache.";
    await writeCache(cacheFile, cache);
    const again = await build();
    const post = again.release.posts.find((p) => p.slug === "a");
    expect(post?.summary).toBe("From the cache.");
    // The HTML comes from the cache's bulk file, byte for byte as the first build wrote it.
    expect(post?.html).toBe(first.release.posts.find((p) => p.slug === "a")?.html);
  });

  it("a different renderer version re-renders every post", async () => {
    const { cacheFile, build } = await setup();
    await build();
    const cache = await readCache(cacheFile);
    expect(cache.head.version).toBe(rendererVersion());
    expect(rendererVersion().startsWith(`${RENDERER_VERSION}:`)).toBe(true);
    await writeCache(cacheFile, { ...cache, head: { ...cache.head, version: "0:old-renderer" } });
    expect((await build()).render).toEqual({ rendered: 3, reused: 0, note: "renderer changed" });
    expect((await build()).render).toEqual({ rendered: 0, reused: 3 });
  });

  it("a corrupted cache is ignored, not fatal, and replaced", async () => {
    const { cacheFile, build } = await setup();
    const first = await build();
    for (const junk of ['{"version": "1:x", "html": {"k": 5}}', "{not json", "null", ""]) {
      await writeFile(cacheFile, junk);
      const rebuilt = await build();
      expect(rebuilt.render.rendered).toBe(3);
      expect(rebuilt.release.id).toBe(first.release.id);
    }
    expect((await build()).render).toEqual({ rendered: 0, reused: 3 });
  });

  it("reports progress for every post", async () => {
    const { build } = await setup();
    const seen: [number, number][] = [];
    await build((done, total) => seen.push([done, total]));
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });
});
