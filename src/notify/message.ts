import { COMMENT_STATUSES, type Comment, type CommentStatus } from "../comments/store/rows.ts";
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
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

function readComment(value: unknown): NotifiedComment | null {
  if (!isRecord(value)) return null;
  const { id, slug, title, author, text, createdAt, version } = value;
  const status = COMMENT_STATUSES.find((s) => s === value.status);
  if (!isNumber(id) || !isNumber(createdAt) || !isNumber(version) || !status) return null;
  if (typeof slug !== "string" || typeof title !== "string" || typeof author !== "string" || typeof text !== "string")
    return null;
  return { id, slug, title, author, text, status, createdAt, version };
}

function readEvent(event: unknown): NotifyEvent | null {
  if (!isRecord(event)) return null;
  if (event.kind === "comment") {
    const comment = readComment(event.comment);
    return comment && { kind: "comment", comment };
  }
  const { from, to, more, pending } = event;
  if (event.kind !== "digest" || !Array.isArray(event.comments)) return null;
  if (!isNumber(from) || !isNumber(to) || !isNumber(more) || !isNumber(pending)) return null;
  const comments = event.comments.map(readComment);
  if (comments.some((c) => c === null)) return null;
  return { kind: "digest", from, to, more, pending, comments: comments.filter((c) => c !== null) };
}

/** A queue message's body, checked: what this code sent, or null (a message from elsewhere, an old shape). */
export function readMessage(body: unknown): NotifyMessage | null {
  if (!isRecord(body) || (body.channel !== "webhook" && body.channel !== "email")) return null;
  const event = readEvent(body.event);
  return event && { channel: body.channel, event };
}
