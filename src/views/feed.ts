import { lastChange, newestChange } from "../articles/last-change.ts";
import type { PostSummary } from "../articles/record.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { xml, xmlDocument } from "../lib/xml.ts";

/** A post as a feed entry: its summary, and its whole article HTML (URLs absolute) when the feed carries it. */
export interface FeedPost extends PostSummary {
  html?: string | undefined;
}

/** What one feed is: the site's (`/feed.xml`) or a tag's (`/tags/<tag>/feed.xml`). */
export interface FeedInfo {
  /** Path of the feed itself. */
  path: string;
  /** Path of the HTML page it follows (`/`, `/tags/<tag>`). */
  pagePath: string;
  /** The feed's title. */
  title: string;
  /** What names this feed inside its id (`feed`, `tags/<tag>`): see `feedId`. */
  idName: string;
  /** The feed's language when it is not the site's (a language's feed, `/ko/feed.xml`). */
  lang?: string;
}

/**
 * The id of a feed (`idName`) or an entry (`posts/<slug>`). With an id authority configured it is
 * a `tag:` URI (RFC 4151), `tag:<authority>,<date>:<name>`, which no change of domain touches;
 * without one it is the thing's URL on the site, as the feed had before there were tag ids.
 */
export function feedId(site: Site, name: string, url: string): string {
  return site.idAuthority ? `tag:${site.idAuthority}:${name}` : url;
}

function entry(site: Site, p: FeedPost) {
  const path = postPath(p.slug);
  const url = `${site.url}${path}`;
  const lang = p.lang ? xml` xml:lang="${p.lang}"` : "";
  // The post's translations, each with its language (RFC 4287: alternates differ by hreflang).
  const others = (p.translations ?? []).map(
    (m) => xml`<link rel="alternate" type="text/html" hreflang="${m.lang}" href="${site.url}${postPath(m.slug)}"/>`,
  );
  const content = p.html === undefined ? "" : xml`<content type="html">${p.html}</content>`;
  return xml`<entry${lang}><title>${p.title}</title><link rel="alternate" type="text/html" href="${url}"/>${others}<id>${feedId(site, path.slice(1), url)}</id><published>${p.date}</published><updated>${lastChange(p)}</updated>${p.tags.map((t) => xml`<category term="${t}"/>`)}<summary>${p.summary}</summary>${content}</entry>`;
}

/**
 * An Atom feed (RFC 4287) of `posts`, newest first; it was last updated when its newest entry
 * was. An entry with `html` carries it as `<content type="html">` beside its summary.
 */
export function atomFeed(site: Site, posts: FeedPost[], feed: FeedInfo = siteFeed(site)): Promise<string> {
  const updated = newestChange(posts) ?? "1970-01-01T00:00:00.000Z";
  const pageUrl = `${site.url}${feed.pagePath}`;
  return xmlDocument(
    xml`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.lang ?? site.lang}"><title>${feed.title}</title><subtitle>${site.description}</subtitle><link rel="self" type="application/atom+xml" href="${site.url}${feed.path}"/><link rel="alternate" type="text/html" href="${pageUrl}"/><id>${feedId(site, feed.idName, pageUrl)}</id><updated>${updated}</updated><author><name>${site.author}</name></author>${posts.map((p) => entry(site, p))}</feed>`,
  );
}

/** The site's own feed, `/feed.xml`. */
export const siteFeed = (site: Site): FeedInfo => ({
  path: "/feed.xml",
  pagePath: "/",
  title: site.title,
  idName: "feed",
});
