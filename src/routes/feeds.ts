import { type Context, Hono } from "hono";
import { published } from "../articles/published.ts";
import { listChunk, listPage } from "../articles/store.ts";
import { ASSETS } from "../generated/assets.ts";
import { pageNumber, postPath, tagPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";
import { atomFeed } from "../views/feed.ts";
import { type SitemapUrl, sitemapIndex, urlSet } from "../views/sitemap.ts";
import { errorResponse } from "./error-response.tsx";

/** Entries in the Atom feed. */
const FEED_SIZE = 20;

const sitemapPath = (name: string) => `/sitemaps/${name}.xml`;
const xmlBody = async (c: Context<AppEnv>, type: string, document: Promise<string>) =>
  c.body(await document, 200, { "Content-Type": `${type}; charset=utf-8` });
const notFound = (c: Context<AppEnv>) =>
  errorResponse(c, 404, "There is no such sitemap. The list of sitemaps is at /sitemap.xml.");

/** Machine-readable routes: the Atom feed, the sitemap, robots.txt and the conventional favicon address. */
export const feeds = new Hono<AppEnv>();

feeds.get("/feed.xml", async (c) => {
  const posts = await listPage(c.env.CONTENT, (await published(c)).posts, 1, FEED_SIZE);
  return xmlBody(c, "application/atom+xml", atomFeed(c.var.site, posts));
});

/**
 * The sitemap is an index of small sitemaps, so no request reads more than two KV values however
 * large the blog grows: `/sitemaps/pages.xml` (home and tag pages) and one `/sitemaps/posts-<n>.xml`
 * per chunk of the post list (100 posts, oldest first, so a file's address keeps its posts).
 */
feeds.get("/sitemap.xml", async (c) => {
  const { posts } = await published(c);
  const files = [
    "pages",
    ...Array.from({ length: Math.ceil(posts.count / posts.chunkSize) }, (_, i) => `posts-${i + 1}`),
  ];
  return xmlBody(c, "application/xml", sitemapIndex(files.map((name) => `${c.var.site.url}${sitemapPath(name)}`)));
});

feeds.get("/sitemaps/:file", async (c) => {
  const at = (path: string, lastmod?: string): SitemapUrl => ({ loc: `${c.var.site.url}${path}`, lastmod });
  const file = c.req.param("file");
  const out = await published(c);
  let urls: SitemapUrl[];
  if (file === "pages.xml") {
    const [newest] = await listPage(c.env.CONTENT, out.posts, 1, 1);
    urls = [at("/", newest && (newest.updated ?? newest.date)), ...out.tagNames().map((t) => at(tagPath(t)))];
  } else {
    const n = pageNumber(/^posts-(\w+)\.xml$/.exec(file)?.[1]);
    const chunk = n && (await listChunk(c.env.CONTENT, out.posts, n - 1));
    if (!chunk) return notFound(c);
    urls = chunk.map((p) => at(postPath(p.slug), p.updated ?? p.date));
  }
  return xmlBody(c, "application/xml", urlSet(urls));
});

feeds.get("/robots.txt", (c) =>
  c.text(`User-agent: *\nAllow: /\nDisallow: /admin\n\nSitemap: ${c.var.site.url}/sitemap.xml\n`),
);

// Browsers ask for /favicon.ico on pages that name no icon (the feed or a sitemap opened in a tab).
feeds.get("/favicon.ico", (c) => c.redirect(ASSETS.favicon, 301));
