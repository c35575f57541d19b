import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatePost, generatePosts } from "../../bench/generate-posts.ts";
import { readContent } from "../../pipeline/read-content.ts";

describe("bench/generate-posts.ts", () => {
  it("makes valid posts of realistic size, with Hangul, tags and code, the same for the same seed", async () => {
    const out = await mkdtemp(join(tmpdir(), "generated-"));
    const bytes = await generatePosts({ count: 40, outDir: out, seed: 7 });
    expect(bytes / 40).toBeGreaterThan(2_000);
    expect((await readdir(join(out, "posts"))).length).toBe(40);
    const posts = await readContent(join(out, "posts"));
    expect(posts.length).toBe(40);
    const all = posts.map((p) => p.body).join("\n");
    expect(all).toMatch(/\p{Script=Hangul}/u);
    expect(all).toContain("```");
    expect(new Set(posts.flatMap((p) => p.meta.tags)).size).toBeGreaterThan(5);
    expect(posts.every((p) => p.meta.date < new Date().toISOString())).toBe(true);
    expect(generatePost(3, 7)).toEqual(generatePost(3, 7));
    expect(await readFile(join(out, "posts", generatePost(3, 7).file), "utf8")).toBe(generatePost(3, 7).source);
    expect(generatePost(3, 8).source).not.toBe(generatePost(3, 7).source);
  });

  it("refuses to write into content/", async () => {
    await expect(generatePosts({ count: 1, outDir: "content" })).rejects.toThrow(/content/);
    await expect(generatePosts({ count: 1, outDir: "content/bench" })).rejects.toThrow(/content/);
  });
});
