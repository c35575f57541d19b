import { describe, expect, it } from "vitest";
import { ContentError } from "../../pipeline/content-error.ts";
import { type FrontMatter, parsePost } from "../../pipeline/front-matter.ts";
import { buildRelease, type SourcePost } from "../../pipeline/release.ts";
import { pairOf, pairValue, withReadingOn } from "../../pipeline/release-entries.ts";
import type { ArticleRecord, ChunkedList, PostSummary, RouteBucket } from "../../src/articles/record.ts";
import { bucketOf } from "../../src/articles/record.ts";

function source(slug: string, date: string, extra: Partial<FrontMatter> = {}): SourcePost {
  return {
    file: `content/posts/${slug}.md`,
    meta: { title: `Title ${slug}`, slug, date, tags: ["all"], draft: false, ...extra },
    body: `Text of ${slug}.`,
    sourceHash: `hash-${slug}`,
  };
}

const json = <T>(entries: Map<string, string>, key: string): T => JSON.parse(entries.get(key) ?? "null") as T;

function recordOf(release: ReturnType<typeof buildRelease>, slug: string): ArticleRecord {
  const bucket = json<RouteBucket>(release.entries, release.index.buckets[bucketOf(slug, 64)] as string);
  return json<ArticleRecord>(release.entries, bucket[slug] as string);
}

const listOf = (release: ReturnType<typeof buildRelease>, list: ChunkedList | undefined): PostSummary[] =>
  (list?.chunks ?? []).flatMap((key) => json<PostSummary[]>(release.entries, key));

const pair = [
  source("story", "2025-05-20T00:00:00.000Z", { lang: "en", translationKey: "story" }),
  source("이야기", "2025-05-22T00:00:00.000Z", { lang: "ko-KR", translationKey: "story" }),
  source("alone", "2025-05-21T00:00:00.000Z", { lang: "en" }),
];

describe("translationKey in front matter", () => {
  it("is read as text, and needs the post's lang", () => {
    const { meta } = parsePost("a.md", "---\ntitle: T\ndate: 2025-01-01\nlang: ko\ntranslationKey: story\n---\n", "a");
    expect(meta.translationKey).toBe("story");
    expect(() =>
      parsePost("content/posts/a.md", "---\ntitle: T\ndate: 2025-01-01\ntranslationKey: story\n---\n", "a"),
    ).toThrow('content/posts/a.md: front matter "translationKey" needs the post\'s lang');
  });
});

describe("translation sets", () => {
  it("give each member's record and list summaries the other members, and nothing to a post without a set", () => {
    const release = buildRelease(pair, { drafts: false });
    expect(recordOf(release, "story").translations).toEqual([
      { slug: "이야기", lang: "ko-KR", date: "2025-05-22T00:00:00.000Z" },
    ]);
    expect(recordOf(release, "이야기").translations).toEqual([
      { slug: "story", lang: "en", date: "2025-05-20T00:00:00.000Z" },
    ]);
    expect(recordOf(release, "alone")).not.toHaveProperty("translations");
    // readingOn stays the record's last field.
    expect(Object.keys(recordOf(release, "story")).slice(-2)).toEqual(["translations", "readingOn"]);
    const home = listOf(release, release.index.posts);
    expect(home.find((p) => p.slug === "story")?.translations?.[0]?.slug).toBe("이야기");
    expect(home.find((p) => p.slug === "alone")).not.toHaveProperty("translations");
  });

  it("leave out a member that is a draft in a production build (and link it in a preview)", () => {
    const withDraft = [pair[0], { ...pair[1], meta: { ...pair[1]?.meta, draft: true } }] as SourcePost[];
    expect(recordOf(buildRelease(withDraft, { drafts: false }), "story")).not.toHaveProperty("translations");
    expect(recordOf(buildRelease(withDraft, { drafts: true }), "story").translations).toHaveLength(1);
  });

  it.each([
    [
      "a key used twice in one language (ko and ko-KR are one)",
      [...pair, source("또", "2025-05-23T00:00:00.000Z", { lang: "ko", translationKey: "story" })],
      'content/posts/또.md: front matter "translationKey" "story" is already the key of content/posts/이야기.md, also in ko',
    ],
    [
      "a key no other post has (a misspelling, or a translation not written yet)",
      [pair[0], source("이야기", "2025-05-22T00:00:00.000Z", { lang: "ko", translationKey: "stroy" })],
      'content/posts/story.md: front matter "translationKey" "story" is the key of no other post',
    ],
  ])("refuse %s, naming the file", (_, sources, message) => {
    expect(() => buildRelease(sources as SourcePost[], { drafts: false })).toThrow(ContentError);
    expect(() => buildRelease(sources as SourcePost[], { drafts: false })).toThrow(message);
  });

  it("keep the keys of records without a set as they were, and splice a cached record's bytes the same as its JSON", () => {
    const record = '{"slug":"a","html":"<p>\\"x\\"</p>"}';
    const end = { related: [] };
    const set = [{ slug: "b", lang: "ko", date: "2025-01-01T00:00:00.000Z" }];
    const fromJson = withReadingOn("article:k", record, end, set);
    const fromBytes = withReadingOn("article:k", () => pairOf("article:k", record), end, set);
    expect(fromBytes.key).toBe(fromJson.key);
    expect(new TextDecoder().decode(fromBytes.pair())).toBe(new TextDecoder().decode(fromJson.pair()));
    expect(JSON.parse(pairValue(fromJson.pair()))).toEqual({
      ...JSON.parse(record),
      translations: set,
      readingOn: end,
    });
    expect(withReadingOn("article:k", record, end, []).key).toBe(withReadingOn("article:k", record, end).key);
  });
});

describe("per-language lists", () => {
  it("hold each language's posts under its primary subtag, oldest first", () => {
    const release = buildRelease(pair, { drafts: false });
    expect(Object.keys(release.index.languages ?? {})).toEqual(["en", "ko"]);
    expect(listOf(release, release.index.languages?.en).map((p) => p.slug)).toEqual(["story", "alone"]);
    expect(listOf(release, release.index.languages?.ko).map((p) => p.slug)).toEqual(["이야기"]);
    expect(release.index.withUnmarked).toBeUndefined();
  });

  it("keep posts naming no language under '', and add them to each language's list for the site of that language", () => {
    const release = buildRelease([...pair, source("plain", "2025-05-24T00:00:00.000Z")], { drafts: false });
    expect(listOf(release, release.index.languages?.[""]).map((p) => p.slug)).toEqual(["plain"]);
    expect(listOf(release, release.index.withUnmarked?.en).map((p) => p.slug)).toEqual(["story", "alone", "plain"]);
    expect(listOf(release, release.index.withUnmarked?.ko).map((p) => p.slug)).toEqual(["이야기", "plain"]);
  });

  it("record their scheduled tail like every list", () => {
    const release = buildRelease(pair, { drafts: false, now: Date.parse("2025-05-21T12:00:00.000Z") });
    expect(release.index.languages?.ko?.scheduled).toEqual(["2025-05-22T00:00:00.000Z"]);
    expect(release.index.languages?.en?.scheduled).toBeUndefined();
  });

  it("are the blog's own addresses: an alias the list, its pages or its feed answer is refused, naming the file", () => {
    const withAlias = (alias: string) => [
      ...pair,
      source("old", "2025-01-01T00:00:00.000Z", { lang: "en", aliases: [alias] }),
    ];
    for (const alias of ["/ko", "/ko?lang=ko", "/ko/page", "/ko/page/2", "/ko/feed.xml", "/KO/feed.xml", "/en"])
      expect(() => buildRelease(withAlias(alias), { drafts: false }), alias).toThrow(
        `content/posts/old.md: front matter "aliases" "${alias}" is an address of /${alias.slice(1, 3).toLowerCase()}`,
      );
    // Other addresses under /ko are no route of the blog: old addresses (WordPress with Polylang's /ko/2025/05/post/).
    for (const alias of ["/ko/old.html", "/ko/2025/05/02/old", "/ko/feed.xml.old", "/fr/page/2"])
      expect(buildRelease(withAlias(alias), { drafts: false }).index.posts.count, alias).toBe(4);
  });
});
