import { anyDate, firstDate, wordpressDate } from "./dates.ts";
import { languageTag } from "./languages.ts";
import type { CommentStatus, SourceComment, SourceExport, SourcePost, SourceStatus } from "./model.ts";
import { polylangLocales, polylangTerms } from "./polylang.ts";
import { safeDecode, terms } from "./wxr-terms.ts";
import { all, attr, childText, first, textOf, type XmlNode } from "./xml.ts";

/** Namespace URIs (http or https, any WXR version) -> the prefix this reader uses. */
const NAMESPACES: [RegExp, string][] = [
  [/^https?:\/\/wordpress\.org\/export\/[\d.]+\/excerpt\/?$/, "excerpt"],
  [/^https?:\/\/wordpress\.org\/export\/[\d.]+\/?$/, "wp"],
  [/^https?:\/\/purl\.org\/rss\/1\.0\/modules\/content\/?$/, "content"],
  [/^https?:\/\/purl\.org\/dc\/elements\/1\.1\/?$/, "dc"],
  [/^https?:\/\/wellformedweb\.org\/CommentAPI\/?$/, "wfw"],
];

const STATUSES: Record<string, SourceStatus> = {
  publish: "published",
  draft: "draft",
  pending: "draft",
  future: "scheduled",
  private: "private",
  trash: "trash",
};

const COMMENT_STATUSES: Record<string, CommentStatus> = {
  "1": "published",
  "0": "pending",
  spam: "spam",
  trash: "deleted",
  "post-trashed": "deleted",
};

/** Whether a parsed document is a WordPress export (an RSS feed with WordPress's namespace). */
export function isWxr(doc: XmlNode): boolean {
  const rss = first(doc, "rss");
  return (
    rss !== undefined &&
    Object.keys(rss).some((k) => k.startsWith("@_xmlns") && /wordpress\.org\/export/.test(attr(rss, k.slice(2))))
  );
}

/**
 * Reads a WordPress eXtended RSS export (WXR 1.0 to 1.2): posts and pages with their comment
 * trees, categories (with their parents) and tags, excerpts, featured images and attachments, the
 * blog's `<language>`, and each post's language and translation group when Polylang gave them.
 */
export function readWxr(doc: XmlNode): SourceExport {
  const rss = first(doc, "rss");
  const q = prefixes(rss);
  const channel = first(rss, "channel");
  const out: SourceExport = {
    format: "wordpress",
    site: childText(channel, q("wp:base_blog_url")) || childText(channel, "link"),
    posts: [],
    threads: [],
    skipped: [],
    warnings: [],
    found: { authors: all(channel, q("wp:author")).length },
  };
  const language = languageTag(childText(channel, "language"));
  if (language) out.language = language;
  const locales = polylangLocales(channel, q);
  const parents = new Map<string, string>();
  for (const cat of all(channel, q("wp:category")))
    parents.set(childText(cat, q("wp:category_nicename")), childText(cat, q("wp:category_parent")));
  out.found.categories = parents.size;
  out.found.tags = all(channel, q("wp:tag")).length;

  const items = all(channel, "item");
  const attachments = new Map<string, string>();
  const attachedTo = new Map<string, string[]>();
  for (const item of items) {
    if (childText(item, q("wp:post_type")) !== "attachment") continue;
    const url = childText(item, q("wp:attachment_url")) || childText(item, "guid");
    attachments.set(childText(item, q("wp:post_id")), url);
    const parent = childText(item, q("wp:post_parent"));
    if (parent && parent !== "0") attachedTo.set(parent, [...(attachedTo.get(parent) ?? []), url]);
  }
  out.found.attachments = attachments.size;
  out.attachments = attachments;
  out.attachedTo = attachedTo;

  for (const item of items) {
    const type = childText(item, q("wp:post_type")) || "post";
    const id = childText(item, q("wp:post_id"));
    const title = childText(item, "title");
    if (type === "attachment") continue;
    if (type !== "post" && type !== "page") {
      out.skipped.push({
        kind: type,
        item: `${type} ${id} "${title}"`,
        reason: `a "${type}" item (not a post or page)`,
      });
      continue;
    }
    out.posts.push(post(item, q, { type, id, title, parents, attachments, locales, out }));
  }
  return out;
}

type Names = (name: string) => string;

/** The prefixes this export declared for WordPress's namespaces (undeclared ones keep the usual prefix). */
function prefixes(rss: XmlNode | undefined): Names {
  const rename = new Map<string, string>();
  if (typeof rss === "object")
    for (const key of Object.keys(rss)) {
      if (!key.startsWith("@_xmlns:")) continue;
      const uri = attr(rss, key.slice(2));
      const usual = NAMESPACES.find(([pattern]) => pattern.test(uri))?.[1];
      if (usual) rename.set(usual, key.slice("@_xmlns:".length));
    }
  return (name) => {
    const [prefix, local] = name.split(":") as [string, string | undefined];
    const actual = local === undefined ? undefined : rename.get(prefix);
    return actual ? `${actual}:${local}` : name;
  };
}

interface ItemContext {
  type: "post" | "page";
  id: string;
  title: string;
  parents: Map<string, string>;
  attachments: Map<string, string>;
  locales: ReadonlyMap<string, string | undefined>;
  out: SourceExport;
}

function post(
  item: XmlNode,
  q: Names,
  { type, id, title, parents, attachments, locales, out }: ItemContext,
): SourcePost {
  const label = `${type} ${id} "${title}"`;
  const rawStatus = childText(item, q("wp:status"));
  const status = STATUSES[rawStatus] ?? "draft";
  if (!STATUSES[rawStatus]) out.warnings.push(`${label}: unknown status "${rawStatus}", imported as a draft`);
  const date = firstDate(
    wordpressDate(childText(item, q("wp:post_date_gmt"))),
    anyDate(childText(item, "pubDate")),
    wordpressDate(childText(item, q("wp:post_date"))),
  );
  if (!date) out.warnings.push(`${label}: has no date, dated 1970-01-01`);
  const updated = wordpressDate(childText(item, q("wp:post_modified_gmt")));
  const meta = new Map(
    all(item, q("wp:postmeta")).map((m) => [childText(m, q("wp:meta_key")), childText(m, q("wp:meta_value"))]),
  );
  const thumbnail = attachments.get(meta.get("_thumbnail_id") ?? "");
  const summary = textOf(first(item, q("excerpt:encoded"))).trim();
  const localDate = wordpressDate(childText(item, q("wp:post_date"))) ?? date;
  const oldSlug = safeDecode(childText(item, q("wp:post_name")));
  const { tags, categories } = terms(item, parents, locales);
  const { unknownLanguage, ...polylang } = polylangTerms(item, locales);
  if (unknownLanguage)
    out.warnings.push(
      `${label}: language "${unknownLanguage}" is not a language tag; its language is found from its text`,
    );
  return {
    sourceId: id,
    kind: type,
    status,
    title,
    oldSlug,
    date: date ?? new Date(0).toISOString(),
    ...(updated && date && updated > date && { updated }),
    html: textOf(first(item, q("content:encoded"))),
    ...(summary && { summary }),
    tags,
    ...(thumbnail && { featuredImage: thumbnail }),
    oldUrls: oldUrls(item, q, { type, id, oldSlug, localDate, categories }),
    comments: all(item, q("wp:comment")).flatMap((c) => comment(c, q, label, out)),
    ...polylang,
  };
}

interface UrlContext {
  type: "post" | "page";
  id: string;
  oldSlug: string;
  localDate: string | undefined;
  categories: string[];
}

/** Every address WordPress answered for this item: its permalink, `?p=`, date and category forms, its comment feed. */
function oldUrls(item: XmlNode, q: Names, { type, id, oldSlug, localDate, categories }: UrlContext): string[] {
  const urls = [childText(item, "link"), childText(item, "guid"), childText(item, q("wfw:commentRss"))];
  if (id) urls.push(type === "page" ? `/?page_id=${id}` : `/?p=${id}`);
  const slug = oldSlug ? encodeURIComponent(oldSlug) : "";
  if (slug && type === "post" && localDate) {
    const [y, m, d] = localDate.slice(0, 10).split("-");
    urls.push(`/${y}/${m}/${d}/${slug}/`, `/${y}/${m}/${slug}/`, `/${slug}/`);
    for (const cat of categories) urls.push(`/${encodeURIComponent(cat)}/${slug}/`);
  }
  const link = childText(item, "link");
  if (link && !link.includes("?")) urls.push(`${link.replace(/\/?$/, "/")}feed/`);
  return [...new Set(urls.filter(Boolean))];
}

function comment(c: XmlNode, q: Names, post: string, out: SourceExport): SourceComment[] {
  const id = childText(c, q("wp:comment_id"));
  const type = childText(c, q("wp:comment_type"));
  if (type === "pingback" || type === "trackback") {
    out.skipped.push({ kind: type, item: `comment ${id} on ${post}`, reason: `a ${type}` });
    return [];
  }
  const approved = childText(c, q("wp:comment_approved"));
  const status = COMMENT_STATUSES[approved] ?? "pending";
  const date = firstDate(
    wordpressDate(childText(c, q("wp:comment_date_gmt"))),
    wordpressDate(childText(c, q("wp:comment_date"))),
  );
  if (!date) out.warnings.push(`comment ${id} on ${post}: has no date, dated 1970-01-01`);
  const parent = childText(c, q("wp:comment_parent"));
  return [
    {
      sourceId: id,
      ...(parent && parent !== "0" && { parentId: parent }),
      author: childText(c, q("wp:comment_author")),
      date: date ?? new Date(0).toISOString(),
      html: textOf(first(c, q("wp:comment_content"))),
      status,
    },
  ];
}
