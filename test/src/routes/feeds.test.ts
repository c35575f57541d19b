import { describe, expect, it } from "vitest";
import { get } from "../fetch.ts";

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
});

describe("GET /sitemap.xml and /robots.txt", () => {
  it("lists home, every post and every tag", async () => {
    const res = await get("/sitemap.xml");
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await res.text();
    expect(xml).toContain("<loc>http://localhost:8787/</loc>");
    expect(xml).toContain(
      "<loc>http://localhost:8787/posts/kpop-in-north-korea</loc><lastmod>2025-05-20T00:00:00.000Z</lastmod>",
    );
    expect(xml).toContain("<loc>http://localhost:8787/tags/north-korea</loc>");
    expect(xml.match(/<url>/g)).toHaveLength(1 + 3 + 5);
  });

  it("robots.txt points at the sitemap and keeps crawlers out of admin", async () => {
    const res = await get("/robots.txt");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain;\s?charset=UTF-8$/);
    const text = await res.text();
    expect(text).toContain("Sitemap: http://localhost:8787/sitemap.xml");
    expect(text).toContain("Disallow: /admin");
  });
});
