/**
 * A comment as D1 stores it, in a file of its own with no Workers types, so build-time scripts
 * (scripts/export-comments.ts) can share the type with the Worker without pulling workerd in.
 */

export type CommentStatus = "published" | "pending" | "spam" | "deleted";

/** A row of the `comments` table as the Worker reads it (rows.ts COLUMNS). */
export interface CommentRow {
  id: number;
  post_slug: string;
  parent_id: number | null;
  thread_id: number;
  depth: number;
  author: string;
  body: string;
  status: CommentStatus;
  created_at: number;
  updated_at: number;
  edited_at: number | null;
  by_owner: number;
  likes: number;
}
