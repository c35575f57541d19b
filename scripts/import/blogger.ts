import { anyDate } from "./dates.ts";
import { languageTag } from "./languages.ts";
import type { CommentStatus, SourceExport, SourcePost, SourceStatus } from "./model.ts";
import { all, attr, childText, first, textOf, type XmlNode } from "./xml.ts";

const KIND = "http://schemas.google.com/g/2005#kind";
const KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#";
const LABEL = "http://www.blogger.com/atom/ns#";

/** Takeout's `blogger:status` of a post. */
const TAKEOUT_STATUS: Record<string, SourceStatus> = {
  LIVE: "published",
  DRAFT: "draft",
  SCHEDULED: "scheduled",
  SOFT_TRASHED: "trash",
  DELETED: "trash",
};
const TAKEOUT_COMMENT_STATUS: Record<string, CommentStatus> = {
  LIVE: "published",
  PENDING: "pending",
  DRAFT: "pending",
  SPAM: "spam",
  SPAM_DETECTED: "spam",
  DELETED: "deleted",
  SOFT_TRASHED: "deleted",
};

/** One entry of the feed, whichever form it came in. */
interface Entry {
  node: XmlNode;
  /** The entry's full id (`tag:blogger.com,1999:blog-1.post-2`). */
  tag: string;
  kind: string;
}

/**
 * Reads a Blogger export: the classic backup (Atom entries with a `kind#post` / `kind#page` /
 * `kind#comment` category, replies by `thr:in-reply-to` and a `related` link, drafts by
 * `app:control/app:draft`) or Google Takeout's `feed.atom` (`blogger:type`, `blogger:parent`,
 * `blogger:status`, `blogger:filename`). Template and settings entries are skipped, but for the
 * blog's language (the `BLOG_LOCALE` setting, `ko`, `en_GB`).
 */
export function readBlogger(doc: XmlNode): SourceExport {
  const feed = first(doc, "feed");
  const out: SourceExport = {
    format: "blogger",
    site: blogId(childText(feed, "id")) || alternate(feed),
    posts: [],
    threads: [],
    skipped: [],
    warnings: [],
    found: {},
  };
  const entries: Entry[] = all(feed, "entry").map((node) => ({ node, tag: childText(node, "id"), kind: kindOf(node) }));
  const locale = entries.find((e) => e.kind === "settings" && e.tag.endsWith(".settings.BLOG_LOCALE"));
  const language = locale && languageTag(childText(locale.node, "content"));
  if (language) out.language = language;
  const posts = new Map<string, SourcePost>();
  for (const entry of entries) {
    if (entry.kind !== "post" && entry.kind !== "page") continue;
    const post = readPost(entry, out);
    if (post) posts.set(entry.tag, post);
  }
  const comments = entries.filter((e) => e.kind === "comment");
  const postOf = new Map<string, string>();
  // Replies may come before the comment they answer: learn every comment's post first.
  for (const entry of comments) {
    const target = replyTarget(entry.node);
    if (target) postOf.set(entry.tag, target);
  }
  for (const entry of comments) addComment(entry, posts, postOf, out);
  out.posts = [...posts.values()];
  const other = entries.filter((e) => !["post", "page", "comment"].includes(e.kind));
  for (const entry of other) out.found[entry.kind || "other"] = (out.found[entry.kind || "other"] ?? 0) + 1;
  return out;
}

/** "post", "page", "comment", "settings", "template", ... */
function kindOf(node: XmlNode): string {
  const type = childText(node, "blogger:type");
  if (type) return type.toLowerCase();
  const kind = all(node, "category").find((c) => attr(c, "scheme") === KIND);
  return kind ? attr(kind, "term").replace(KIND_PREFIX, "") : "";
}

const blogId = (tag: string): string => /blog-(\d+)/.exec(tag)?.[1] ?? "";
const shortId = (tag: string): string => /(?:post|page)-(\d+)$/.exec(tag)?.[1] ?? tag;
const alternate = (node: XmlNode | undefined): string =>
  attr(
    all(node, "link").find((l) => attr(l, "rel") === "alternate"),
    "href",
  );

function readPost({ node, tag, kind }: Entry, out: SourceExport): SourcePost | undefined {
  const id = shortId(tag);
  const title = childText(node, "title");
  const label = `${kind} ${id} "${title}"`;
  const status = postStatus(node);
  const date = anyDate(childText(node, "published")) ?? anyDate(childText(node, "blogger:created"));
  if (!date) out.warnings.push(`${label}: has no date, dated 1970-01-01`);
  const updated = anyDate(childText(node, "updated"));
  const link = alternate(node);
  const filename = childText(node, "blogger:filename") || (link ? new URL(link).pathname : "");
  const oldSlug = filename.replace(/^.*\//, "").replace(/\.html?$/, "");
  const urls = [link, filename, link && `${link}?m=1`].filter(Boolean);
  if (/^\d+$/.test(id)) urls.push(`/feeds/${id}/comments/default`);
  return {
    sourceId: id,
    kind: kind === "page" ? "page" : "post",
    status,
    title,
    oldSlug: decodeSafe(oldSlug),
    date: date ?? new Date(0).toISOString(),
    ...(updated && date && updated > date && { updated }),
    html: textOf(first(node, "content")),
    tags: all(node, "category")
      .filter(
        (c) => attr(c, "scheme") !== KIND && (attr(c, "scheme") === LABEL || !attr(c, "scheme").startsWith("http")),
      )
      .map((c) => attr(c, "term"))
      .filter(Boolean),
    oldUrls: [...new Set(urls)],
    comments: [],
  };
}

function postStatus(node: XmlNode): SourceStatus {
  const takeout = childText(node, "blogger:status");
  if (takeout) return TAKEOUT_STATUS[takeout] ?? "draft";
  const draft = childText(first(node, "app:control"), "app:draft");
  if (draft === "yes") return "draft";
  const published = Date.parse(childText(node, "published"));
  return published > Date.now() ? "scheduled" : "published";
}

/** The entry a comment answers: a post (classic `thr:in-reply-to`) or a post or comment (Takeout `blogger:parent`). */
const replyTarget = (node: XmlNode): string =>
  attr(first(node, "thr:in-reply-to"), "ref") || childText(node, "blogger:parent");

function addComment(
  { node, tag }: Entry,
  posts: Map<string, SourcePost>,
  postOf: Map<string, string>,
  out: SourceExport,
) {
  const id = shortId(tag);
  let target = postOf.get(tag);
  let parent: string | undefined;
  // Takeout: a reply's parent is the comment; walk up to the post.
  for (let hops = 0; target && !posts.has(target) && postOf.has(target) && hops < 100; hops++) {
    parent ??= target;
    target = postOf.get(target);
  }
  const post = target ? posts.get(target) : undefined;
  if (!post) {
    out.skipped.push({ kind: "comment", item: `comment ${id}`, reason: "its post is not in the export" });
    return;
  }
  const related = attr(
    all(node, "link").find((l) => attr(l, "rel") === "related"),
    "href",
  );
  if (!parent && related) parent = related.replace(/^.*\//, "");
  const date = anyDate(childText(node, "published"));
  if (!date) out.warnings.push(`comment ${id} on post ${post.sourceId}: has no date, dated 1970-01-01`);
  const status = childText(node, "blogger:status");
  post.comments.push({
    sourceId: id,
    ...(parent && { parentId: shortId(parent) }),
    author: childText(first(node, "author"), "name"),
    date: date ?? new Date(0).toISOString(),
    html: textOf(first(node, "content")),
    status: status ? (TAKEOUT_COMMENT_STATUS[status] ?? "pending") : "published",
  });
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
