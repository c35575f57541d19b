/**
 * The hourly digest (NOTIFY_MODE = "hourly"), run by the cron trigger at the top of every hour:
 * the comments created in the hour before the scheduled time, plus how many wait for approval in
 * all, queued once per channel (delivered and retried like a single notification). The window
 * comes from the scheduled time, not from state: an hour whose cron run Cloudflare skipped is not
 * digested, but its held comments are still counted by every later digest and listed in /admin.
 */

import { getArticle, getRelease } from "../articles/store.ts";
import { createdBetween, pendingCount } from "../comments/store/notify.ts";
import { RELEASE } from "../generated/release.ts";
import { notifyConfig } from "./config.ts";
import { DIGEST_MAX, type NotifyMessage, notified } from "./message.ts";

const HOUR = 3_600_000;

/** The titles of the posts, from the release this Worker serves; a post KV cannot tell is named by its slug. */
async function titlesOf(env: Env, slugs: readonly string[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  try {
    const index = await getRelease(env.CONTENT, RELEASE);
    for (const slug of new Set(slugs)) {
      const article = await getArticle(env.CONTENT, index, slug);
      if (article) titles.set(slug, article.title);
    }
  } catch (error) {
    console.warn("digest: post titles could not be read; slugs are shown", error);
  }
  return titles;
}

/** The digest messages for the hour before `scheduledTime` (none when no comment came). */
export async function digestMessages(env: Env, scheduledTime: number): Promise<NotifyMessage[]> {
  const config = notifyConfig(env);
  if (config.mode !== "hourly" || config.channels.length === 0) return [];
  const to = Math.floor(scheduledTime / HOUR) * HOUR;
  const from = to - HOUR;
  const { comments, total } = await createdBetween(env.DB, from, to, DIGEST_MAX);
  if (total === 0) return [];
  const pending = await pendingCount(env.DB);
  const titles = await titlesOf(
    env,
    comments.map((c) => c.postSlug),
  );
  const event = {
    kind: "digest",
    from,
    to,
    comments: comments.map((c) => notified(c, titles.get(c.postSlug) ?? c.postSlug)),
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
