import type { Comment, CommentStatus } from "../comments/store/rows.ts";
import type { Channel } from "./config.ts";

/** A comment as a notification carries it: enough to read it and to moderate it from the link. */
export interface NotifiedComment {
  id: number;
  slug: string;
  /** The post's title (its slug when the release does not have the post). */
  title: string;
  author: string;
  /** The text, cut to TEXT_MAX characters. */
  text: string;
  status: CommentStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** The comment's updated_at when notified: a moderation link is good only while it is unchanged. */
  version: number;
}

export type NotifyEvent =
  | { kind: "comment"; comment: NotifiedComment }
  /** The comments created in [from, to), at most DIGEST_MAX of them (`more` left out), and all pending. */
  | { kind: "digest"; from: number; to: number; comments: NotifiedComment[]; more: number; pending: number };

/** One queue message: one event for one channel, so a retry never repeats another channel's delivery. */
export interface NotifyMessage {
  channel: Channel;
  event: NotifyEvent;
}

export const TEXT_MAX = 500;
export const DIGEST_MAX = 50;

/** `text` cut to `max` characters (code points, so Hangul and emoji are never split), with "…". */
export function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

export const notified = (comment: Comment, title: string): NotifiedComment => ({
  id: comment.id,
  slug: comment.postSlug,
  title,
  author: comment.author,
  text: cut(comment.body, TEXT_MAX),
  status: comment.status,
  createdAt: Date.parse(comment.createdAt),
  version: Date.parse(comment.updatedAt),
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** A queue message's body, checked: what this code sent, or null (a message from elsewhere, an old shape). */
export function readMessage(body: unknown): NotifyMessage | null {
  if (!isRecord(body) || (body.channel !== "webhook" && body.channel !== "email")) return null;
  const event = body.event;
  if (!isRecord(event)) return null;
  if (event.kind === "comment" && isRecord(event.comment)) return body as unknown as NotifyMessage;
  if (event.kind === "digest" && Array.isArray(event.comments)) return body as unknown as NotifyMessage;
  return null;
}
