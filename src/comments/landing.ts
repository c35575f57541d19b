import { postPath } from "../lib/paths.ts";
import { formatCursor } from "./cursor.ts";
import { COMMENTS_PER_PAGE } from "./section.ts";
import { positionOf } from "./store/pages.ts";
import { type Comment, CommentsUnavailable } from "./store/rows.ts";
import { writeSession } from "./store/sessions.ts";

/** A comment's address on its article page: the anchor, on the first page of comments. */
export const commentUrl = (comment: Comment): string => `${postPath(comment.postSlug)}#comment-${comment.id}`;

/**
 * Where a form poster lands after storing `comment`. A new thread is always on the article's
 * first page; a reply deep in a long discussion may not be, so the poster lands on the page that
 * starts with its thread. Reads D1 only for a reply; when D1 fails, the first page (stored is stored).
 */
export async function landingOf(db: D1Database, comment: Comment, authorHash: string): Promise<string> {
  const url = commentUrl(comment);
  if (comment.parentId === null) return url;
  try {
    if ((await positionOf(writeSession(db), comment, authorHash)) < COMMENTS_PER_PAGE) return url;
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    return url;
  }
  const cursor = formatCursor({ threadId: comment.threadId, id: 0 });
  return `${postPath(comment.postSlug)}?comments=${cursor}#comment-${comment.id}`;
}
