import { type Context, Hono } from "hono";
import { published } from "../articles/published.ts";
import { listChunk, listPage } from "../articles/store.ts";
import { ASSETS } from "../generated/assets.ts";
import { pageNumber, postPath, tagPath } from "../lib/paths.ts";
import { escapeXml as x } from "../lib/xml.ts";
import type { AppEnv } from "../types.ts";
import { errorResponse } from "./error-response.tsx";

/** Entries in the Atom feed. */
const FEED_SIZE = 20;

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const sitemapPath = (name: string) => `/sitemaps/${name}.xml`;
const xml = (c: Context<AppEnv>, body: string) =>
  c.body(`<?xml version="1.0" encoding="utf-8"?>\n${body}\n`, 200, {
    "Content-Type": "application/xml; charset=utf-8",
  });
const notFound = (c: Context<AppEnv>) =>
  errorResponse(c, 404, "There is no such sitemap. The list of sitemaps is at /sitemap.xml.");

/** Machine-readable routes: the Atom feed, the sitemap, robots.txt and the conventional favicon address. */
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

/**
 * The sitemap is an index of small sitemaps, so no request reads more than two KV values however
 * large the blog grows: `/sitemaps/pages.xml` (home and tag pages) and one `/sitemaps/posts-<n>.xml`
 * per chunk of the post list (100 posts, oldest first, so a file's address keeps its posts).
 */
feeds.get("/sitemap.xml", async (c) => {
  const { site } = c.var;
  const { posts } = await published(c);
  const files = [
    "pages",
    ...Array.from({ length: Math.ceil(posts.count / posts.chunkSize) }, (_, i) => `posts-${i + 1}`),
  ];
  const entries = files.map((name) => `<sitemap><loc>${x(`${site.url}${sitemapPath(name)}`)}</loc></sitemap>`);
  return xml(c, `<sitemapindex xmlns="${SITEMAP_NS}">${entries.join("")}</sitemapindex>`);
});

feeds.get("/sitemaps/:file", async (c) => {
  const { site } = c.var;
  const url = (path: string, lastmod?: string) =>
    `<url><loc>${x(site.url + path)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ""}</url>`;
  const file = c.req.param("file");
  const out = await published(c);
  let urls: string[];
  if (file === "pages.xml") {
    const [newest] = await listPage(c.env.CONTENT, out.posts, 1, 1);
    urls = [url("/", newest && (newest.updated ?? newest.date)), ...out.tagNames().map((t) => url(tagPath(t)))];
  } else {
    const n = pageNumber(/^posts-(\w+)\.xml$/.exec(file)?.[1]);
    const chunk = n && (await listChunk(c.env.CONTENT, out.posts, n - 1));
    if (!chunk) return notFound(c);
    urls = chunk.map((p) => url(postPath(p.slug), p.updated ?? p.date));
  }
  return xml(c, `<urlset xmlns="${SITEMAP_NS}">${urls.join("")}</urlset>`);
});

feeds.get("/robots.txt", (c) =>
  c.text(`User-agent: *\nAllow: /\nDisallow: /admin\n\nSitemap: ${c.var.site.url}/sitemap.xml\n`),
);

// Browsers ask for /favicon.ico on pages that name no icon (the feed or a sitemap opened in a tab).
feeds.get("/favicon.ico", (c) => c.redirect(ASSETS.favicon, 301));
