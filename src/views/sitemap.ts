import { xml, xmlDocument } from "../lib/xml.ts";

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

/** One page of the site in a sitemap: its absolute address and, when known, its last change. */
export interface SitemapUrl {
  loc: string;
  lastmod?: string | undefined;
}

/** A sitemap index (sitemaps.org protocol 0.9) naming the absolute addresses of the sitemaps. */
export const sitemapIndex = (sitemaps: string[]): Promise<string> =>
  xmlDocument(
    xml`<sitemapindex xmlns="${SITEMAP_NS}">${sitemaps.map((loc) => xml`<sitemap><loc>${loc}</loc></sitemap>`)}</sitemapindex>`,
  );

/** A sitemap (sitemaps.org protocol 0.9) of `urls`. */
export const urlSet = (urls: SitemapUrl[]): Promise<string> =>
  xmlDocument(
    xml`<urlset xmlns="${SITEMAP_NS}">${urls.map(({ loc, lastmod }) => xml`<url><loc>${loc}</loc>${lastmod && xml`<lastmod>${lastmod}</lastmod>`}</url>`)}</urlset>`,
  );
