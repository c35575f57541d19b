import { describe, expect, it } from "vitest";
import { forgetContent } from "../../../src/articles/store.ts";
import { get } from "../fetch.ts";
import { fetchApp } from "../helpers.ts";
import { forbiddenChars, HOSTILE, HOSTILE_SHOWN } from "../hostile.ts";
import { child, childrenNamed, feedOf, parseXml } from "../xml.ts";

/** Site settings that hand-built XML would break on (the page cache off: these are not the site's pages). */
const HOSTILE_SITE = {
  SITE_TITLE: HOSTILE,
  SITE_DESCRIPTION: HOSTILE,
  SITE_AUTHOR: HOSTILE,
  SITE_URL: "https://blog.example/a&b'c\"<d>",
  PAGE_CACHE: "off",
};

const ORIGIN = "http://localhost:8787";
const IDS = "tag:ourkpop.example,2025";
const KO = encodeURIComponent("케이팝이란");

describe("GET /feed.xml", () => {
  it("is an Atom feed of the newest posts with absolute links", async () => {
    const res = await get("/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')).toBe(
      true,
    );
    expect(xml).toContain("<title>OUR K-POP</title>");
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="http://localhost:8787/feed.xml"/>');
    expect(xml).toContain("<updated>2025-05-20T00:00:00.000Z</updated>");
    expect(xml.match(/<entry[ >]/g)).toHaveLength(4);
    expect(xml).toContain(`<id>${IDS}:feed</id>`);
    expect(xml).toContain(`<id>${IDS}:posts/kpop-in-north-korea</id>`);
    expect(xml).toContain(`<id>${IDS}:posts/${KO}</id>`);
    expect(xml).toContain('<category term="한국어"/>');
    expect(xml.indexOf("kpop-in-north-korea")).toBeLessThan(xml.indexOf("welcome-to-our-kpop"));
  });

  it("carries each post's whole text as HTML, its links and images absolute, its language marked", async () => {
    const { entries } = await feedOf(await get("/feed.xml"));
    expect(entries.map((e) => e.content?.attributes.type)).toEqual(["html", "html", "html", "html"]);
    const welcome = entries.find((e) => e.link === `${ORIGIN}/posts/welcome-to-our-kpop`);
    const html = welcome?.content?.text ?? "";
    expect(html).toContain("<h2");
    expect(html).toMatch(/<img [^>]*src="http:\/\/localhost:8787\/assets\/lightstick\.[0-9a-f]{12}\.svg"/);
    expect(html).toContain(`href="${ORIGIN}/posts/welcome-to-our-kpop#write-for-us"`);
    expect(html).not.toMatch(/(?:src|href)="(?!https?:)/);
    expect(entries.find((e) => e.link === `${ORIGIN}/posts/${KO}`)?.lang).toBe("ko");
  });

  it("keeps its ids when the blog moves to another domain (tag: URIs under FEED_ID_AUTHORITY)", async () => {
    const here = await feedOf(await get("/feed.xml"));
    const moved = await feedOf(await fetchApp("/feed.xml", {}, { SITE_URL: "https://new.example", PAGE_CACHE: "off" }));
    expect(moved.entries.map((e) => e.id)).toEqual(here.entries.map((e) => e.id));
    expect(child(moved.feed, "id").text).toBe(`${IDS}:feed`);
    expect(moved.entries[1]?.link).toBe("https://new.example/posts/kpop-in-north-korea");
  });

  it.each(["", "not an authority", "blog.example", "blog.example,25"])(
    "falls back to URL ids when FEED_ID_AUTHORITY is %j",
    async (value) => {
      const { feed, entries } = await feedOf(
        await fetchApp("/feed.xml", {}, { FEED_ID_AUTHORITY: value, PAGE_CACHE: "off" }),
      );
      expect(child(feed, "id").text).toBe(`${ORIGIN}/`);
      expect(entries.map((e) => e.id)).toEqual(entries.map((e) => e.link));
    },
  );

  it("is well-formed Atom, read back by an XML parser, whatever the site settings hold", async () => {
    const res = await fetchApp("/feed.xml", {}, HOSTILE_SITE);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(forbiddenChars(text)).toEqual([]);
    const feed = parseXml(text);
    expect([feed.name, feed.uri]).toEqual(["feed", "http://www.w3.org/2005/Atom"]);
    expect(child(feed, "title").text).toBe(HOSTILE_SHOWN);
    expect(child(child(feed, "author"), "name").text).toBe(HOSTILE_SHOWN);
    expect(child(feed, "id").text).toBe(`${IDS}:feed`);
    const entries = childrenNamed(feed, "entry");
    expect(entries).toHaveLength(4);
    expect(entries.map((e) => child(e, "link").attributes.href)).toContain(
      `${HOSTILE_SITE.SITE_URL}/posts/kpop-in-north-korea`,
    );
  });

  it("reads the release, the list and each record on a cold isolate (the index names the records: no route bucket)", async () => {
    const slugs = ["북한의-케이팝", "kpop-in-north-korea", "케이팝이란", "welcome-to-our-kpop"];
    forgetContent();
    const res = await fetchApp("/feed.xml", {}, { PAGE_CACHE: "off" });
    expect(kvCalls(res)).toBe(1 + 1 + slugs.length);
    // Everything read is kept in isolate memory (immutable, content-addressed): a warm render reads nothing.
    expect(kvCalls(await fetchApp("/feed.xml", {}, { PAGE_CACHE: "off" }))).toBe(0);
  });
});

/** KV calls a response reports in Server-Timing. */
const kvCalls = (res: Response): number =>
  Number(/kv;dur=[\d.]+;desc="(\d+) calls"/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? Number.NaN);

describe("GET /sitemap.xml and /robots.txt", () => {
  const origin = ORIGIN;

  it("is a sitemap index: the pages sitemap and one sitemap per 100 posts", async () => {
    const res = await get("/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await res.text();
    expect(xml).toBe(
      `<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
        `<sitemap><loc>${origin}/sitemaps/pages.xml</loc></sitemap>` +
        `<sitemap><loc>${origin}/sitemaps/posts-1.xml</loc></sitemap></sitemapindex>\n`,
    );
  });

  it("lists every post with its date in the posts sitemap", async () => {
    const res = await get("/sitemaps/posts-1.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await res.text();
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"');
    expect(xml).toContain(`<loc>${origin}/posts/kpop-in-north-korea</loc><lastmod>2025-05-20T00:00:00.000Z</lastmod>`);
    expect(xml).toContain(`<loc>${origin}/posts/${encodeURIComponent("케이팝이란")}</loc>`);
    expect(xml.match(/<url>/g)).toHaveLength(4);
  });

  it("lists home, the archive, each language's list and every tag in the pages sitemap", async () => {
    const xml = await (await get("/sitemaps/pages.xml")).text();
    expect(xml).toContain(`<loc>${origin}/</loc><lastmod>2025-05-20T00:00:00.000Z</lastmod>`);
    expect(xml).toContain(`<url><loc>${origin}/archive</loc></url>`);
    expect(xml).toContain(`<loc>${origin}/en</loc>`);
    expect(xml).toContain(`<loc>${origin}/ko</loc>`);
    expect(xml).toContain(`<loc>${origin}/tags/north-korea</loc>`);
    expect(xml).toContain(`<loc>${origin}/tags/${encodeURIComponent("한국어")}</loc>`);
    expect(xml.match(/<url>/g)).toHaveLength(1 + 1 + 2 + 5);
    // Read back by an XML parser, every page it names is there.
    for (const url of parseXml(xml).children) {
      const loc = child(url, "loc").text;
      expect((await get(loc.slice(origin.length))).status, loc).toBe(200);
    }
  });

  it.each(["/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/posts-1.xml"])(
    "%s is well-formed, read back by an XML parser, whatever the site's address holds",
    async (path) => {
      const res = await fetchApp(path, {}, HOSTILE_SITE);
      expect(res.status).toBe(200);
      const root = parseXml(await res.text());
      expect(root.uri).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
      const locs = root.children.map((entry) => child(entry, "loc").text);
      expect(locs.length).toBeGreaterThan(1);
      for (const loc of locs) expect(loc.startsWith(`${HOSTILE_SITE.SITE_URL}/`)).toBe(true);
    },
  );

  it.each(["posts-2.xml", "posts-0.xml", "posts-01.xml", "posts-x.xml", "posts-1", "other.xml", "posts-1.xml.gz"])(
    "answers 404 for /sitemaps/%s",
    async (file) => {
      const res = await get(`/sitemaps/${file}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("/sitemap.xml");
    },
  );

  it("/favicon.ico leads to the site's icon, for pages that name none (the feed and sitemaps in a browser tab)", async () => {
    const res = await get("/favicon.ico");
    expect(res.status).toBe(301);
    // The hashed icon itself is a static asset, served in front of the Worker (the browser tests load it).
    expect(res.headers.get("location")).toMatch(/^\/assets\/favicon\.[0-9a-f]{12}\.svg$/);
  });

  it("robots.txt points at the sitemap and keeps crawlers out of admin, whichever way a parser reads rules", async () => {
    const res = await get("/robots.txt");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain;\s?charset=UTF-8$/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    const text = await res.text();
    expect(text).toContain("Sitemap: http://localhost:8787/sitemap.xml");
    const rules = text
      .split("\n")
      .map((line) => /^(Allow|Disallow):\s*(\S*)$/.exec(line))
      .filter((m) => m !== null)
      .map(([, kind, path]) => ({ allow: kind === "Allow", path: path ?? "" }));
    // First match wins (Python's urllib.robotparser); longest match wins (RFC 9309, Google).
    const firstMatch = (path: string) => rules.find((r) => path.startsWith(r.path))?.allow ?? true;
    const longestMatch = (path: string) =>
      rules.filter((r) => path.startsWith(r.path)).sort((a, b) => b.path.length - a.path.length)[0]?.allow ?? true;
    for (const decide of [firstMatch, longestMatch]) {
      for (const path of ["/admin", "/admin/", "/admin/comments?status=pending"])
        expect(decide(path), path).toBe(false);
      for (const path of ["/", "/posts/kpop-in-north-korea", "/feed.xml"]) expect(decide(path), path).toBe(true);
    }
  });
});
