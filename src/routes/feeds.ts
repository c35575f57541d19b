import { Hono } from "hono";
import { published } from "../articles/published.ts";
import { listAll, listPage } from "../articles/store.ts";
import { postPath, tagPath } from "../lib/paths.ts";
import { escapeXml as x } from "../lib/xml.ts";
import type { AppEnv } from "../types.ts";

/** Entries in the Atom feed. */
const FEED_SIZE = 20;

/** Machine-readable routes: the Atom feed, the sitemap and robots.txt. */
export const feeds = new Hono<AppEnv>();

feeds.get("/feed.xml", async (c) => {
  const { site } = c.var;
  const posts = await listPage(c.env.CONTENT, (await published(c)).posts, 1, FEED_SIZE);
  const updated =
    posts
      .map((p) => p.updated ?? p.date)
      .sort()
      .at(-1) ?? "1970-01-01T00:00:00.000Z";
  const entries = posts.map((p) => {
    const url = `${site.url}${postPath(p.slug)}`;
    return `<entry><title>${x(p.title)}</title><link rel="alternate" type="text/html" href="${x(url)}"/><id>${x(url)}</id><published>${p.date}</published><updated>${p.updated ?? p.date}</updated>${p.tags.map((t) => `<category term="${x(t)}"/>`).join("")}<summary>${x(p.summary)}</summary></entry>`;
  });
  const xml = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(site.lang)}"><title>${x(site.title)}</title><subtitle>${x(site.description)}</subtitle><link rel="self" type="application/atom+xml" href="${x(site.url)}/feed.xml"/><link rel="alternate" type="text/html" href="${x(site.url)}/"/><id>${x(site.url)}/</id><updated>${updated}</updated><author><name>${x(site.author)}</name></author>${entries.join("")}</feed>\n`;
  return c.body(xml, 200, { "Content-Type": "application/atom+xml; charset=utf-8" });
});

feeds.get("/sitemap.xml", async (c) => {
  const { site } = c.var;
  const out = await published(c);
  const posts = await listAll(c.env.CONTENT, out.posts);
  const url = (path: string, lastmod?: string) =>
    `<url><loc>${x(site.url + path)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ""}</url>`;
  const urls = [
    url("/", posts[0]?.date),
    ...posts.map((p) => url(postPath(p.slug), p.updated ?? p.date)),
    ...out.tagNames().map((t) => url(tagPath(t))),
  ];
  const xml = `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join("")}</urlset>\n`;
  return c.body(xml, 200, { "Content-Type": "application/xml; charset=utf-8" });
});

feeds.get("/robots.txt", (c) =>
  c.text(`User-agent: *\nAllow: /\nDisallow: /admin\n\nSitemap: ${c.var.site.url}/sitemap.xml\n`),
);
