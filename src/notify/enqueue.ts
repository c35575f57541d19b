/**
 * The comment POST's one piece of notification work: queue the new comment, once per channel,
 * in one `sendBatch` the response does not wait for (`waitUntil`). Delivery, formats and retries
 * happen in the queue consumer (consumer.ts). In "hourly" mode the POST does nothing: the cron
 * reads D1 (digest.ts).
 */

import type { Context } from "hono";
import type { Comment } from "../comments/store/rows.ts";
import type { AppEnv } from "../types.ts";
import { notifyConfig } from "./config.ts";
import { type NotifyMessage, notified } from "./message.ts";

/** The queue messages of a new comment (none when notifications are off or nothing is set up). */
export function commentMessages(env: Env, comment: Comment, title: string): NotifyMessage[] {
  const config = notifyConfig(env);
  if (config.mode !== "each") return [];
  const event = { kind: "comment", comment: notified(comment, title) } as const;
  return config.channels.map((channel) => ({ channel, event }));
}

/** Queues the notifications of a comment just created; a failed send is logged, never the poster's. */
export function notifyComment(c: Context<AppEnv>, comment: Comment, title: string): void {
  const messages = commentMessages(c.env, comment, title);
  if (messages.length === 0) return;
  const sent = c.env.NOTIFY_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" }))).catch((error) =>
    // The comment is stored and, if held, listed in /admin and counted in its title.
    console.error(`notification of comment ${comment.id} could not be queued`, error),
  );
  try {
    c.executionCtx.waitUntil(sent);
  } catch {
    // No execution context (app.request in a script): the send still runs.
  }
}
