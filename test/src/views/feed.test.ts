import { describe, expect, it } from "vitest";
import type { PostSummary } from "../../../src/articles/record.ts";
import type { Site } from "../../../src/lib/site.ts";
import { atomFeed } from "../../../src/views/feed.ts";
import { forbiddenChars, HOSTILE, HOSTILE_SHOWN } from "../hostile.ts";
import { child, childrenNamed, parseXml } from "../xml.ts";

const ATOM = "http://www.w3.org/2005/Atom";
const site: Site = {
  title: HOSTILE,
  description: HOSTILE,
  author: HOSTILE,
  authorType: "Person",
  lang: "en",
  url: "https://blog.example/a&b'c\"",
  pageSize: 10,
};
const post = (slug: string, date: string, updated?: string): PostSummary => ({
  slug,
  title: HOSTILE,
  date,
  ...(updated && { updated }),
  tags: [HOSTILE, "케이팝"],
  summary: HOSTILE,
  readingMinutes: 1,
});
/** Attribute values are normalised by every parser: tab and newline become spaces. */
const asAttribute = (text: string) => text.replace(/[\t\n]/g, " ");

describe("atomFeed", () => {
  it("stays a well-formed Atom feed whatever the titles, summaries, tags and site settings hold", async () => {
    const posts = [
      post('<new> & "new"', "2025-05-01T00:00:00.000Z", "2025-06-01T00:00:00.000Z"),
      post("old", "2025-01-01T00:00:00.000Z"),
    ];
    const text = await atomFeed(site, posts);
    expect(forbiddenChars(text)).toEqual([]);
    const feed = parseXml(text);
    expect(feed.name).toBe("feed");
    expect(feed.uri).toBe(ATOM);
    for (const name of ["title", "subtitle"]) expect(child(feed, name).text).toBe(HOSTILE_SHOWN);
    expect(child(child(feed, "author"), "name").text).toBe(HOSTILE_SHOWN);
    expect(child(feed, "id").text).toBe(`${site.url}/`);
    expect(childrenNamed(feed, "link").map((l) => l.attributes.href)).toEqual([`${site.url}/feed.xml`, `${site.url}/`]);
    expect(child(feed, "updated").text).toBe("2025-06-01T00:00:00.000Z");

    const entries = childrenNamed(feed, "entry");
    expect(entries).toHaveLength(2);
    const [first] = entries;
    if (!first) throw new Error("no entry");
    expect(child(first, "title").text).toBe(HOSTILE_SHOWN);
    expect(child(first, "summary").text).toBe(HOSTILE_SHOWN);
    expect(child(first, "id").text).toBe(`${site.url}/posts/${encodeURIComponent('<new> & "new"')}`);
    expect(child(first, "link").attributes.href).toBe(child(first, "id").text);
    expect(childrenNamed(first, "category").map((c) => c.attributes.term)).toEqual([
      asAttribute(HOSTILE_SHOWN),
      "케이팝",
    ]);
    expect(child(first, "updated").text).toBe("2025-06-01T00:00:00.000Z");
    expect(child(entries[1] ?? first, "updated").text).toBe("2025-01-01T00:00:00.000Z");
  });

  it("carries an entry's HTML as escaped text, ids as tag: URIs when an authority is set, and a tag's feed", async () => {
    const html = `<p>${HOSTILE}</p><img src="https://blog.example/a.jpg" alt="&quot;x&quot;">`;
    const tagged: Site = { ...site, idAuthority: "blog.example,2025" };
    const text = await atomFeed(tagged, [{ ...post("a", "2025-01-01T00:00:00.000Z"), html, lang: "ko" }], {
      path: "/tags/x/feed.xml",
      pagePath: "/tags/x",
      title: "#x",
      idName: "tags/x",
    });
    expect(forbiddenChars(text)).toEqual([]);
    const feed = parseXml(text);
    expect(child(feed, "id").text).toBe("tag:blog.example,2025:tags/x");
    expect(child(feed, "title").text).toBe("#x");
    expect(childrenNamed(feed, "link").map((l) => l.attributes.href)).toEqual([
      `${site.url}/tags/x/feed.xml`,
      `${site.url}/tags/x`,
    ]);
    const [only] = childrenNamed(feed, "entry");
    if (!only) throw new Error("no entry");
    expect(only.attributes["xml:lang"]).toBe("ko");
    expect(child(only, "id").text).toBe("tag:blog.example,2025:posts/a");
    const content = child(only, "content");
    expect(content.attributes.type).toBe("html");
    expect(content.text).toBe(`<p>${HOSTILE_SHOWN}</p><img src="https://blog.example/a.jpg" alt="&quot;x&quot;">`);
  });

  it("is a valid feed with no posts", async () => {
    const feed = parseXml(await atomFeed({ ...site, title: "T" }, []));
    expect(child(feed, "updated").text).toBe("1970-01-01T00:00:00.000Z");
    expect(childrenNamed(feed, "entry")).toHaveLength(0);
  });
});
