import type { Context } from "hono";
import { newestChange } from "../articles/last-change.ts";
import { type Published, published } from "../articles/published.ts";
import type { ChunkedList } from "../articles/record.ts";
import { listChunk, listPage } from "../articles/store.ts";
import { translationSet, visibleTranslations } from "../articles/translations.ts";
import { noteModified } from "../cache/marks.ts";
import { ASSETS } from "../generated/assets.ts";
import { Hono } from "../lib/hono.ts";
import { archivePath, languagePath, pageNumber, postPath, tagFeedPath, tagPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";
import { atomFeed, type FeedInfo, siteFeed } from "../views/feed.ts";
import { type SitemapUrl, sitemapIndex, urlSet } from "../views/sitemap.ts";
import { errorResponse } from "./error-response.tsx";
import { FEED_SIZE, withContent } from "./feed-posts.ts";

const sitemapPath = (name: string) => `/sitemaps/${name}.xml`;
const xmlBody = async (c: Context<AppEnv>, type: string, document: Promise<string>) =>
  c.body(await document, 200, { "Content-Type": `${type}; charset=utf-8` });
const notFound = (c: Context<AppEnv>) => errorResponse(c, 404, (t) => t.says.noSitemap);

/** Machine-readable routes: the Atom feeds (the site's and each tag's), the sitemap, robots.txt and the conventional favicon address. */
export const feeds = new Hono<AppEnv>();

/** The feed of `list`'s newest posts, each with its whole text (see `withContent`). */
export async function feedOf(c: Context<AppEnv>, out: Published, list: ChunkedList, feed: FeedInfo) {
  const { site } = c.var;
  const page = (await listPage(c.env.CONTENT, list, 1, FEED_SIZE)).map((p) =>
    p.translations ? { ...p, translations: visibleTranslations(p.translations, out.isOut) } : p,
  );
  const posts = await withContent(c.env.CONTENT, out.index, site.url, page);
  const newest = newestChange(posts);
  if (newest) noteModified(c, newest);
  return xmlBody(c, "application/atom+xml", atomFeed(site, posts, feed));
}

feeds.get("/feed.xml", async (c) => {
  const out = await published(c);
  return feedOf(c, out, out.posts, siteFeed(c.var.site));
});

/** A tag's posts, as its page lists them; the tag is normalized as the page's is. */
feeds.get("/tags/:tag/feed.xml", async (c) => {
  const raw = c.req.param("tag");
  const name = raw.normalize("NFC").toLowerCase();
  const out = await published(c);
  const list = out.tag(name);
  if (!list) return errorResponse(c, 404, (t) => t.says.noTagFeed(name));
  if (name !== raw) return c.redirect(tagFeedPath(name), 301);
  return feedOf(c, out, list, {
    path: tagFeedPath(name),
    pagePath: tagPath(name),
    title: `#${name} - ${c.var.site.title}`,
    idName: `tags/${encodeURIComponent(name)}`,
  });
});

/**
 * The sitemap is an index of small sitemaps, so no request reads more than two KV values however
 * large the blog grows: `/sitemaps/pages.xml` (the home, the archive, each language's list when
 * there are several, each tag's) and one `/sitemaps/posts-<n>.xml` per chunk of the post list
 * (100 posts, oldest first, so a file's address keeps its posts).
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
    const languages = out.languageNames(c.var.site.lang);
    urls = [
      at("/", newest && (newest.updated ?? newest.date)),
      at(archivePath()),
      ...(languages.length > 1 ? languages.map((lang) => at(languagePath(lang))) : []),
      ...out.tagNames().map((t) => at(tagPath(t))),
    ];
  } else {
    const n = pageNumber(/^posts-(\w+)\.xml$/.exec(file)?.[1]);
    const chunk = n && (await listChunk(c.env.CONTENT, out.posts, n - 1));
    if (!chunk) return notFound(c);
    urls = chunk.map((p) => {
      const set = translationSet(p, visibleTranslations(p.translations, out.isOut), c.var.site.lang);
      const href = (slug: string) => `${c.var.site.url}${postPath(slug)}`;
      const alternates = set && [
        ...set.members.map((m) => ({ hreflang: m.lang, href: href(m.slug) })),
        { hreflang: "x-default", href: href(set.fallback.slug) },
      ];
      return { ...at(postPath(p.slug), p.updated ?? p.date), ...(alternates && { alternates }) };
    });
  }
  return xmlBody(c, "application/xml", urlSet(urls));
});

/**
 * Disallow comes before Allow: RFC 9309 parsers take the longest match, but first-match parsers
 * (Python's urllib.robotparser) stop at the first rule that matches, and `Allow: /` matches all.
 */
export const robotsTxt = (siteUrl: string): string =>
  `User-agent: *\nDisallow: /admin\nAllow: /\n\nSitemap: ${siteUrl}/sitemap.xml\n`;

// An hour: it changes only with the site's address, and crawlers keep it about that long anyway.
feeds.get("/robots.txt", (c) => c.text(robotsTxt(c.var.site.url), 200, { "Cache-Control": "public, max-age=3600" }));

// Browsers ask for /favicon.ico on pages that name no icon (the feed or a sitemap opened in a tab).
feeds.get("/favicon.ico", (c) => c.redirect(ASSETS.favicon, 301));
