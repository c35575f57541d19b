import type { ArticleRecord } from "../articles/record.ts";
import { ASSETS } from "../generated/assets.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { type SocialImage, siteImage } from "./layout.tsx";

/** The post's own image (its first, with the size the build read), or null when it has none. */
export function articleImage(site: Site, article: ArticleRecord): SocialImage | null {
  const { image } = article;
  if (!image) return null;
  return { url: new URL(image.url, `${site.url}/`).href, width: image.width, height: image.height };
}

/**
 * schema.org `BlogPosting` for an article, with what Google's Article rich results want: an
 * `image` (the post's own, else the site's card), the author as configured (`SITE_AUTHOR_TYPE`:
 * a Person by default, or an Organization such as the blog itself) and the publisher with its logo.
 */
export function blogPosting(site: Site, article: ArticleRecord): Record<string, unknown> {
  const url = `${site.url}${postPath(article.slug)}`;
  const image = articleImage(site, article) ?? siteImage(site);
  const home = `${site.url}/`;
  return {
    "@context": "https://schema.org",
    "@type": "BlogPosting",
    headline: article.title,
    description: article.summary,
    image: { "@type": "ImageObject", url: image.url, width: image.width, height: image.height },
    datePublished: article.date,
    dateModified: article.updated ?? article.date,
    inLanguage: article.lang ?? site.lang,
    keywords: article.tags.join(", "),
    url,
    mainEntityOfPage: url,
    author:
      site.authorType === "Organization"
        ? { "@type": "Organization", name: site.author, url: home }
        : { "@type": "Person", name: site.author },
    publisher: {
      "@type": "Organization",
      name: site.title,
      url: home,
      logo: { "@type": "ImageObject", url: `${site.url}${ASSETS.favicon}`, width: 64, height: 64 },
    },
  };
}
