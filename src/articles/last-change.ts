import type { PostSummary } from "./record.ts";

/** When a post last changed: its update, else its publication (ISO 8601). */
export const lastChange = (p: PostSummary): string => p.updated ?? p.date;

/** The latest change among `posts` (ISO 8601), or undefined for none: when a list of them last changed. */
export const newestChange = (posts: readonly PostSummary[]): string | undefined => posts.map(lastChange).sort().at(-1);
