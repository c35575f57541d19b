import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  type ArticleRecord,
  bucketOf,
  type ReleaseIndex,
  type RouteBucket,
  releaseKey,
} from "../../../src/articles/record.ts";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { RELEASE } from "../../../src/generated/release.ts";
import { pages } from "../../../src/index.ts";
import { get } from "../fetch.ts";
import { child, childrenNamed, feedOf, parseXml } from "../xml.ts";

const ORIGIN = "http://localhost:8787";
const EN = "/posts/kpop-in-north-korea";
const KO_SLUG = "북한의-케이팝";
const KO = `/posts/${encodeURIComponent(KO_SLUG)}`;

/** KV calls a response reports in Server-Timing. */
const kvCalls = (res: Response): number =>
  Number(/kv;dur=[\d.]+;desc="(\d+) calls"/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? Number.NaN);

beforeEach(async () => {
  forgetPages();
  await Promise.all(
    ["/ko", "/en", "/ko/feed.xml", EN, KO].map((p) => caches.default.delete(pages.keyOf(`${ORIGIN}${p}`))),
  );
});

describe("a post and its translation", () => {
  it("each carry hreflang alternates for every member and x-default, and og:locale:alternate for the other", async () => {
    for (const [path, other] of [
      [EN, "ko_KR"],
      [KO, "en_US"],
    ] as const) {
      const html = await (await get(path)).text();
      expect(html).toContain(`<link rel="alternate" hreflang="en" href="${ORIGIN}${EN}"/>`);
      expect(html).toContain(`<link rel="alternate" hreflang="ko" href="${ORIGIN}${KO}"/>`);
      // The site is in English: the English post is the one for readers of any other language.
      expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${ORIGIN}${EN}"/>`);
      expect(html).toContain(`<meta property="og:locale:alternate" content="${other}"/>`);
      expect(html.match(/hreflang=/g)?.length, path).toBe(3 + 1);
    }
  });

  it("link each other with a switcher: plain links, each language named in itself and marked with its lang", async () => {
    const en = await (await get(EN)).text();
    expect(en).toContain(
      `<nav class="meta languages" aria-label="Languages"><span aria-current="page" lang="en">English</span> <a href="${KO}" hreflang="ko" lang="ko">한국어</a></nav>`,
    );
    const ko = await (await get(KO)).text();
    expect(ko.startsWith('<!DOCTYPE html><html lang="ko">')).toBe(true);
    expect(ko).toContain(
      `<nav class="meta languages" aria-label="언어"><a href="${EN}" hreflang="en" lang="en">English</a> <span aria-current="page" lang="ko">한국어</span></nav>`,
    );
    // The translation says it is one, linking the original.
    expect(ko).toContain(`이 글은 영어로 쓴 원문 「<a href="${EN}">`);
  });

  it("are the only posts with alternates: a post without a set has none, and no switcher", async () => {
    const html = await (await get("/posts/welcome-to-our-kpop")).text();
    expect(html).not.toContain("hreflang");
    expect(html).not.toContain('class="meta languages"');
  });

  it("hide a translation that is still scheduled (the Worker's clock), and show it from its date", async () => {
    const index = (await env.CONTENT.get<ReleaseIndex>(releaseKey(RELEASE), "json")) as ReleaseIndex;
    const bucket = (await env.CONTENT.get<RouteBucket>(
      index.buckets[bucketOf("kpop-in-north-korea", index.buckets.length)] as string,
      "json",
    )) as RouteBucket;
    const key = bucket["kpop-in-north-korea"] as string;
    const original = (await env.CONTENT.get(key)) as string;
    const record = JSON.parse(original) as ArticleRecord;
    const later = {
      ...record,
      translations: record.translations?.map((t) => ({ ...t, date: "2999-01-01T00:00:00.000Z" })),
    };
    try {
      await env.CONTENT.put(key, JSON.stringify(later));
      forgetContent();
      const html = await (await get(EN)).text();
      expect(html).not.toContain("hreflang");
      expect(html).not.toContain('class="meta languages"');
    } finally {
      await env.CONTENT.put(key, original);
      forgetContent();
      forgetPages();
    }
  });
});

describe("per-language lists", () => {
  it("/ko lists the Korean posts only, newest first, with a Korean interface", async () => {
    const res = await get("/ko");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-language")).toBe("ko");
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html><html lang="ko">')).toBe(true);
    expect(html).toContain("<title>한국어 글 - OUR K-POP</title>");
    expect(html).toContain(`<link rel="canonical" href="${ORIGIN}/ko"/>`);
    expect(html).toContain(`href="${ORIGIN}/ko/feed.xml"`);
    expect(html.indexOf(KO)).toBeGreaterThan(0);
    expect(html.indexOf(KO)).toBeLessThan(html.indexOf(`/posts/${encodeURIComponent("케이팝이란")}`));
    expect(html).not.toContain(`href="${EN}"`);
    expect(html).not.toContain("/posts/welcome-to-our-kpop");
    expect(html).toContain('<a href="/">전체 글</a>');
    expect(html).toContain('<span aria-current="page" lang="ko">한국어</span>');
    expect(html).toContain('<a href="/en" hreflang="en" lang="en">English</a>');
  });

  it("/en lists the English ones, and the home page links both lists", async () => {
    const html = await (await get("/en")).text();
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain("<h1>Posts in English</h1>");
    expect(html).toContain(`href="${EN}"`);
    expect(html).toContain('href="/posts/welcome-to-our-kpop"');
    expect(html).not.toContain(KO);
    const home = await (await get("/")).text();
    expect(home).toContain('<span aria-current="page">All posts</span>');
    expect(home).toContain('<a href="/ko" hreflang="ko" lang="ko">한국어</a>');
  });

  it("answer 404 for a language with no posts, a page past the end or a malformed one; redirect /ko/ and /ko/page/1", async () => {
    for (const path of ["/fr", "/fr/feed.xml", "/ko/page/2", "/ko/page/0", "/ko/page/x", "/kor", "/KO"]) {
      expect((await get(path)).status, path).toBe(404);
    }
    const slash = await get("/ko/");
    expect(slash.status).toBe(301);
    expect(slash.headers.get("location")).toBe("/ko");
    const first = await get("/ko/page/1");
    expect(first.status).toBe(301);
    expect(first.headers.get("location")).toBe("/ko");
    expect((await get("/ko", { method: "POST" })).status).toBe(405);
  });

  it("are cached each under its own key: a hit reads nothing, and the query does not make another page", async () => {
    forgetContent();
    const miss = await get("/ko");
    expect(miss.headers.get("cache-status")).toContain("stored");
    expect(kvCalls(miss)).toBeGreaterThan(0);
    const body = await miss.text();
    const hit = await get("/ko");
    expect(hit.headers.get("cache-status")).toMatch(/hit/);
    expect(kvCalls(hit)).toBe(0);
    expect(await hit.text()).toBe(body);
    expect(pages.keyOf(`${ORIGIN}/ko?lang=en&utm_source=x`)).toBe(pages.keyOf(`${ORIGIN}/ko`));
    expect(pages.keyOf(`${ORIGIN}/en`)).not.toBe(pages.keyOf(`${ORIGIN}/ko`));
    const en = await get("/en");
    expect(en.headers.get("cache-status")).toContain("miss");
    expect(await en.text()).not.toBe(body);
  });
});

describe("feeds and sitemaps", () => {
  it("/ko/feed.xml is the Korean posts' Atom feed, in Korean, each entry with its xml:lang", async () => {
    const res = await get("/ko/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const { feed, entries } = await feedOf(res);
    expect(feed.attributes["xml:lang"]).toBe("ko");
    expect(child(feed, "title").text).toBe("OUR K-POP (한국어)");
    expect(childrenNamed(feed, "link").map((l) => l.attributes.href)).toEqual([
      `${ORIGIN}/ko/feed.xml`,
      `${ORIGIN}/ko`,
    ]);
    expect(entries.map((e) => e.link)).toEqual([
      `${ORIGIN}${KO}`,
      `${ORIGIN}/posts/${encodeURIComponent("케이팝이란")}`,
    ]);
    expect(entries.map((e) => e.lang)).toEqual(["ko", "ko"]);
    const en = await feedOf(await get("/en/feed.xml"));
    expect(en.entries.map((e) => e.lang)).toEqual(["en", "en"]);
  });

  it("an entry with translations links each of them with its hreflang, after its own link", async () => {
    const { feed } = await feedOf(await get("/feed.xml"));
    const entry = childrenNamed(feed, "entry").find((e) => child(e, "title").text.startsWith("K-pop in North Korea"));
    expect(childrenNamed(entry as never, "link").map((l) => [l.attributes.hreflang, l.attributes.href])).toEqual([
      [undefined, `${ORIGIN}${EN}`],
      ["ko", `${ORIGIN}${KO}`],
    ]);
  });

  it("the posts sitemap gives each member of a set every member and x-default as xhtml:link", async () => {
    const urlset = parseXml(await (await get("/sitemaps/posts-1.xml")).text());
    const links = (loc: string) => {
      const url = childrenNamed(urlset, "url").find((u) => child(u, "loc").text === loc);
      return childrenNamed(url as never, "xhtml:link").map((l) => `${l.attributes.hreflang} ${l.attributes.href}`);
    };
    const set = [`en ${ORIGIN}${EN}`, `ko ${ORIGIN}${KO}`, `x-default ${ORIGIN}${EN}`];
    expect(links(`${ORIGIN}${EN}`).sort()).toEqual(set);
    expect(links(`${ORIGIN}${KO}`).sort()).toEqual(set);
    expect(links(`${ORIGIN}/posts/welcome-to-our-kpop`)).toEqual([]);
    const url = childrenNamed(urlset, "url").find((u) => child(u, "loc").text === `${ORIGIN}${EN}`);
    expect(url && childrenNamed(url, "xhtml:link")[0]?.uri).toBe("http://www.w3.org/1999/xhtml");
  });
});

afterAll(() => {
  forgetContent();
  forgetPages();
});
