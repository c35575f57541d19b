import type { Comment } from "../comments/store/rows.ts";
import { type Catalog, strings } from "../i18n/index.ts";
import { renderCommentBody } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { xml, xmlDocument } from "../lib/xml.ts";

/** What one comment feed is: its title, its own address and the page it follows. */
export interface CommentFeedMeta {
  title: string;
  /** The feed's language: a post's own for its comments, the site's for the recent comments. */
  lang: string;
  /** The feed's path (`/posts/<slug>/comments.xml`, with `?thread=`, or `/comments.xml`). */
  self: string;
  /** The page the feed follows (the article, or the home page). */
  alternate: string;
}

function entry(site: Site, comment: Comment, titleOf: (slug: string) => string, t: Catalog) {
  const url = `${site.url}${postPath(comment.postSlug)}#comment-${comment.id}`;
  const updated = comment.editedAt ?? comment.createdAt;
  const title = t.feeds.entry(comment.author, titleOf(comment.postSlug));
  // The body as the page shows it (escaped text, paragraphs, links), as escaped HTML content.
  return xml`<entry><title>${title}</title><link rel="alternate" type="text/html" href="${url}"/><id>${url}</id><published>${comment.createdAt}</published><updated>${updated}</updated><author><name>${comment.author}</name></author><content type="html">${renderCommentBody(comment.body)}</content></entry>`;
}

/** An Atom feed (RFC 4287) of published comments, newest first; updated when its newest entry was. */
export function commentFeed(
  site: Site,
  meta: CommentFeedMeta,
  comments: Comment[],
  titleOf: (slug: string) => string,
): Promise<string> {
  const updated =
    comments
      .map((c) => c.editedAt ?? c.createdAt)
      .sort()
      .at(-1) ?? "1970-01-01T00:00:00.000Z";
  const self = `${site.url}${meta.self}`;
  const t = strings(meta.lang);
  return xmlDocument(
    xml`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${meta.lang}"><title>${meta.title}</title><link rel="self" type="application/atom+xml" href="${self}"/><link rel="alternate" type="text/html" href="${site.url}${meta.alternate}"/><id>${self}</id><updated>${updated}</updated><author><name>${site.author}</name></author>${comments.map((c) => entry(site, c, titleOf, t))}</feed>`,
  );
}
