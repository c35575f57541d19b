/** URL paths of the blog's pages; slugs and tags may hold Hangul, so they are percent-encoded. */
export const postPath = (slug: string): string => `/posts/${encodeURIComponent(slug)}`;
export const tagPath = (tag: string, page = 1): string =>
  page > 1 ? `/tags/${encodeURIComponent(tag)}/page/${page}` : `/tags/${encodeURIComponent(tag)}`;
export const tagFeedPath = (tag: string): string => `/tags/${encodeURIComponent(tag)}/feed.xml`;
export const archivePath = (): string => "/archive";
export const homePath = (page = 1): string => (page > 1 ? `/page/${page}` : "/");

/** Parses a page number from a path segment: a positive integer without leading zeros, else null. */
export function pageNumber(raw: string | undefined): number | null {
  if (raw === undefined || !/^[1-9]\d{0,5}$/.test(raw)) return null;
  return Number(raw);
}

/** A language's list of posts (`/ko`, `/ko/page/2`) and its feed (`/ko/feed.xml`). */
export const languagePath = (lang: string, page = 1): string => (page > 1 ? `/${lang}/page/${page}` : `/${lang}`);
export const languageFeedPath = (lang: string): string => `/${lang}/feed.xml`;
