/** A notification as plain text, for e-mail and the chat formats: subject line and body lines. */

import type { NotifyConfig } from "./config.ts";
import { moderationLink } from "./links.ts";
import type { NotifiedComment, NotifyEvent } from "./message.ts";

/** "held for approval" for a pending comment, its status otherwise. */
export const statusLabel = (comment: NotifiedComment): string =>
  comment.status === "pending" ? "held for approval" : comment.status;

export const postUrl = (config: NotifyConfig, comment: NotifiedComment): string =>
  `${config.siteUrl}/posts/${encodeURIComponent(comment.slug)}#comment-${comment.id}`;

/** The approve / reject links of a held comment (none for a published one, or with no ADMIN_TOKEN). */
export async function linksOf(
  config: NotifyConfig,
  comment: NotifiedComment,
): Promise<{ approve: string; reject: string } | null> {
  if (!config.linkKey || comment.status !== "pending") return null;
  return {
    approve: await moderationLink(config.siteUrl, config.linkKey, comment, "approve"),
    reject: await moderationLink(config.siteUrl, config.linkKey, comment, "reject"),
  };
}

export function subjectOf(config: NotifyConfig, event: NotifyEvent): string {
  if (event.kind === "digest") {
    const held = event.pending > 0 ? `, ${event.pending} waiting for approval` : "";
    return `[${config.siteTitle}] ${event.comments.length + event.more} new comment(s) in the last hour${held}`;
  }
  const { comment } = event;
  const what = comment.status === "pending" ? "Held for approval" : "New comment";
  return `[${config.siteTitle}] ${what}: ${comment.author} on "${comment.title}"`;
}

/** One comment's lines: who, where, status, the text, and what to do with it. */
async function commentLines(config: NotifyConfig, comment: NotifiedComment): Promise<string[]> {
  const lines = [
    `${comment.author} on "${comment.title}" (${statusLabel(comment)})`,
    postUrl(config, comment),
    "",
    ...comment.text.split("\n").map((line) => `> ${line}`),
    "",
  ];
  const links = await linksOf(config, comment);
  if (links) lines.push(`Approve: ${links.approve}`, `Reject: ${links.reject}`, "");
  return lines;
}

/** The whole notification as text lines. */
export async function bodyLines(config: NotifyConfig, event: NotifyEvent): Promise<string[]> {
  const admin = `Moderation: ${config.siteUrl}/admin`;
  if (event.kind === "comment") return [...(await commentLines(config, event.comment)), admin];
  const lines = [`${event.comments.length + event.more} new comment(s) on ${config.siteTitle}.`, ""];
  for (const comment of event.comments) lines.push(...(await commentLines(config, comment)));
  if (event.more > 0) lines.push(`… and ${event.more} more, in /admin.`, "");
  if (event.pending > 0) lines.push(`${event.pending} comment(s) in all wait for approval.`);
  lines.push(admin);
  return lines;
}
