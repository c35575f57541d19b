import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { ASSETS } from "../generated/assets.ts";
import { ogLocale, strings } from "../i18n/index.ts";
import type { Site } from "../lib/site.ts";
import { inlineJson } from "./format.ts";
import { STYLES } from "./styles.ts";

export interface PageMeta {
  /** The page's own title; the site name is appended. Omit on the home page. */
  title?: string;
  description: string;
  /** Path of the canonical URL, e.g. /posts/kpop-in-north-korea. */
  path: string;
  lang?: string;
  type?: "website" | "article";
  /** Structured data for search engines (JSON-LD). */
  jsonLd?: Record<string, unknown>;
  /** Keeps error pages out of search results. */
  noindex?: boolean;
  /** False on pages that are no address of their own (error pages): no canonical link. */
  canonical?: false;
  /** The page's social card image (absolute URL and size); the site's image when absent. */
  image?: SocialImage;
  /** Extra `<head>` children (e.g. article published time). */
  head?: Child;
  /**
   * The feed to offer this page's reader first: its language's (`languageFeed`), or the feed of the
   * list it shows (`/ko/feed.xml` on `/ko`). The header and footer link to it, and the head lists it
   * before the site's. Absent, they link the site's feed.
   */
  feed?: PageFeed | undefined;
}

/** A feed a page offers: what the reader's feed list calls it, and its path. */
export interface PageFeed {
  title: string;
  path: string;
}

/** An image for social cards and structured data. */
export interface SocialImage {
  /** Absolute URL. */
  url: string;
  width: number;
  height: number;
  /** What the image shows; left out when unknown (a post's own image). */
  alt?: string;
}

/** The site's own social card (1200x630, scripts/og-image.ts), for pages without an image of their own. */
export const siteImage = (site: Site): SocialImage => ({
  url: `${site.url}${ASSETS.ogImage}`,
  width: 1200,
  height: 630,
  alt: site.title,
});

/** The HTML document every page shares: head with SEO/social tags, site header, footer. */
export function Layout({ site, meta, children }: { site: Site; meta: PageMeta; children: Child }) {
  const lang = meta.lang ?? site.lang;
  const t = strings(lang);
  const feed = meta.feed?.path ?? "/feed.xml";
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang={lang}>
        <Head site={site} meta={meta} />
        <body>
          <a class="skip" href="#main">
            {t.skipLink}
          </a>
          <SiteHeader site={site} lang={lang} feed={feed} />
          <main id="main" class="wrap">
            {children}
          </main>
          <footer class="site-footer">
            <div class="wrap">
              <p>
                © {site.author} · <a href="/archive">{t.archive}</a> · <a href={feed}>{t.atomFeed}</a>
              </p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

/** The document's head: title, description, canonical URL, social cards, feed, icon, the inline stylesheet. */
function Head({ site, meta }: { site: Site; meta: PageMeta }) {
  const title = meta.title ? `${meta.title} - ${site.title}` : site.title;
  const url = `${site.url}${meta.path}`;
  const image = meta.image ?? siteImage(site);
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <meta name="description" content={meta.description} />
      {meta.canonical !== false && <link rel="canonical" href={url} />}
      {meta.noindex && <meta name="robots" content="noindex" />}
      <meta property="og:site_name" content={site.title} />
      <meta property="og:type" content={meta.type ?? "website"} />
      <meta property="og:locale" content={ogLocale(meta.lang ?? site.lang)} />
      <meta property="og:title" content={meta.title ?? site.title} />
      <meta property="og:description" content={meta.description} />
      <meta property="og:url" content={url} />
      <meta property="og:image" content={image.url} />
      <meta property="og:image:width" content={String(image.width)} />
      <meta property="og:image:height" content={String(image.height)} />
      {image.alt && <meta property="og:image:alt" content={image.alt} />}
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={meta.title ?? site.title} />
      <meta name="twitter:description" content={meta.description} />
      <meta name="twitter:image" content={image.url} />
      {image.alt && <meta name="twitter:image:alt" content={image.alt} />}
      {meta.feed && (
        <link
          rel="alternate"
          type="application/atom+xml"
          title={meta.feed.title}
          href={`${site.url}${meta.feed.path}`}
        />
      )}
      <link rel="alternate" type="application/atom+xml" title={site.title} href={`${site.url}/feed.xml`} />
      <link rel="icon" href={ASSETS.favicon} type="image/svg+xml" />
      {meta.head}
      {meta.jsonLd && (
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: inlineJson(meta.jsonLd) }} />
      )}
      <style dangerouslySetInnerHTML={{ __html: STYLES }} />
    </head>
  );
}

/** The site's name and navigation; `feed` is the path of the page's language's feed, or the site's. */
function SiteHeader({ site, lang, feed }: { site: Site; lang: string; feed: string }) {
  const t = strings(lang);
  return (
    <header class="site-header">
      <div class="wrap">
        <a class="site-name" href="/">
          <img src={ASSETS.favicon} alt="" width="28" height="28" />
          {site.title}
        </a>
        <nav aria-label={t.navLabel}>
          <a href="/search">{t.search}</a> <a href={feed}>{t.feed}</a>
        </nav>
      </div>
    </header>
  );
}
