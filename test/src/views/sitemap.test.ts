import { describe, expect, it } from "vitest";
import { sitemapIndex, urlSet } from "../../../src/views/sitemap.ts";
import { forbiddenChars, HOSTILE, HOSTILE_SHOWN } from "../hostile.ts";
import { childrenNamed, parseXml } from "../xml.ts";

const SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9";
const text = (element: { children: { name: string; text: string }[] }, name: string) =>
  element.children.filter((c) => c.name === name).map((c) => c.text);

describe("sitemapIndex and urlSet", () => {
  it("stay well-formed sitemaps whatever the addresses hold", async () => {
    const index = await sitemapIndex([`${HOSTILE}/sitemaps/pages.xml`, "https://blog.example/?a=1&b=2"]);
    expect(forbiddenChars(index)).toEqual([]);
    const root = parseXml(index);
    expect([root.name, root.uri]).toEqual(["sitemapindex", SITEMAP]);
    expect(childrenNamed(root, "sitemap").flatMap((s) => text(s, "loc"))).toEqual([
      `${HOSTILE_SHOWN}/sitemaps/pages.xml`,
      "https://blog.example/?a=1&b=2",
    ]);

    const set = await urlSet([
      { loc: HOSTILE, lastmod: "2025-05-20T00:00:00.000Z" },
      { loc: "https://blog.example/'\"" },
    ]);
    expect(forbiddenChars(set)).toEqual([]);
    const urls = childrenNamed(parseXml(set), "url");
    expect(urls.map((u) => text(u, "loc"))).toEqual([[HOSTILE_SHOWN], ["https://blog.example/'\""]]);
    expect(urls.map((u) => text(u, "lastmod"))).toEqual([["2025-05-20T00:00:00.000Z"], []]);
  });

  it("are valid with nothing in them", async () => {
    expect(parseXml(await urlSet([])).children).toEqual([]);
    expect(parseXml(await sitemapIndex([])).children).toEqual([]);
  });
});
