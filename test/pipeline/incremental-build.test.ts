import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ContentError } from "../../pipeline/content-error.ts";
import { highlightCacheOf } from "../../pipeline/render-cache.ts";
import { type BuildOptions, writeBuild } from "../../pipeline/write-build.ts";
import { contentDir } from "./build-fixtures.ts";

/** What a build keeps between runs and what it must never serve stale. */

const post = (front: string, body: string) => `---\n${front}\n---\n${body}\n`;
const fence = (lang: string, code: string) => `\`\`\`${lang}\n${code}\n\`\`\``;

/** A content folder, and a build of it with a render cache and an output folder that persist between calls. */
async function site(files: Record<string, string | Uint8Array>) {
  const content = await contentDir(files);
  const root = join(content, "..", `${content.split("/").at(-1)}-build`);
  const out = join(root, "dist");
  const cacheDir = join(root, "cache", "render-cache");
  const build = (extra: Partial<BuildOptions> = {}) =>
    writeBuild({
      contentDir: content,
      outDir: out,
      releaseModule: join(root, "release.ts"),
      drafts: false,
      cacheDir,
      ...extra,
    });
  const write = (name: string, text: string) => writeFile(join(content, name), text);
  return { content, out, cacheDir, build, write };
}

const slugs = (release: { posts: { slug: string }[] }) => release.posts.map((p) => p.slug).sort();
const kvPairs = async (out: string) =>
  (
    await Promise.all(
      (await readdir(join(out, "kv"))).map(async (f) => JSON.parse(await readFile(join(out, "kv", f), "utf8"))),
    )
  ).flat() as { key: string; value: string }[];

describe("the incremental build never serves stale output", () => {
  it("switching between preview (drafts) and production builds keeps both right, and reuses the draft", async () => {
    const { build } = await site({
      "posts/a.md": post("title: A\ndate: 2025-01-01", "Text A."),
      "posts/wip.md": post("title: WIP\ndate: 2025-01-02\ndraft: true", "Not yet."),
    });
    const production = await build();
    expect(slugs(production.release)).toEqual(["a"]);
    expect(production.render).toMatchObject({ rendered: 1, reused: 0 });
    const preview = await build({ drafts: true });
    expect(slugs(preview.release)).toEqual(["a", "wip"]);
    expect(preview.release.posts.find((p) => p.slug === "wip")).toMatchObject({ draft: true });
    expect(preview.render).toEqual({ rendered: 1, reused: 1 });
    const again = await build();
    expect(again.render).toEqual({ rendered: 0, reused: 1 });
    expect(again.release.id).toBe(production.release.id);
    expect([...again.release.entries.values()].some((v) => v.includes("Not yet."))).toBe(false);
    // The draft's record survived the production build.
    expect((await build({ drafts: true })).render).toEqual({ rendered: 0, reused: 2 });
  });

  it("a deleted post leaves the release, the KV files and the cache", async () => {
    const { build, content, cacheDir, out } = await site({
      "posts/a.md": post("title: A\ndate: 2025-01-01", "Text A."),
      "posts/b.md": post("title: B\ndate: 2025-01-02", "Text B."),
    });
    await build();
    await rm(join(content, "posts", "b.md"));
    const { release, render } = await build();
    expect(slugs(release)).toEqual(["a"]);
    expect(render).toEqual({ rendered: 0, reused: 1 });
    expect((await kvPairs(out)).some((p) => p.value.includes("Text B."))).toBe(false);
    const entries = await Promise.all((await readdir(cacheDir)).map((f) => readFile(join(cacheDir, f), "utf8")));
    expect(entries.join("")).toContain("a.md");
    expect(entries.join("")).not.toContain("b.md");
  });

  it("a front matter edit that changes slug, aliases and tags changes the release, the body being the same", async () => {
    const { build, write } = await site({ "posts/a.md": post("title: A\ndate: 2025-01-01\ntags: [x]", "Same body.") });
    const before = await build();
    expect(before.release.index.tags.x?.count).toBe(1);
    await write("posts/a.md", post("title: A\ndate: 2025-01-01\ntags: [y]\nslug: moved\naliases: [a]", "Same body."));
    const { release, render } = await build();
    expect(render).toEqual({ rendered: 1, reused: 0 });
    expect(slugs(release)).toEqual(["moved"]);
    expect(Object.keys(release.index.tags)).toEqual(["y"]);
    const routes = release.index.buckets.map((key) => JSON.parse(release.entries.get(key) ?? "{}"));
    expect(routes.find((bucket) => "/posts/a" in bucket)?.["/posts/a"]).toMatchObject({ redirect: "moved" });
  });

  it("the same text under another file name is another post (the slug comes from the name)", async () => {
    const text = post("title: A\ndate: 2025-01-01", "Text.");
    const { build, content } = await site({ "posts/first.md": text });
    expect(slugs((await build()).release)).toEqual(["first"]);
    await rename(join(content, "posts", "first.md"), join(content, "posts", "second.md"));
    const { release, render } = await build();
    expect(slugs(release)).toEqual(["second"]);
    expect(render.rendered).toBe(1);
  });

  it("a build that fails on one post keeps the others it built: the fixed build renders only that post", async () => {
    const { build, write } = await site({
      "posts/a.md": post("title: A\ndate: 2025-01-01", "Text A."),
      "posts/b.md": post("title: B\ndate: 2025-02-30", "Text B."),
    });
    await expect(build()).rejects.toThrow(/b\.md: front matter "date" "2025-02-30" is not a date/);
    await write("posts/b.md", post("title: B\ndate: 2025-02-28", "Text B."));
    expect((await build()).render).toEqual({ rendered: 1, reused: 1 });
  });
});

describe("output files", () => {
  it("are left alone when nothing changed, and rewritten when changed, touched or removed", async () => {
    const { build, out, write } = await site({
      "posts/a.md": post("title: A\ndate: 2025-01-01", "Text A."),
      "posts/b.md": post("title: B\ndate: 2025-01-02", "Text B."),
    });
    const first = await build();
    expect(first.report.written.sort()).toEqual([
      join("kv", "000.json"),
      "manifest.json",
      join("search", "docs"),
      join("search", "release.json"),
    ]);
    const kv = join(out, "kv", "000.json");
    const written = (await stat(kv)).mtimeMs;
    const same = await build();
    expect(same.report.written).toEqual([]);
    expect((await stat(kv)).mtimeMs).toBe(written);
    // Someone else's edit of an output file is undone.
    await writeFile(kv, "[]");
    expect((await build()).report.written).toEqual([join("kv", "000.json")]);
    expect(JSON.parse(await readFile(kv, "utf8"))).toHaveLength(first.release.entries.size);
    await rm(join(out, "manifest.json"));
    expect((await build()).report.written).toEqual(["manifest.json"]);
    // A post edited: its article, the lists, the manifest and the search rows change.
    await write("posts/a.md", post("title: A\ndate: 2025-01-01", "Text A, edited."));
    const edited = await build();
    expect(edited.report.written.sort()).toEqual([
      join("kv", "000.json"),
      "manifest.json",
      join("search", "docs"),
      join("search", "release.json"),
    ]);
    const { docs } = JSON.parse(await readFile(join(out, "search", "release.json"), "utf8")) as { docs: string[] };
    const texts = await Promise.all(docs.map((key) => readFile(join(out, "search", "docs", `${key}.json`), "utf8")));
    expect(texts.join("")).toContain("Text A, edited.");
    // The old document is gone, the other post's is kept.
    expect(await readdir(join(out, "search", "docs"))).toHaveLength(2);
  });

  it("are byte for byte what a build without any cache writes, after edits", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      files[`posts/p${i}.md`] = post(
        `title: "Post ${i}: 케이팝"\ndate: 2025-01-${String(1 + i).padStart(2, "0")}\ntags: [t${i % 3}, 태그]${i === 3 ? "\ndraft: true" : ""}${i === 4 ? "\naliases: [old-p4]" : ""}`,
        `It's post ${i}.\n\n## Part ${i}\n\n${fence(i % 2 ? "ts" : "sh", `echo ${i}`)}\n\n${"A sentence. ".repeat(i * 20)}`,
      );
    }
    const { build, out, write, content } = await site(files);
    await build();
    await write("posts/p5.md", post("title: Five\ndate: 2025-03-01\ntags: [new]", "Edited."));
    await rm(join(content, "posts", "p7.md"));
    const incremental = await build();
    expect(incremental.render).toEqual({ rendered: 1, reused: 9 });
    const fresh = join(out, "..", "fresh");
    await writeBuild({ contentDir: content, outDir: fresh, releaseModule: join(fresh, "r.ts"), drafts: false });
    const searchFiles = (await readdir(join(fresh, "search", "docs"))).map((name) => join("search", "docs", name));
    expect(searchFiles).toHaveLength(10);
    for (const file of [join("kv", "000.json"), "manifest.json", join("search", "release.json"), ...searchFiles]) {
      expect(await readFile(join(out, file), "utf8"), file).toBe(await readFile(join(fresh, file), "utf8"));
    }
  });

  it("KV files hold exactly the release's entries, bytes copied from the cache included, and stale ones go", async () => {
    const { build, out, content } = await site({
      "posts/a.md": post("title: A\ndate: 2025-01-01", "Text A."),
      "posts/b.md": post("title: B\ndate: 2025-01-02", "Text B."),
      "posts/c.md": post("title: C\ndate: 2025-01-03", "Text C."),
    });
    const first = await build({ pairsPerFile: 4 });
    expect(first.kvFiles.length).toBeGreaterThan(2);
    await rm(join(content, "posts", "c.md"));
    await rm(join(content, "posts", "b.md"));
    const second = await build({ pairsPerFile: 4 });
    expect(second.render.reused).toBe(1);
    expect((await readdir(join(out, "kv"))).length).toBe(second.kvFiles.length);
    const pairs = await kvPairs(out);
    expect(pairs.map((p) => p.key).sort()).toEqual([...second.release.entries.keys()].sort());
    for (const { key, value } of pairs) expect(value).toBe(second.release.entries.get(key));
  });
});

describe("the highlight cache", () => {
  const files = {
    "posts/a.md": post("title: A\ndate: 2025-01-01", `Text A.\n\n${fence("ts", "const a = 1;")}`),
    "posts/b.md": post("title: B\ndate: 2025-01-02", `Text B.\n\n${fence("ts", "const b = 2;")}`),
  };

  it("keeps the blocks of every post, through builds that render nothing or one post", async () => {
    const { build, cacheDir, write, content } = await site(files);
    await build();
    const file = highlightCacheOf(cacheDir);
    const blocks = async () => Object.values(JSON.parse(await readFile(file, "utf8")).blocks as Record<string, string>);
    expect(await blocks()).toHaveLength(2);
    const written = (await stat(file)).mtimeMs;
    await build();
    await write("posts/a.md", post("title: A\ndate: 2025-01-01", `Text A, edited.\n\n${fence("ts", "const a = 1;")}`));
    expect((await build()).render).toEqual({ rendered: 1, reused: 1 });
    expect((await stat(file)).mtimeMs).toBe(written);
    expect(await blocks()).toHaveLength(2);
    await rm(join(content, "posts", "b.md"));
    await build();
    expect((await blocks()).join()).not.toContain("2</span>");
    expect(await blocks()).toHaveLength(1);
  });
});

describe("render threads", () => {
  // Four builds with thread start-up: over vitest's 5 s on a busy 2-core machine, with or without this change.
  it("give the same release, media and mistakes as one thread", { timeout: 60_000 }, async () => {
    const files: Record<string, string | Uint8Array> = {
      "posts/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>',
      "posts/with-pic.md": post("title: Pic\ndate: 2025-02-01", "![a picture](pic.svg)"),
    };
    for (let i = 0; i < 40; i++) {
      files[`posts/p${i}.md`] = post(
        `title: Post ${i}\ndate: 2025-01-${String(1 + (i % 28)).padStart(2, "0")}\ntags: [t${i % 3}]`,
        `Text ${i}.\n\n${fence(["ts", "sh", "json", "klingon"][i % 4] ?? "", `echo ${i}`)}`,
      );
    }
    const one = await (await site(files)).build({ threads: 1, cacheDir: undefined });
    const two = await (await site(files)).build({ threads: 3, cacheDir: undefined });
    expect(two.report.threads).toBe(3);
    expect(two.release.id).toBe(one.release.id);
    expect(two.mediaFiles).toBe(1);
    const broken: Record<string, string | Uint8Array> = {
      ...files,
      "posts/broken.md": post("title: Broken\ndate: 2025-01-01", "![gone](missing.png)"),
      "posts/no-date.md": post("title: No date", "x"),
    };
    const errors = async (threads: number) =>
      (await (
        await site(broken)
      )
        .build({ threads, cacheDir: undefined })
        .catch((e: AggregateError) => e)) as AggregateError;
    const [single, many] = [await errors(1), await errors(3)];
    // Each build has its own folder: compare the mistakes without it.
    const mistakes = (error: AggregateError) =>
      error.errors.map(
        (e: ContentError) => `${e.file.split("/").at(-1)} ${e.field} ${e.problem.replace(/\/[^ ]*\//, "")}`,
      );
    expect(mistakes(many)).toEqual(mistakes(single));
    expect(single.errors.map((e: ContentError) => [e.file.split("/").at(-1), e.field])).toEqual([
      ["broken.md", undefined],
      ["no-date.md", "date"],
    ]);
  });
});
