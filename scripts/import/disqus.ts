import { anyDate } from "./dates.ts";
import type { SourceExport, SourceThread } from "./model.ts";
import { all, attr, childText, first, textOf, type XmlNode } from "./xml.ts";

/**
 * Reads a Disqus export: threads (pages of the old blog, by URL) and their posts (comments),
 * threaded by `<parent dsq:id>`. Deleted and spam comments keep that status; e-mails, IPs and
 * usernames are never read.
 */
export function readDisqus(doc: XmlNode): SourceExport {
  const root = first(doc, "disqus");
  const out: SourceExport = {
    format: "disqus",
    site: childText(first(root, "thread"), "forum"),
    posts: [],
    threads: [],
    skipped: [],
    warnings: [],
    found: {},
  };
  const threads = new Map<string, SourceThread>();
  for (const node of all(root, "thread")) {
    const id = attr(node, "dsq:id");
    threads.set(id, { sourceId: id, url: childText(node, "link"), title: childText(node, "title"), comments: [] });
  }
  for (const node of all(root, "post")) {
    const id = attr(node, "dsq:id");
    const thread = threads.get(attr(first(node, "thread"), "dsq:id"));
    if (!thread) {
      out.skipped.push({ kind: "comment", item: `comment ${id}`, reason: "its thread is not in the export" });
      continue;
    }
    const parent = attr(first(node, "parent"), "dsq:id");
    const date = anyDate(childText(node, "createdAt"));
    if (!date) out.warnings.push(`comment ${id} on "${thread.title}": has no date, dated 1970-01-01`);
    const author = first(node, "author");
    thread.comments.push({
      sourceId: id,
      ...(parent && { parentId: parent }),
      author: childText(author, "name") || childText(author, "username"),
      date: date ?? new Date(0).toISOString(),
      html: textOf(first(node, "message")),
      status:
        childText(node, "isDeleted") === "true"
          ? "deleted"
          : childText(node, "isSpam") === "true"
            ? "spam"
            : "published",
    });
  }
  out.threads = [...threads.values()];
  return out;
}
