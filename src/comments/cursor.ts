import type { Cursor } from "./store/rows.ts";

/** A page cursor as it travels in URLs: `<threadId>-<id>` (id 0: from the start of that thread). */
export const formatCursor = (cursor: Cursor): string => `${cursor.threadId}-${cursor.id}`;

/** Parses `formatCursor` output; null for anything else. */
export function parseCursor(raw: string): Cursor | null {
  const match = /^([1-9]\d{0,14})-(0|[1-9]\d{0,14})$/.exec(raw);
  if (!match?.[1] || !match[2]) return null;
  return { threadId: Number(match[1]), id: Number(match[2]) };
}

/** A comment id from a form field, query or path: a positive integer, else null. */
export function parseId(raw: string | undefined): number | null {
  return raw !== undefined && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}
