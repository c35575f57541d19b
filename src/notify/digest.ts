/**
 * The hourly digest (NOTIFY_MODE = "hourly"), run by the cron trigger at the top of every hour:
 * the comments created in the hour before the scheduled time, plus how many wait for approval in
 * all, queued once per channel (delivered and retried like a single notification). The window
 * comes from the scheduled time, not from state: an hour whose cron run Cloudflare skipped is not
 * digested, but its held comments are still counted by every later digest and listed in /admin.
 */

import { createdBetween, pendingCount } from "../comments/store/notify.ts";
import { notifyConfig } from "./config.ts";
import { DIGEST_MAX, type NotifyMessage, notified } from "./message.ts";

const HOUR = 3_600_000;

/** The digest messages for the hour before `scheduledTime` (none when no comment came). */
export async function digestMessages(env: Env, scheduledTime: number): Promise<NotifyMessage[]> {
  const config = notifyConfig(env);
  if (config.mode !== "hourly" || config.channels.length === 0) return [];
  const to = Math.floor(scheduledTime / HOUR) * HOUR;
  const from = to - HOUR;
  const { comments, total } = await createdBetween(env.DB, from, to, DIGEST_MAX);
  if (total === 0) return [];
  const pending = await pendingCount(env.DB);
  const event = {
    kind: "digest",
    from,
    to,
    // A digest reads D1 only: the post is named by its slug.
    comments: comments.map((c) => notified(c, c.postSlug)),
    more: total - comments.length,
    pending,
  } as const;
  return config.channels.map((channel) => ({ channel, event }));
}

/** The `scheduled` handler's work. */
export async function sendDigest(env: Env, scheduledTime: number): Promise<void> {
  const messages = await digestMessages(env, scheduledTime);
  if (messages.length > 0) await env.NOTIFY_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" })));
}
