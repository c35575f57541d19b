/**
 * The webhook channel: a POST to NOTIFY_WEBHOOK_URL in one of three formats. "json" is this blog's
 * own body, signed: `X-Notify-Signature-256: sha256=<hex HMAC-SHA-256 of the raw body under
 * NOTIFY_WEBHOOK_SECRET>` (GitHub's scheme), with `X-Notify-Id`, the same on every retry of one
 * notification, for a receiver to drop a repeat. "discord" and "slack" are the bodies their
 * incoming webhooks take (their URL is the secret; they check no signature).
 */

import { hmacHex } from "../lib/crypto.ts";
import type { NotifyConfig, WebhookFormat } from "./config.ts";
import { DeliveryFailed } from "./delivery.ts";
import type { NotifiedComment, NotifyEvent } from "./message.ts";
import { bodyLines, linksOf, postUrl, subjectOf } from "./text.ts";

export const SIGNATURE_HEADER = "X-Notify-Signature-256";
export const ID_HEADER = "X-Notify-Id";
const TIMEOUT_MS = 10_000;

async function jsonComment(config: NotifyConfig, comment: NotifiedComment) {
  const links = await linksOf(config, comment);
  return {
    id: comment.id,
    post: { slug: comment.slug, title: comment.title },
    author: comment.author,
    text: comment.text,
    status: comment.status,
    created: new Date(comment.createdAt).toISOString(),
    url: postUrl(config, comment),
    approveUrl: links?.approve ?? null,
    rejectUrl: links?.reject ?? null,
  };
}

/** This blog's JSON notification. */
export async function jsonBody(config: NotifyConfig, event: NotifyEvent, now: number) {
  const common = { site: { title: config.siteTitle, url: config.siteUrl }, adminUrl: `${config.siteUrl}/admin` };
  const sent = new Date(now).toISOString();
  if (event.kind === "comment") {
    const type = event.comment.status === "pending" ? "comment.held" : "comment.created";
    return { type, sent, ...common, comment: await jsonComment(config, event.comment) };
  }
  const comments = await Promise.all(event.comments.map((c) => jsonComment(config, c)));
  const window = { from: new Date(event.from).toISOString(), to: new Date(event.to).toISOString() };
  return { type: "digest", sent, ...common, ...window, comments, more: event.more, pending: event.pending };
}

/** Slack's mrkdwn: only &, < and > are special (https://api.slack.com/reference/surfaces/formatting#escaping). */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The request body of a format, as text. */
export async function webhookBody(
  format: WebhookFormat,
  config: NotifyConfig,
  event: NotifyEvent,
  now: number,
): Promise<string> {
  if (format === "json") return JSON.stringify(await jsonBody(config, event, now));
  const text = [subjectOf(config, event), "", ...(await bodyLines(config, event))].join("\n");
  // Discord: 2000 characters at most; no @everyone or @user pings from a commenter's text.
  if (format === "discord") return JSON.stringify({ content: cutChars(text, 2000), allowed_mentions: { parse: [] } });
  return JSON.stringify({ text: slackEscape(cutChars(text, 3000)) });
}

const cutChars = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** POSTs the event; throws DeliveryFailed unless the receiver answers 2xx. */
export async function sendWebhook(config: NotifyConfig, event: NotifyEvent, id: string, now: number): Promise<void> {
  const webhook = config.webhook;
  if (!webhook) return;
  const body = await webhookBody(webhook.format, config, event, now);
  const headers: Record<string, string> = { "Content-Type": "application/json", [ID_HEADER]: id };
  if (webhook.format === "json" && webhook.secret)
    headers[SIGNATURE_HEADER] = `sha256=${await hmacHex(webhook.secret, body)}`;
  let res: Response;
  try {
    res = await fetch(webhook.url, { method: "POST", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new DeliveryFailed("webhook unreachable", null, { cause: error });
  }
  await res.body?.cancel();
  if (res.ok) return;
  const wait = Number.parseInt(res.headers.get("retry-after") ?? "", 10);
  throw new DeliveryFailed(`webhook answered ${res.status}`, Number.isFinite(wait) && wait > 0 ? wait : null);
}
