/**
 * The addresses the app answers, in one table: src/index.ts mounts the cache and the 405s from
 * it, the page cache and the commenter's view find the article in a path with it, and the build
 * refuses an alias that is one of these addresses (pipeline/front-matter.ts). Pure: no bindings,
 * importable from both worlds. A new route is added here first.
 */

/**
 * The pattern of a language in a path (`/ko`): two or three lower-case letters, a primary subtag.
 * The blog answers only the languages its release has posts in; the build refuses an alias that
 * one of a language's routes answers (`/ko`, `/ko/page/N`, `/ko/feed.xml`: pipeline/language-lists.ts),
 * while other paths under `/ko` (an imported blog's `/ko/2025/05/02/post/`) reach the alias lookup.
 */
export const LANGUAGE = "{[a-z]{2,3}}";

/** Pages readers read, served from the edge cache (GET and HEAD only). */
export const CACHED_PAGES = [
  "/",
  "/page/:n",
  "/posts/:slug",
  "/posts/:slug/comments.xml",
  "/comments.xml",
  "/tags/:tag",
  "/tags/:tag/page/:n",
  "/tags/:tag/feed.xml",
  "/feed.xml",
  "/sitemap.xml",
  "/sitemaps/:file",
  "/search",
  "/archive",
  `/:lang${LANGUAGE}`,
  `/:lang${LANGUAGE}/page/:n`,
  `/:lang${LANGUAGE}/feed.xml`,
] as const;

/** Every read-only address: the cached pages and the crawlers' files. Other methods get 405. */
export const READ_ONLY = [...CACHED_PAGES, "/robots.txt", "/favicon.ico"] as const;

/** Areas the blog owns under a prefix: the moderation pages and the static assets (served before the Worker). */
export const AREAS = ["/admin", "/assets"] as const;

const ARTICLE = /^\/posts\/([^/]+)$/;

/** The slug segment of an article path (`/posts/<slug>`, as sent: percent-encoded), or null. */
export function articleSegmentOf(path: string): string | null {
  return ARTICLE.exec(path)?.[1] ?? null;
}

const COMMENT_FEED = /^\/posts\/([^/]+)\/comments\.xml$/;

/** The slug segment of a post's comment feed path (`/posts/<slug>/comments.xml`), or null. */
export function commentFeedSegmentOf(path: string): string | null {
  return COMMENT_FEED.exec(path)?.[1] ?? null;
}

/**
 * The blog's own addresses outside `/posts/`, as tests on a path: a pattern with a parameter
 * owns everything under its first segment (`/tags/:tag` owns `/tags` and `/tags/...`), a static
 * one its exact path, an area everything under it. Under `/posts/` the build checks slugs itself.
 */
const RESERVED: readonly ((path: string) => boolean)[] = [
  ...READ_ONLY.filter((pattern) => !pattern.startsWith("/posts/") && !pattern.startsWith("/:lang")).map((pattern) => {
    const param = pattern.indexOf("/:");
    return param === -1 ? (path: string) => path === pattern : under(pattern.slice(0, param));
  }),
  ...AREAS.map(under),
];

function under(prefix: string): (path: string) => boolean {
  return (path) => path === prefix || path.startsWith(`${prefix}/`);
}

/** True when `path` (decoded, no query) is an address the blog answers itself: no alias may take it. */
export function isReservedPath(path: string): boolean {
  return RESERVED.some((test) => test(path));
}
