/**
 * The feed a page offers is its reader's language's: a Korean post on the English site, and
 * `/ko`, link `/ko/feed.xml` from the header and the footer and list it first in the head, the
 * site's feed after it; an English page on a Korean site likewise gets `/en/feed.xml`. Only a
 * language with posts out has a feed to offer.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Site, siteOf } from "../../../src/lib/site.ts";
import { languageFeed } from "../../../src/views/translations.tsx";
import { get } from "../fetch.ts";
import { elementsOf, fetchApp, freshIp, SLUG } from "../helpers.ts";

const ORIGIN = "http://localhost:8787";
const KO_SLUG = "북한의-케이팝";
const KO = `/posts/${encodeURIComponent(KO_SLUG)}`;
const EN = `/posts/${SLUG}`;
const KOREAN_SITE = { SITE_LANG: "ko" };

const attrs = (element: { attributes: [string, string][] } | undefined) =>
  Object.fromEntries(element?.attributes ?? []);

/** What a page offers as feeds: the header's and the footer's links, and the head's Atom alternates (title and address). */
async function feedsOf(res: Response) {
  expect(res.status).toBe(200);
  const html = await res.text();
  const href = async (selector: string) => (await elementsOf(html, selector)).map((a) => attrs(a).href);
  const alternates = await elementsOf(html, 'head link[rel="alternate"][type="application/atom+xml"]');
  return {
    header: await href(".site-header nav a[href$='.xml']"),
    footer: await href(".site-footer a[href$='.xml']"),
    // Comment feeds are an article's own; the post feeds are what this is about.
    head: alternates
      .map(attrs)
      .filter((a) => !a.href?.endsWith("comments.xml"))
      .map((a) => `${a.title} ${a.href}`),
  };
}

describe("the feed a page offers", () => {
  it("is /ko/feed.xml on a Korean post of the English site, the site's feed still in the head", async () => {
    expect(await feedsOf(await get(KO))).toEqual({
      header: ["/ko/feed.xml"],
      footer: ["/ko/feed.xml"],
      head: [`OUR K-POP (한국어) ${ORIGIN}/ko/feed.xml`, `OUR K-POP ${ORIGIN}/feed.xml`],
    });
    expect((await get("/ko/feed.xml")).status).toBe(200);
  });

  it("is the site's on a post in the site's language", async () => {
    expect(await feedsOf(await get(EN))).toEqual({
      header: ["/feed.xml"],
      footer: ["/feed.xml"],
      head: [`OUR K-POP ${ORIGIN}/feed.xml`],
    });
  });

  it("is /ko/feed.xml on /ko and its later pages", async () => {
    const paged = { PAGE_SIZE: "1" };
    for (const res of [await get("/ko"), await fetchApp("/ko/page/2", {}, paged)]) {
      expect(await feedsOf(res)).toEqual({
        header: ["/ko/feed.xml"],
        footer: ["/ko/feed.xml"],
        head: [`OUR K-POP (한국어) ${ORIGIN}/ko/feed.xml`, `OUR K-POP ${ORIGIN}/feed.xml`],
      });
    }
  });

  it("stays the Korean feed on a Korean post's refused comment (the page the form comes back on)", async () => {
    const res = await fetchApp(`${KO}/comments`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "cf-connecting-ip": freshIp(),
        origin: "http://localhost",
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({ name: "", body: "" }),
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect((await elementsOf(html, ".site-header nav a[href$='.xml']")).map((a) => attrs(a).href)).toEqual([
      "/ko/feed.xml",
    ]);
  });

  it("is /en/feed.xml on English pages of a Korean site, and the site's on its Korean ones", async () => {
    const english = await feedsOf(await fetchApp(EN, {}, KOREAN_SITE));
    expect(english).toEqual({
      header: ["/en/feed.xml"],
      footer: ["/en/feed.xml"],
      head: [`OUR K-POP (English) ${ORIGIN}/en/feed.xml`, `OUR K-POP ${ORIGIN}/feed.xml`],
    });
    expect((await fetchApp("/en", {}, KOREAN_SITE)).status).toBe(200);
    expect(await feedsOf(await fetchApp("/en", {}, KOREAN_SITE))).toEqual(english);
    expect(await feedsOf(await fetchApp(KO, {}, KOREAN_SITE))).toEqual({
      header: ["/feed.xml"],
      footer: ["/feed.xml"],
      head: [`OUR K-POP ${ORIGIN}/feed.xml`],
    });
  });

  it("is only a language's that has posts out, by its primary subtag", () => {
    const site: Site = { ...siteOf(env), title: "Blog", lang: "en-US" };
    expect(languageFeed(site, "ko-KR", ["en", "ko"])).toEqual({ title: "Blog (한국어)", path: "/ko/feed.xml" });
    expect(languageFeed(site, "fr", ["en", "ko"])).toBeUndefined();
    expect(languageFeed(site, "en-GB", ["en", "ko"])).toBeUndefined();
    expect(languageFeed(site, undefined, ["en", "ko"])).toBeUndefined();
  });
});
