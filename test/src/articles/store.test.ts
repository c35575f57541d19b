import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type ChunkedList, chunkKey, type PostSummary } from "../../../src/articles/record.ts";
import { listChunk, listPage, pageCount } from "../../../src/articles/store.ts";

/** A list of `count` posts (p0 oldest) stored in KV in chunks of `chunkSize`. */
async function storedList(count: number, chunkSize: number): Promise<ChunkedList> {
  const summaries: PostSummary[] = Array.from({ length: count }, (_, i) => ({
    slug: `p${i}`,
    title: `Post ${i}`,
    date: new Date(Date.UTC(2020, 0, 1 + i)).toISOString(),
    tags: [],
    summary: "",
    readingMinutes: 1,
  }));
  const chunks: string[] = [];
  for (let i = 0; i < count; i += chunkSize) {
    const key = chunkKey(`test-${count}-${chunkSize}-${i}`);
    await env.CONTENT.put(key, JSON.stringify(summaries.slice(i, i + chunkSize)));
    chunks.push(key);
  }
  return { count, chunkSize, chunks };
}

const slugs = (posts: PostSummary[]) => posts.map((p) => p.slug);

describe("listPage", () => {
  it("pages newest first across chunk boundaries", async () => {
    const list = await storedList(25, 4);
    expect(pageCount(list, 10)).toBe(3);
    expect(slugs(await listPage(env.CONTENT, list, 1, 10))).toEqual([
      "p24",
      "p23",
      "p22",
      "p21",
      "p20",
      "p19",
      "p18",
      "p17",
      "p16",
      "p15",
    ]);
    expect(slugs(await listPage(env.CONTENT, list, 2, 10))).toEqual([
      "p14",
      "p13",
      "p12",
      "p11",
      "p10",
      "p9",
      "p8",
      "p7",
      "p6",
      "p5",
    ]);
    expect(slugs(await listPage(env.CONTENT, list, 3, 10))).toEqual(["p4", "p3", "p2", "p1", "p0"]);
    expect(await listPage(env.CONTENT, list, 4, 10)).toEqual([]);
  });

  it("handles exact multiples, a single post and an empty blog", async () => {
    const even = await storedList(20, 10);
    expect(pageCount(even, 10)).toBe(2);
    expect(slugs(await listPage(env.CONTENT, even, 2, 10))).toEqual([
      "p9",
      "p8",
      "p7",
      "p6",
      "p5",
      "p4",
      "p3",
      "p2",
      "p1",
      "p0",
    ]);
    const one = await storedList(1, 100);
    expect(slugs(await listPage(env.CONTENT, one, 1, 10))).toEqual(["p0"]);
    const empty: ChunkedList = { count: 0, chunkSize: 100, chunks: [] };
    expect(pageCount(empty, 10)).toBe(1);
    expect(await listPage(env.CONTENT, empty, 1, 10)).toEqual([]);
    expect(await listChunk(env.CONTENT, empty, 0)).toBeNull();
  });
});

describe("listChunk", () => {
  it("gives one chunk oldest first, the last one as far as the count reaches", async () => {
    const list = await storedList(7, 3);
    expect(slugs((await listChunk(env.CONTENT, list, 0)) ?? [])).toEqual(["p0", "p1", "p2"]);
    expect(slugs((await listChunk(env.CONTENT, list, 2)) ?? [])).toEqual(["p6"]);
    expect(await listChunk(env.CONTENT, list, 3)).toBeNull();
    expect(await listChunk(env.CONTENT, list, -1)).toBeNull();
    // A scheduled tail cut off the count: the chunk stops where the published part does.
    const shorter = { ...list, count: 5 };
    expect(slugs((await listChunk(env.CONTENT, shorter, 1)) ?? [])).toEqual(["p3", "p4"]);
    expect(await listChunk(env.CONTENT, shorter, 2)).toBeNull();
  });
});
