import { describe, expect, it } from "vitest";
import { ContentError } from "../../pipeline/content-error.ts";
import type { FrontMatter } from "../../pipeline/front-matter.ts";
import { buildRelease, type SourcePost } from "../../pipeline/release.ts";
import {
  type ArticleRecord,
  bucketOf,
  NEWEST_SLUGS,
  type PostSummary,
  type ReleaseIndex,
  type RouteBucket,
  releaseKey,
} from "../../src/articles/record.ts";
import { publishedPart } from "../../src/articles/schedule.ts";

function source(slug: string, date: string, extra: Partial<FrontMatter> = {}, body = `Text of ${slug}.`): SourcePost {
  return {
    file: `content/posts/${slug}.md`,
    meta: { title: `Title ${slug}`, slug, date, tags: ["all"], draft: false, ...extra },
    body,
    sourceHash: `hash-${slug}-${body.length}`,
  };
}

const json = <T>(entries: Map<string, string>, key: string): T => JSON.parse(entries.get(key) ?? "null") as T;

describe("buildRelease", () => {
  it("keys every value by its content hash and the index by the release id", () => {
    const { id, entries, index } = buildRelease([source("a", "2025-01-01T00:00:00.000Z")], { drafts: false });
    expect(entries.get(releaseKey(id))).toBe(JSON.stringify(index));
    for (const key of entries.keys()) expect(key).toMatch(/^(article|list|routes|archive|release):[0-9a-f]{32}$/);
  });

  it("is deterministic: the same content gives the same release and keys", () => {
    const posts = [source("a", "2025-01-01T00:00:00.000Z"), source("b", "2025-02-01T00:00:00.000Z")];
    const one = buildRelease(posts, { drafts: false });
    const two = buildRelease([...posts].reverse(), { drafts: false });
    expect(two.id).toBe(one.id);
    expect([...two.entries.keys()].sort()).toEqual([...one.entries.keys()].sort());
  });

  it("changes only the edited post's entries and what points at them", () => {
    const posts = Array.from({ length: 250 }, (_, i) =>
      source(`p${i}`, new Date(Date.UTC(2020, 0, 1 + i)).toISOString()),
    );
    const before = buildRelease(posts, { drafts: false });
    const edited = posts.map((p) =>
      p.meta.slug === "p3" ? { ...p, body: `${p.body}\n\nA new paragraph.`, sourceHash: "changed" } : p,
    );
    const after = buildRelease(edited, { drafts: false });
    const added = [...after.entries.keys()].filter((k) => !before.entries.has(k));
    // the article, its route bucket and the release index; summaries did not change, so no list chunk did
    expect(added.map((k) => k.split(":")[0]).sort()).toEqual(["article", "release", "routes"]);
    expect(after.id).not.toBe(before.id);
  });

  it("a new newest post rewrites only the last list chunk", () => {
    const posts = Array.from({ length: 250 }, (_, i) =>
      source(`p${i}`, new Date(Date.UTC(2020, 0, 1 + i)).toISOString()),
    );
    const before = buildRelease(posts, { drafts: false, chunkSize: 100 });
    const after = buildRelease([...posts, source("new", "2030-01-01T00:00:00.000Z")], {
      drafts: false,
      chunkSize: 100,
    });
    expect(after.index.posts.chunks.slice(0, 2)).toEqual(before.index.posts.chunks.slice(0, 2));
    expect(after.index.posts.chunks[2]).not.toBe(before.index.posts.chunks[2]);
    expect(after.index.posts.count).toBe(251);
  });

  it("chunks lists oldest first and routes every slug through its bucket", () => {
    const posts = Array.from({ length: 25 }, (_, i) =>
      source(`p${i}`, new Date(Date.UTC(2020, 0, 1 + i)).toISOString(), { tags: i % 2 ? ["odd"] : ["even"] }),
    );
    const { index, entries } = buildRelease(posts, { drafts: false, chunkSize: 10, bucketCount: 4 });
    expect(index.posts).toMatchObject({ count: 25, chunkSize: 10 });
    const chunks = index.posts.chunks.map((k) => json<PostSummary[]>(entries, k));
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks[0]?.[0]?.slug).toBe("p0");
    expect(chunks[2]?.at(-1)?.slug).toBe("p24");
    expect(index.tags.odd?.count).toBe(12);
    expect(index.tags.even?.count).toBe(13);
    for (const post of posts) {
      const bucket = json<RouteBucket>(entries, index.buckets[bucketOf(post.meta.slug, 4)] as string);
      const article = json<ArticleRecord>(entries, bucket[post.meta.slug] as string);
      expect(article.html).toBe(`<p>Text of ${post.meta.slug}.</p>\n`);
      // The index names the same record, so the Worker needs no bucket to find it.
      expect(index.articles?.[post.meta.slug]).toBe(bucket[post.meta.slug]);
      expect(chunks.flat().find((s) => s.slug === post.meta.slug)).not.toHaveProperty("html");
    }
  });

  it("names every record in the index while the map is small, and leaves it to the buckets past the cap", () => {
    const posts = Array.from({ length: 30 }, (_, i) =>
      source(`p${i}`, new Date(Date.UTC(2020, 0, 1 + i)).toISOString()),
    );
    const small = buildRelease(posts, { drafts: false, bucketCount: 4 });
    expect(Object.keys(small.index.articles ?? {})).toHaveLength(30);
    const mapBytes = JSON.stringify(small.index.articles).length;
    expect(buildRelease(posts, { drafts: false, bucketCount: 4, articlesInIndexMax: mapBytes }).index.articles).toEqual(
      small.index.articles,
    );
    const big = buildRelease(posts, { drafts: false, bucketCount: 4, articlesInIndexMax: mapBytes - 1 });
    expect(big.index).not.toHaveProperty("articles");
    // Every article is still found through its bucket, under the same record key.
    for (const post of posts) {
      const bucket = json<RouteBucket>(big.entries, big.index.buckets[bucketOf(post.meta.slug, 4)] as string);
      expect(bucket[post.meta.slug]).toBe(small.index.articles?.[post.meta.slug]);
    }
  });

  it("leaves drafts out of production builds and keeps them in preview builds", () => {
    const posts = [
      source("live", "2025-01-01T00:00:00.000Z"),
      source("wip", "2025-02-01T00:00:00.000Z", { draft: true }),
    ];
    const production = buildRelease(posts, { drafts: false });
    expect(production.posts.map((p) => p.slug)).toEqual(["live"]);
    expect([...production.entries.values()].some((v) => v.includes("wip"))).toBe(false);
    const preview = buildRelease(posts, { drafts: true });
    expect(preview.posts.map((p) => [p.slug, p.draft ?? false])).toEqual([
      ["wip", true],
      ["live", false],
    ]);
    expect(json<ReleaseIndex>(preview.entries, releaseKey(preview.id)).drafts).toBe(true);
  });

  it("refuses two posts with one slug, naming both files", () => {
    const one = source("same", "2025-01-01T00:00:00.000Z");
    const two = { ...source("same", "2025-01-02T00:00:00.000Z"), file: "content/posts/other.md" };
    expect(() => buildRelease([one, two], { drafts: false })).toThrow(ContentError);
    expect(() => buildRelease([one, two], { drafts: false })).toThrow(
      'content/posts/other.md: front matter "slug" "same" is already used by content/posts/same.md',
    );
  });

  it("fills in summary and reading time when the writer did not", () => {
    const { posts } = buildRelease(
      [source("a", "2025-01-01T00:00:00.000Z", {}, `First paragraph here.\n\n${"word ".repeat(700)}`)],
      { drafts: false },
    );
    expect(posts[0]?.summary).toBe("First paragraph here.");
    expect(posts[0]?.readingMinutes).toBe(3);
  });
});

describe("scheduled posts", () => {
  const NOW = Date.parse("2025-06-01T00:00:00Z");
  const posts = [
    source("old", "2025-01-01T00:00:00.000Z", { tags: ["x"] }),
    source("soon", "2025-06-02T00:00:00.000Z", { tags: ["x", "later"] }),
    source("later", "2025-07-01T00:00:00.000Z"),
  ];

  it("are built in, and each list records their dates, oldest first, as its tail", () => {
    const { index, posts: built, scheduled } = buildRelease(posts, { drafts: false, now: NOW });
    expect(built.map((p) => p.slug)).toEqual(["later", "soon", "old"]);
    expect(scheduled.map((p) => p.slug)).toEqual(["later", "soon"]);
    expect(index.posts).toMatchObject({
      count: 3,
      scheduled: ["2025-06-02T00:00:00.000Z", "2025-07-01T00:00:00.000Z"],
    });
    expect(index.tags.x).toMatchObject({ count: 2, scheduled: ["2025-06-02T00:00:00.000Z"] });
    expect(index.tags.later?.scheduled).toEqual(["2025-06-02T00:00:00.000Z"]);
    expect(index.tags.all?.scheduled).toEqual(["2025-07-01T00:00:00.000Z"]);
  });

  it("are the head of the newest slugs the index names for the first pages; the Worker cuts them off until out", () => {
    const { index } = buildRelease(posts, { drafts: false, now: NOW });
    expect(index.posts.newest).toEqual(["later", "soon", "old"]);
    expect(index.languages?.[""]?.newest).toEqual(["later", "soon", "old"]);
    // Tag lists carry none: a first page of a tag reads its chunk first (the index stays small).
    expect(Object.values(index.tags).some((list) => "newest" in list)).toBe(false);
    expect(publishedPart(index.posts, NOW).newest).toEqual(["old"]);
    expect(publishedPart(index.posts, Date.parse("2025-06-03T00:00:00Z")).newest).toEqual(["soon", "old"]);
    // A long list names its newest NEWEST_SLUGS, plus the scheduled ones.
    const many = Array.from({ length: 30 }, (_, i) =>
      source(`p${i}`, new Date(Date.UTC(2020, 0, 1 + i)).toISOString()),
    );
    const long = buildRelease([...many, ...posts.slice(1)], { drafts: false, now: NOW }).index.posts;
    expect(long.newest).toHaveLength(NEWEST_SLUGS + 2);
    expect(long.newest?.slice(0, 3)).toEqual(["later", "soon", "p29"]);
  });

  it("leave the index as it was when nothing is in the future", () => {
    const { index } = buildRelease(posts, { drafts: false, now: Date.parse("2030-01-01T00:00:00Z") });
    expect(index.posts).not.toHaveProperty("scheduled");
    expect(Object.values(index.tags).some((list) => "scheduled" in list)).toBe(false);
  });

  it("give the same release for the same content while the same posts are waiting", () => {
    const a = buildRelease(posts, { drafts: false, now: NOW });
    const b = buildRelease(posts, { drafts: false, now: NOW + 3_600_000 });
    expect(b.id).toBe(a.id);
  });
});

describe("aliases", () => {
  it("go into the route buckets as path -> redirect, not into the Worker", () => {
    const { index, entries } = buildRelease(
      [source("new", "2025-01-01T00:00:00.000Z", { aliases: ["/2024/01/old.html", "/posts/old-new"] })],
      { drafts: false, bucketCount: 4 },
    );
    for (const path of ["/2024/01/old.html", "/posts/old-new"]) {
      const bucket = json<RouteBucket>(entries, index.buckets[bucketOf(path, 4)] as string);
      expect(bucket[path]).toEqual({ redirect: "new", date: "2025-01-01T00:00:00.000Z" });
    }
  });

  it("of a draft are left out of production with the draft", () => {
    const { entries } = buildRelease(
      [source("wip", "2025-01-01T00:00:00.000Z", { draft: true, aliases: ["/old-wip"] })],
      { drafts: false },
    );
    expect([...entries.values()].some((v) => v.includes("/old-wip"))).toBe(false);
  });

  it.each([
    [
      "another post's slug",
      [source("a", "2025-01-01T00:00:00.000Z"), source("b", "2025-01-01T00:00:00.000Z", { aliases: ["/posts/a"] })],
      'content/posts/b.md: front matter "aliases" "/posts/a" is the address of content/posts/a.md',
    ],
    [
      "a draft's slug",
      [
        source("a", "2025-01-01T00:00:00.000Z", { draft: true }),
        source("b", "2025-01-01T00:00:00.000Z", { aliases: ["/posts/a"] }),
      ],
      '"/posts/a" is the address of content/posts/a.md',
    ],
    [
      "the post's own slug",
      [source("a", "2025-01-01T00:00:00.000Z", { aliases: ["/posts/a"] })],
      '"/posts/a" is the post\'s own address',
    ],
    [
      "another post's alias",
      [
        source("a", "2025-01-01T00:00:00.000Z", { aliases: ["/old.html"] }),
        source("b", "2025-01-01T00:00:00.000Z", { aliases: ["/old.html"] }),
      ],
      'content/posts/b.md: front matter "aliases" "/old.html" is already an alias of content/posts/a.md',
    ],
  ])("refuses an alias that is %s", (_case, sources, message) => {
    expect(() => buildRelease(sources, { drafts: false })).toThrow(ContentError);
    expect(() => buildRelease(sources, { drafts: false })).toThrow(message);
  });
});
