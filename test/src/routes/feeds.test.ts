import { describe, expect, it } from "vitest";
import { get } from "../fetch.ts";
import { fetchApp } from "../helpers.ts";
import { forbiddenChars, HOSTILE, HOSTILE_SHOWN } from "../hostile.ts";
import { child, childrenNamed, parseXml } from "../xml.ts";

/** Site settings that hand-built XML would break on (the page cache off: these are not the site's pages). */
const HOSTILE_SITE = {
  SITE_TITLE: HOSTILE,
  SITE_DESCRIPTION: HOSTILE,
  SITE_AUTHOR: HOSTILE,
  SITE_URL: "https://blog.example/a&b'c\"<d>",
  PAGE_CACHE: "off",
};

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
    expect(xml.match(/<entry>/g)).toHaveLength(3);
    expect(xml).toContain("<id>http://localhost:8787/posts/kpop-in-north-korea</id>");
    expect(xml).toContain(`<id>http://localhost:8787/posts/${encodeURIComponent("케이팝이란")}</id>`);
    expect(xml).toContain('<category term="한국어"/>');
    expect(xml.indexOf("kpop-in-north-korea")).toBeLessThan(xml.indexOf("welcome-to-our-kpop"));
  });

  it("is well-formed Atom, read back by an XML parser, whatever the site settings hold", async () => {
    const res = await fetchApp("/feed.xml", {}, HOSTILE_SITE);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(forbiddenChars(text)).toEqual([]);
    const feed = parseXml(text);
    expect([feed.name, feed.uri]).toEqual(["feed", "http://www.w3.org/2005/Atom"]);
    expect(child(feed, "title").text).toBe(HOSTILE_SHOWN);
    expect(child(child(feed, "author"), "name").text).toBe(HOSTILE_SHOWN);
    expect(child(feed, "id").text).toBe(`${HOSTILE_SITE.SITE_URL}/`);
    const entries = childrenNamed(feed, "entry");
    expect(entries).toHaveLength(3);
    expect(entries.map((e) => child(e, "id").text)).toContain(`${HOSTILE_SITE.SITE_URL}/posts/kpop-in-north-korea`);
  });
});

describe("GET /sitemap.xml and /robots.txt", () => {
  const origin = "http://localhost:8787";

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
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(xml).toContain(`<loc>${origin}/posts/kpop-in-north-korea</loc><lastmod>2025-05-20T00:00:00.000Z</lastmod>`);
    expect(xml).toContain(`<loc>${origin}/posts/${encodeURIComponent("케이팝이란")}</loc>`);
    expect(xml.match(/<url>/g)).toHaveLength(3);
  });

  it("lists home and every tag in the pages sitemap", async () => {
    const xml = await (await get("/sitemaps/pages.xml")).text();
    expect(xml).toContain(`<loc>${origin}/</loc><lastmod>2025-05-20T00:00:00.000Z</lastmod>`);
    expect(xml).toContain(`<loc>${origin}/tags/north-korea</loc>`);
    expect(xml).toContain(`<loc>${origin}/tags/${encodeURIComponent("한국어")}</loc>`);
    expect(xml.match(/<url>/g)).toHaveLength(1 + 5);
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

  it("robots.txt points at the sitemap and keeps crawlers out of admin", async () => {
    const res = await get("/robots.txt");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain;\s?charset=UTF-8$/);
    const text = await res.text();
    expect(text).toContain("Sitemap: http://localhost:8787/sitemap.xml");
    expect(text).toContain("Disallow: /admin");
  });
});
