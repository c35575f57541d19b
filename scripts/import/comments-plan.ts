import { createHash } from "node:crypto";
import { BODY_MAX, NAME_MAX, normalizeBody, normalizeName, textLength } from "../../src/lib/comment-text.ts";
import { htmlToText } from "./html-to-markdown.ts";
import type { CommentStatus, SourceComment } from "./model.ts";
import type { ImportReport } from "./report.ts";

/** A comment as it goes into D1: parent and thread by stable key, resolved to ids by the load. */
export interface CommentRow {
  /** `idempotency_key` of the row: derived from the export's own id, so a re-import finds it. */
  key: string;
  parentKey: string | null;
  rootKey: string | null;
  depth: number;
  slug: string;
  author: string;
  body: string;
  status: CommentStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** The stable key of a comment of an export: the same export (or a newer one of the same blog) gives the same key. */
export const commentKey = (format: string, site: string, sourceId: string): string =>
  `import:${format}:${createHash("sha256").update(`${site}\0${sourceId}`).digest("hex").slice(0, 32)}`;

/**
 * One post's comments as rows, parents before replies and otherwise oldest first (ids follow that
 * order, and the blog shows threads by id). The tree is kept at any depth; a reply whose parent
 * is not in the export becomes a top-level comment (warned). Names and texts are made to fit the
 * blog's rules (HTML becomes text; a text over 5,000 characters is cut, warned).
 */
export function commentRows(
  comments: readonly SourceComment[],
  target: { format: string; site: string; slug: string; label: string },
  report: ImportReport,
): CommentRow[] {
  const byId = new Map(comments.map((c) => [c.sourceId, c]));
  const children = new Map<string | undefined, SourceComment[]>();
  for (const c of comments) {
    let parent = c.parentId;
    if (parent !== undefined && (!byId.has(parent) || parent === c.sourceId)) {
      report.warn(
        `comment ${c.sourceId} on ${target.label}: replies to comment ${parent}, which is not in the export; imported as a top-level comment`,
      );
      parent = undefined;
    }
    const list = children.get(parent) ?? [];
    list.push(c);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const key = (id: string) => commentKey(target.format, target.site, id);
  const rows: CommentRow[] = [];
  const seen = new Set<string>();
  const visit = (c: SourceComment, parentKey: string | null, rootKey: string | null, depth: number) => {
    if (seen.has(c.sourceId)) return;
    seen.add(c.sourceId);
    const row = toRow(c, target, report);
    if (row) rows.push({ ...row, key: key(c.sourceId), parentKey, rootKey, depth });
    const own = key(c.sourceId);
    // A skipped comment's replies hang from its parent instead.
    for (const reply of children.get(c.sourceId) ?? [])
      row ? visit(reply, own, rootKey ?? own, depth + 1) : visit(reply, parentKey, rootKey, depth);
  };
  // Threads come out oldest first, so their ids grow with their dates.
  for (const top of children.get(undefined) ?? []) visit(top, null, null, 0);
  // Replies that lead back to each other (a broken export) have no top: each loop starts a thread.
  for (const c of comments)
    if (!seen.has(c.sourceId)) {
      report.warn(`comment ${c.sourceId} on ${target.label}: its replies form a loop; imported as a top-level comment`);
      visit(c, null, null, 0);
    }
  return rows;
}

function toRow(
  c: SourceComment,
  target: { slug: string; label: string },
  report: ImportReport,
): Omit<CommentRow, "key" | "parentKey" | "rootKey" | "depth"> | undefined {
  let body = normalizeBody(htmlToText(c.html));
  if (!body) {
    if (c.status !== "deleted") {
      report.skipped("comments", "no text");
      return undefined;
    }
    body = "(deleted)";
  }
  if (textLength(body) > BODY_MAX) {
    body = `${[...body].slice(0, BODY_MAX - 1).join("")}…`;
    report.warn(`comment ${c.sourceId} on ${target.label}: longer than ${BODY_MAX} characters, cut`);
  }
  let author = normalizeName(c.author) || "Anonymous";
  if (textLength(author) > NAME_MAX) author = [...author].slice(0, NAME_MAX).join("");
  return { slug: target.slug, author, body, status: c.status, createdAt: Date.parse(c.date) };
}
