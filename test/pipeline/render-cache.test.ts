import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RenderCache } from "../../pipeline/render-cache.ts";
import { type CachedPost, decodeEntry, encodeEntry } from "../../pipeline/render-cache-entry.ts";
import { RENDERER_VERSION, rendererVersion } from "../../pipeline/renderer-version.ts";
import { writeBuild } from "../../pipeline/write-build.ts";

/** The entry files of a render cache folder, decoded (the `version` file left out). */
async function readEntries(dir: string): Promise<{ file: string; name: string; entry: CachedPost }[]> {
  const files = (await readdir(dir)).filter((f) => f !== "version");
  return Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(join(dir, file));
      const { name } = JSON.parse(bytes.toString("utf8", 0, bytes.indexOf(10))) as { name: string };
      const entry = decodeEntry(name, bytes);
      if (!entry) throw new Error(`${file} is not an entry`);
      return { file, name, entry };
    }),
  );
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
  const cacheDir = join(root, ".cache", "render-cache");
  const build = (progress?: (done: number, total: number) => void) =>
    writeBuild({
      contentDir: content,
      outDir: join(root, "dist"),
      releaseModule: join(root, "release.ts"),
      drafts: false,
      cacheDir,
      ...(progress && { onProgress: progress }),
    });
  return { content, cacheDir, build };
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
    const { cacheDir, build } = await setup();
    const first = await build();
    const a = (await readEntries(cacheDir)).find((e) => e.name === join("posts", "a.md"));
    if (!a?.entry.article) throw new Error("post a is not in the cache");
    a.entry.article.summary.summary = "From the cache.";
    await writeFile(join(cacheDir, a.file), Buffer.concat(encodeEntry(a.name, a.entry)));
    const again = await build();
    const post = again.release.posts.find((p) => p.slug === "a");
    expect(post?.summary).toBe("From the cache.");
    // The HTML comes from the entry's bytes, byte for byte as the first build wrote it.
    expect(post?.html).toBe(first.release.posts.find((p) => p.slug === "a")?.html);
  });

  it("holds one entry per post, and after a build only those of the posts that exist now", async () => {
    const { content, cacheDir, build } = await setup();
    await build();
    expect((await readEntries(cacheDir)).map((e) => e.name).sort()).toEqual(
      ["a", "b", "c"].map((n) => join("posts", `${n}.md`)),
    );
    await writeFile(join(content, "posts", "b.md"), post("B", "2025-01-02", "Edited body."));
    await build();
    const entries = await readEntries(cacheDir);
    expect(entries).toHaveLength(3);
    expect(entries.find((e) => e.name === join("posts", "b.md"))?.entry.article?.summary.title).toBe("B");
    expect(
      Buffer.from(entries.find((e) => e.name === join("posts", "b.md"))?.entry.article?.pair ?? []).toString(),
    ).toContain("Edited body.");
  });

  it("a different renderer version re-renders every post, and its build leaves only its own entries", async () => {
    const { cacheDir, build } = await setup();
    const first = await build();
    expect(await readFile(join(cacheDir, "version"), "utf8")).toBe(rendererVersion());
    expect(rendererVersion().startsWith(`${RENDERER_VERSION}:`)).toBe(true);
    const files = async () => (await readEntries(cacheDir)).map((e) => e.file).sort();
    const before = await files();
    const other = await RenderCache.open(cacheDir, "0:old-renderer");
    expect(other.stats.note).toBe("renderer changed");
    for (const { name, entry } of await readEntries(cacheDir)) expect(other.get(name, entry.hash)).toBeUndefined();
    // The time zone is part of the renderer version (renderer-version.ts).
    const zone = process.env.TZ;
    try {
      process.env.TZ = "Asia/Seoul";
      const seoul = await build();
      expect(seoul.render).toEqual({ rendered: 3, reused: 0, note: "renderer changed" });
      expect(seoul.release.id).toBe(first.release.id);
      expect(await files()).toHaveLength(3);
      expect((await files()).some((file) => before.includes(file))).toBe(false);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect((await build()).render).toEqual({ rendered: 3, reused: 0, note: "renderer changed" });
    expect(await files()).toEqual(before);
    expect((await build()).render).toEqual({ rendered: 0, reused: 3 });
  });

  it("a damaged entry (cut short, overwritten, emptied) costs only its post, and is replaced", async () => {
    const { cacheDir, build } = await setup();
    const first = await build();
    const files = (await readEntries(cacheDir)).map((e) => e.file);
    const [cut, junk, empty] = files as [string, string, string];
    const bytes = await readFile(join(cacheDir, cut));
    await writeFile(join(cacheDir, cut), bytes.subarray(0, bytes.length - 1));
    await writeFile(join(cacheDir, junk), '{"name": "posts/a.md", "hash": 5}\n');
    await writeFile(join(cacheDir, empty), "");
    const rebuilt = await build();
    expect(rebuilt.render).toEqual({ rendered: 3, reused: 0 });
    expect(rebuilt.release.id).toBe(first.release.id);
    expect((await build()).render).toEqual({ rendered: 0, reused: 3 });
    await writeFile(join(cacheDir, cut), "{not json");
    expect((await build()).render).toEqual({ rendered: 1, reused: 2 });
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
