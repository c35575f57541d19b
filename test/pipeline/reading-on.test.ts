import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Release } from "../../pipeline/assemble-release.ts";
import { readContent } from "../../pipeline/read-content.ts";
import { readingOn } from "../../pipeline/reading-on.ts";
import { buildRelease } from "../../pipeline/release.ts";
import { writeBuild } from "../../pipeline/write-build.ts";
import type { ArticleRecord, PostSummary, ReleaseIndex, RouteBucket } from "../../src/articles/record.ts";
import { bucketOf } from "../../src/articles/record.ts";
import { contentDir } from "./build-fixtures.ts";

const NOW = "2026-01-01T00:00:00.000Z";
const post = (slug: string, date: string, tags: string[], lang?: string): PostSummary => ({
  slug,
  title: slug.toUpperCase(),
  date,
  tags,
  summary: "",
  readingMinutes: 1,
  ...(lang && { lang }),
});
const slugs = (links: { slug: string }[] | undefined) => links?.map((l) => l.slug);

describe("reading on and translations", () => {
  const tr = (slug: string, lang: string, date: string) => ({ slug, lang, date });
  // "en" and "ko" tell one story (translationKey); "x" and "y" are other posts on the same tags.
  const posts = [
    post("x", "2025-01-01", ["k-pop", "live"]),
    { ...post("en", "2025-02-01", ["k-pop", "live"], "en"), translations: [tr("ko", "ko", "2025-02-01")] },
    { ...post("ko", "2025-02-01", ["k-pop", "live"], "ko"), translations: [tr("en", "en", "2025-02-01")] },
    post("y", "2025-03-01", ["k-pop", "live"]),
  ];
  const ends = readingOn(posts, NOW);

  it("steps over the article's own translation for previous and next", () => {
    expect(ends.get("en")?.next?.slug).toBe("y");
    expect(ends.get("ko")?.previous?.slug).toBe("x");
    expect(ends.get("x")?.next?.slug).toBe("en");
  });

  it("never lists the article's own translation as related", () => {
    for (const slug of ["en", "ko"]) {
      const other = slug === "en" ? "ko" : "en";
      expect(slugs(ends.get(slug)?.related)).not.toContain(other);
    }
  });
});

describe("reading on: previous, next and related posts", () => {
  // Oldest first, as the release sorts them.
  const posts = [
    post("a", "2025-01-01", ["k-pop", "live"]),
    post("b", "2025-02-01", ["k-pop"]),
    post("c", "2025-03-01", ["k-pop", "live", "seoul"]),
    post("d", "2025-04-01", ["drama"]),
    post("e", "2025-05-01", ["k-pop", "live"], "ko"),
    post("f", "2025-06-01", ["k-pop"]),
    post("g", "2025-07-01", ["k-pop", "live"]),
  ];
  const ends = readingOn(posts, NOW);

  it("links the posts published just before and after, in date order", () => {
    expect(ends.get("c")?.previous).toEqual({ slug: "b", title: "B", date: "2025-02-01" });
    expect(ends.get("c")?.next).toEqual({ slug: "d", title: "D", date: "2025-04-01" });
    expect(ends.get("a")?.previous).toBeUndefined();
    expect(ends.get("g")?.next).toBeUndefined();
    expect(ends.get("d")?.next).toEqual({ slug: "e", title: "E", date: "2025-05-01", lang: "ko" });
  });

  it("ranks related posts by tags in common, then nearness in date; never itself, its previous or its next", () => {
    // a shares k-pop+live with c, e, g (2 tags), k-pop with b, f; b is its next.
    expect(slugs(ends.get("a")?.related)).toEqual(["c", "e", "g"]);
    // c: a, e, g share 2 (b and d are its neighbours); a and e are as near: the later first.
    expect(slugs(ends.get("c")?.related)).toEqual(["e", "a", "g"]);
    // b (k-pop only): every k-pop post shares 1 tag: the nearest three, without a and c (neighbours).
    expect(slugs(ends.get("b")?.related)).toEqual(["e", "f", "g"]);
  });

  it("has no related posts for a post whose tags no other post has", () => {
    expect(ends.get("d")?.related).toEqual([]);
  });

  it("keeps scheduled posts that rank first in addition to three published ones, for the Worker to hide", () => {
    const later = [...posts, post("s1", "2026-02-01", ["k-pop", "live"]), post("s2", "2026-03-01", ["k-pop", "live"])];
    const scheduled = readingOn(later, NOW);
    // g: s1 is its next; s2 and e are as near, the later first; then c and a.
    expect(slugs(scheduled.get("g")?.related)).toEqual(["s2", "e", "c", "a"]);
    expect(scheduled.get("g")?.next?.slug).toBe("s1");
    expect(slugs(scheduled.get("a")?.related)).toEqual(["c", "e", "g"]);
  });

  it("a new post changes the blocks of the newest posts only, not of every post sharing its tags", () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      post(`p${i}`, new Date(Date.UTC(2020, 0, 1 + i)).toISOString(), ["k-pop", `t${i % 7}`]),
    );
    const before = readingOn(many, NOW);
    const after = readingOn([...many, post("new", "2025-12-01", ["k-pop", "t3"])], NOW);
    const changed = many.filter((p) => JSON.stringify(before.get(p.slug)) !== JSON.stringify(after.get(p.slug)));
    expect(changed.length).toBeLessThanOrEqual(5);
  });
});

/** Every article record of a release, by slug, as KV holds it. */
function records(release: Release): Map<string, ArticleRecord> {
  const index = JSON.parse(release.entries.get(`release:${release.id}`) ?? "") as ReleaseIndex;
  const out = new Map<string, ArticleRecord>();
  for (const { slug } of release.posts) {
    const bucket = JSON.parse(release.entries.get(index.buckets[bucketOf(slug, index.buckets.length)] ?? "") ?? "");
    const key = (bucket as RouteBucket)[slug] as string;
    out.set(slug, JSON.parse(release.entries.get(key) ?? "") as ArticleRecord);
  }
  return out;
}

describe("reading on in the release", () => {
  it("stores each article's block in its record, the same whether the record came from the render cache or not", async () => {
    const files = {
      "posts/a.md": "---\ntitle: A\ndate: 2025-01-01\ntags: [x]\n---\nA.\n",
      "posts/b.md": "---\ntitle: B\ndate: 2025-02-01\ntags: [x]\n---\nB.\n",
      "posts/c.md": "---\ntitle: C\ndate: 2025-03-01\ntags: [x, y]\n---\nC.\n",
      "posts/d.md": "---\ntitle: D\ndate: 2025-04-01\ntags: [x, y]\n---\nD.\n",
    };
    const content = await contentDir(files);
    const out = await mkdtemp(join(tmpdir(), "out-"));
    const build = () =>
      writeBuild({
        contentDir: content,
        outDir: out,
        releaseModule: join(out, "r.ts"),
        drafts: false,
        cacheDir: join(out, "cache"),
      });
    const cold = await build();
    const warm = await build();
    expect(warm.render.reused).toBe(4);
    const direct = buildRelease(await readContent(content), { drafts: false });
    expect(warm.release.id).toBe(cold.release.id);
    expect(direct.id).toBe(cold.release.id);
    const a = records(warm.release).get("a");
    expect(a?.readingOn).toEqual({
      next: { slug: "b", title: "B", date: "2025-02-01T00:00:00.000Z" },
      related: [
        { slug: "c", title: "C", date: "2025-03-01T00:00:00.000Z" },
        { slug: "d", title: "D", date: "2025-04-01T00:00:00.000Z" },
      ],
    });
    // The record is otherwise as rendered: the reading-on block is its last field.
    expect(Object.keys(a ?? {}).at(-1)).toBe("readingOn");
    expect(records(warm.release)).toEqual(records(direct));
  });

  it("writes the archive: every listed post as a link, oldest first, its key in the index", async () => {
    const content = await contentDir({
      "posts/new.md": "---\ntitle: Newer\ndate: 2025-03-01\nlang: ko\n---\nN.\n",
      "posts/old.md": "---\ntitle: Older\ndate: 2024-12-31\n---\nO.\n",
      "posts/draft.md": "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\nD.\n",
    });
    const release = buildRelease(await readContent(content), { drafts: false });
    expect(release.index.archive).toMatch(/^archive:[0-9a-f]{32}$/);
    expect(JSON.parse(release.entries.get(release.index.archive) ?? "")).toEqual([
      { slug: "old", title: "Older", date: "2024-12-31T00:00:00.000Z" },
      { slug: "new", title: "Newer", date: "2025-03-01T00:00:00.000Z", lang: "ko" },
    ]);
  });
});
