import { xml, xmlDocument } from "../lib/xml.ts";

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

/** One page of the site in a sitemap: its absolute address and, when known, its last change. */
export interface SitemapUrl {
  loc: string;
  lastmod?: string | undefined;
  /** The page in other languages, itself included (and `x-default`), as `xhtml:link` elements. */
  alternates?: { hreflang: string; href: string }[] | undefined;
}

const alternate = ({ hreflang, href }: { hreflang: string; href: string }) =>
  xml`<xhtml:link rel="alternate" hreflang="${hreflang}" href="${href}"/>`;

/** A sitemap index (sitemaps.org protocol 0.9) naming the absolute addresses of the sitemaps. */
export const sitemapIndex = (sitemaps: string[]): Promise<string> =>
  xmlDocument(
    xml`<sitemapindex xmlns="${SITEMAP_NS}">${sitemaps.map((loc) => xml`<sitemap><loc>${loc}</loc></sitemap>`)}</sitemapindex>`,
  );

/** A sitemap (sitemaps.org protocol 0.9) of `urls`. */
export const urlSet = (urls: SitemapUrl[]): Promise<string> =>
  xmlDocument(
    xml`<urlset xmlns="${SITEMAP_NS}"${urls.some((u) => u.alternates) ? xml` xmlns:xhtml="http://www.w3.org/1999/xhtml"` : ""}>${urls.map(({ loc, lastmod, alternates }) => xml`<url><loc>${loc}</loc>${lastmod && xml`<lastmod>${lastmod}</lastmod>`}${alternates?.map(alternate) ?? ""}</url>`)}</urlset>`,
  );
