import type { PostSummary } from "../articles/record.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { xml, xmlDocument } from "../lib/xml.ts";

const lastChange = (p: PostSummary): string => p.updated ?? p.date;

function entry(site: Site, p: PostSummary) {
  const url = `${site.url}${postPath(p.slug)}`;
  return xml`<entry><title>${p.title}</title><link rel="alternate" type="text/html" href="${url}"/><id>${url}</id><published>${p.date}</published><updated>${lastChange(p)}</updated>${p.tags.map((t) => xml`<category term="${t}"/>`)}<summary>${p.summary}</summary></entry>`;
}

/** The Atom feed (RFC 4287) of `posts`, newest first; it was last updated when its newest entry was. */
export function atomFeed(site: Site, posts: PostSummary[]): Promise<string> {
  const updated = posts.map(lastChange).sort().at(-1) ?? "1970-01-01T00:00:00.000Z";
  return xmlDocument(
    xml`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${site.lang}"><title>${site.title}</title><subtitle>${site.description}</subtitle><link rel="self" type="application/atom+xml" href="${site.url}/feed.xml"/><link rel="alternate" type="text/html" href="${site.url}/"/><id>${site.url}/</id><updated>${updated}</updated><author><name>${site.author}</name></author>${posts.map((p) => entry(site, p))}</feed>`,
  );
}
