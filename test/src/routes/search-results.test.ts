import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RELEASE } from "../../../src/generated/release.ts";
import { ftsQuery, likePattern } from "../../../src/search/query.ts";
import { likeSql, matchSql } from "../../../src/search/store.ts";
import { elementsOf, textOf } from "../helpers.ts";
import { results, search } from "./search-requests.ts";

// What a search result shows (issue 17): snippets of the rendered text, every spelling of K-pop,
// title matches first, the count, the post's language, and the D1 work it costs.

/** The stored text of a post of this release, as the snippet is cut from it. */
async function bodyOf(link: string): Promise<string> {
  const slug = decodeURIComponent(link.replace("/posts/", ""));
  const row = await env.DB.prepare(
    "SELECT d.body FROM search_docs d JOIN search_release_docs m ON m.doc = d.doc WHERE m.release = ?1 AND d.slug = ?2",
  )
    .bind(RELEASE, slug)
    .first<{ body: string }>();
  return row?.body ?? "";
}

/** A snippet's words as shown: without the ellipses and the dots that join blocks. */
const wordsOf = (snippet: string) =>
  snippet
    .replace(/^…|…$/g, "")
    .split(/\s+/)
    .filter((word) => word !== "" && word !== "·");

describe("snippets", () => {
  it.each(["pyongyang", "jong-un", "north korea", "markdown", "서태지", "kpop"])(
    "for %j: about 25-30 whole words of the article's text, no Markdown, no code",
    async (q) => {
      const { links, html } = await results(await search(q));
      const snippets = await textOf(html, ".snippet");
      expect(snippets.length).toBeGreaterThan(0);
      for (const [i, snippet] of snippets.entries()) {
        const words = wordsOf(snippet);
        expect(words.length).toBeGreaterThanOrEqual(25);
        expect(words.length).toBeLessThanOrEqual(30);
        // Every word shown is a whole word of the text: none is cut, none is made up.
        const text = new Set((await bodyOf(links[i] ?? "")).split(/\s+/));
        for (const word of words) expect(text, `${word} in ${snippet}`).toContain(word);
        for (const raw of ["**", "```", "---", "[ ", " ,", " :", "title:", "tags:"]) expect(snippet).not.toContain(raw);
      }
      expect((await textOf(html, ".snippet mark")).length).toBeGreaterThan(0);
    },
  );

  it("never come from a code block: the sample post's front matter example is not searched", async () => {
    for (const q of ["My first concert", "concerts", "lightsticks came on"])
      expect((await results(await search(q))).titles).toEqual([]);
  });
});

describe("spellings", () => {
  const KPOP_POSTS = [
    "/posts/kpop-in-north-korea",
    "/posts/welcome-to-our-kpop",
    `/posts/${encodeURIComponent("케이팝이란")}`,
    `/posts/${encodeURIComponent("북한의-케이팝")}`,
  ];

  it.each(["kpop", "k pop", "K-Pop", "k-pop", "KPOP", "K\u2011pop", "케이팝"])(
    "%j finds the 4 posts about K-pop, and says how many",
    async (q) => {
      const { links, html } = await results(await search(q));
      expect([...links].sort()).toEqual([...KPOP_POSTS].sort());
      expect(await textOf(html, ".result-count")).toEqual([`4 posts match “${q}”.`]);
      // The spelling each post uses is what is marked.
      expect((await textOf(html, ".snippet mark")).some((m) => /k-pop|케이팝/i.test(m))).toBe(true);
    },
  );

  it("finds a hyphenated word without its hyphen, and with it", async () => {
    for (const q of ["jongun", "Jong-un", "livestreamed", "inter-korean"])
      expect((await results(await search(q))).links).toEqual(["/posts/kpop-in-north-korea"]);
  });
});

describe("results", () => {
  const docs = [
    ["rank-title", "Zebracorn field notes", "", "Nothing about it in the text at all.", "2020-01-01"],
    ["rank-body", "A long day", "", "zebracorn zebracorn zebracorn, and a zebracorn again.", "2024-01-01"],
    ["rank-summary", "Another day", "All about zebracorns.", "Nothing here either.", "2024-06-01"],
    ["rank-short-title", "zq tips", "", "Plain.", "2019-01-01"],
    ["rank-short-summary", "Other tips", "zq in the summary.", "Plain.", "2024-01-01"],
  ] as const;
  beforeAll(async () => {
    const statements = docs.flatMap(([slug, title, summary, body, date]) => [
      env.DB.prepare(
        "INSERT INTO search_docs (doc, slug, date, published_at, title, summary, tags, body) VALUES (?1, ?1, ?2, ?3, ?4, ?5, '', ?6)",
      ).bind(slug, date, Date.parse(date), title, summary, body),
      env.DB.prepare("INSERT INTO search_release_docs (release, doc) VALUES (?1, ?2)").bind(RELEASE, slug),
    ]);
    await env.DB.batch(statements);
  });
  afterAll(async () => {
    const slugs = JSON.stringify(docs.map(([slug]) => slug));
    await env.DB.batch([
      env.DB.prepare("DELETE FROM search_release_docs WHERE doc IN (SELECT value FROM json_each(?1))").bind(slugs),
      env.DB.prepare("DELETE FROM search_docs WHERE doc IN (SELECT value FROM json_each(?1))").bind(slugs),
    ]);
  });

  it("rank posts whose title matches above posts whose text alone does, and count them", async () => {
    const { links, html } = await results(await search("zebracorn"));
    expect(links[0]).toBe("/posts/rank-title");
    expect([...links].sort()).toEqual(["/posts/rank-body", "/posts/rank-summary", "/posts/rank-title"]);
    expect(await textOf(html, ".result-count")).toEqual(["3 posts match “zebracorn”."]);
  });

  it("rank a title match first for short words too (LIKE), before newer posts", async () => {
    const { links } = await results(await search("zq"));
    expect(links).toEqual(["/posts/rank-short-title", "/posts/rank-short-summary"]);
  });

  it("show the summary when only the title or summary matches", async () => {
    const { links, html } = await results(await search("zebracorns"));
    expect(links).toEqual(["/posts/rank-summary"]);
    expect(await textOf(html, ".snippet")).toEqual(["All about zebracorns."]);
  });

  it("say 1 post in the singular, and nothing to count when nothing matches", async () => {
    expect(await textOf((await results(await search("pyongyang"))).html, ".result-count")).toEqual([
      "1 post matches “pyongyang”.",
    ]);
    expect(await textOf((await results(await search("zzzyyyxxx"))).html, ".result-count")).toEqual([]);
  });

  it("carry the post's language: lang=ko on a Korean post's title and snippet, none when the post gives none", async () => {
    const ko = (await results(await search("서태지"))).html;
    expect(await elementsOf(ko, 'h2[lang="ko"] a')).toHaveLength(1);
    expect(await elementsOf(ko, '.snippet[lang="ko"]')).toHaveLength(1);
    const en = (await results(await search("pyongyang"))).html;
    expect(await elementsOf(en, '[lang="ko"]')).toEqual([]);
    const none = (await results(await search("zebracorn"))).html;
    expect(await elementsOf(none, "ol.post-list [lang]")).toEqual([]);
  });
});

describe("D1 work per search", () => {
  const rowsRead = async (sql: string, values: unknown[]) =>
    (
      await env.DB.prepare(sql)
        .bind(...values)
        .run()
    ).meta.rows_read;

  // Per match: its index row, document and membership, its place in the ranking's sort and in the
  // count (a window); per result shown: its row read whole. The short-word path reads every
  // membership and document of the release.
  const bound = (visited: number, shown: number) => 6 * visited + 2 * shown + 1;

  it("reads each match a few times and the page's rows once more: never the whole table", async () => {
    const kpop = await rowsRead(matchSql([]), [ftsQuery([["kpop", "k pop", "케이팝"]]), RELEASE, Date.now(), 11, 0]);
    const one = await rowsRead(matchSql([]), [ftsQuery([["pyongyang"]]), RELEASE, Date.now(), 11, 0]);
    const short = await rowsRead(likeSql([1]), [RELEASE, Date.now(), 11, 0, likePattern("k")]);
    console.log(`search rows_read: kpop (4 matches) ${kpop}, pyongyang (1 match) ${one}, "k" (LIKE, 4 posts) ${short}`);
    expect(kpop).toBeLessThanOrEqual(bound(4, 4));
    expect(one).toBeLessThanOrEqual(bound(1, 1));
    expect(short).toBeLessThanOrEqual(bound(4, 4));
  });
});
