/**
 * D1 storage of reader comments, the shared part: the stored comment and its row, and the one
 * way every statement runs (`d1`). Every SQL statement of the project's comments lives in this
 * folder, as prepared statements with bound parameters. Functions take the database first; reads
 * accept a `D1DatabaseSession` as well (sessions.ts).
 */

import { type Notice, Unavailable } from "../../lib/unavailable.ts";
import type { CommentRow, CommentStatus } from "./comment-row.ts";

export type { CommentRow, CommentStatus };

/** The database or a session on it: both prepare statements and run batches. */
export type Db = D1Database | D1DatabaseSession;

export const COMMENT_STATUSES: readonly CommentStatus[] = ["published", "pending", "spam", "deleted"];

/** A stored comment as the Worker uses it. Never holds the IP hash or the author token hash. */
export interface Comment {
  id: number;
  postSlug: string;
  parentId: number | null;
  /** The id of the thread's top-level comment (its own id for a top-level comment). */
  threadId: number;
  depth: number;
  author: string;
  body: string;
  status: CommentStatus;
  /** ISO 8601, UTC. */
  createdAt: string;
  updatedAt: string;
  /** When the commenter last edited it (ISO 8601), or null: shown as "edited". */
  editedAt: string | null;
  /** Written by the site owner signed in to /admin: set server-side only (the "Author" badge). */
  byOwner: boolean;
  likes: number;
}

/**
 * Where a page of comments continues: after comment `id` of thread `threadId` (threads run newest
 * first, comments within a thread oldest first). `id: 0` starts at the top of that thread.
 */
export interface Cursor {
  threadId: number;
  id: number;
}

/**
 * D1 errored (unreachable, overloaded, timed out): the article shows a notice in place of its
 * comments (src/comments/section.ts); anything else answers 503 (src/index.ts).
 */
export class CommentsUnavailable extends Unavailable {
  override name = "CommentsUnavailable";
  constructor(message: string, options?: ErrorOptions) {
    super(message, NO_COMMENTS, options);
  }
}

const NO_COMMENTS: Notice = {
  message: (t) => t.says.commentsDown,
  retryAfter: 30,
};

export const COLUMNS =
  "id, post_slug, parent_id, thread_id, depth, author, body, status, created_at, updated_at, edited_at, by_owner, likes" as const;

export const toComment = (row: CommentRow): Comment => ({
  id: row.id,
  postSlug: row.post_slug,
  parentId: row.parent_id,
  threadId: row.thread_id,
  depth: row.depth,
  author: row.author,
  body: row.body,
  status: row.status,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  editedAt: row.edited_at === null ? null : new Date(row.edited_at).toISOString(),
  byOwner: row.by_owner === 1,
  likes: row.likes,
});

/** Runs a D1 call, turning any failure into `CommentsUnavailable` so routes can answer 503 / a notice. */
export async function d1<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new CommentsUnavailable(`D1 ${what} failed`, { cause: error });
  }
}

/** D1 allows about 100 bound parameters per statement; stay well under it. */
export const MAX_PARAMS = 90;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
