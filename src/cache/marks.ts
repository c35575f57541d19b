import type { Context } from "hono";
import type { AppEnv } from "../types.ts";

/**
 * What a handler tells the page cache about the response it renders. The cache decides from
 * these marks, set by whatever put the content in, never from a guess about the request: a page
 * that shows one reader's own content is personal however that reader got there.
 */

/**
 * Marks the response as rendered for one reader (it shows something only they may see, such as
 * their own held comment): the page cache neither stores it nor serves it to anyone else, and
 * shared caches in front of the Worker are told not to keep it.
 */
export function markPersonal(c: Context<AppEnv>): void {
  c.set("personal", true);
}

/**
 * Marks the response as degraded (a dependency failed and part of the page says so): it is sent
 * but not stored, so the first request after the dependency is back renders the whole page.
 */
export function markDegraded(c: Context<AppEnv>): void {
  c.set("degraded", true);
}

/**
 * Notes that what the page shows changed at `time` (ISO 8601 or ms since epoch): the page's
 * `Last-Modified` is the latest time noted while it rendered (the newest post it lists, an
 * article's own update or its comments' last change). A page that notes none sends none.
 */
export function noteModified(c: Context<AppEnv>, time: string | number): void {
  const ms = typeof time === "number" ? time : Date.parse(time);
  if (!Number.isFinite(ms)) return;
  const previous = c.get("modifiedAt");
  if (previous === undefined || ms > previous) c.set("modifiedAt", ms);
}
