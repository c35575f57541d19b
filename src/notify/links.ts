/**
 * Moderation links in notifications: approve or reject one comment without signing in.
 *
 * A link is a capability for one action on one comment: `/admin/link?id&action&v&exp&sig`, where
 * `sig` is HMAC-SHA-256 under ADMIN_TOKEN of the other four. It expires (`exp`, LINK_DAYS after
 * the comment was posted) and is good only while the comment is as it was notified (`v`, its
 * updated_at): the first use changes the comment, which spends every link made for it, so a link
 * works once, with no table of used links. Opening it (GET) only shows a confirmation page; the
 * change is its POST button, so a mail scanner or chat preview that fetches the link changes nothing.
 */

import { hmacHex, secretsEqual } from "../lib/crypto.ts";

export type LinkAction = "approve" | "reject";
export const LINK_ACTIONS: readonly LinkAction[] = ["approve", "reject"];
export const LINK_DAYS = 7;

export interface LinkClaim {
  id: number;
  action: LinkAction;
  /** The comment's updated_at (ms) the link was made for. */
  version: number;
  /** Expiry, ms since the epoch. */
  expires: number;
}

const signed = (key: string, claim: LinkClaim) =>
  hmacHex(key, `moderation-link:${claim.id}:${claim.action}:${claim.version}:${claim.expires}`);

/** The link's query (without the path): what the notification points at and the form posts back. */
export async function linkQuery(key: string, claim: LinkClaim): Promise<string> {
  const query = new URLSearchParams({
    id: String(claim.id),
    action: claim.action,
    v: String(claim.version),
    exp: String(claim.expires),
    sig: await signed(key, claim),
  });
  return query.toString();
}

/** The absolute link for one action on a notified comment. */
export async function moderationLink(
  siteUrl: string,
  key: string,
  comment: { id: number; version: number; createdAt: number },
  action: LinkAction,
): Promise<string> {
  const expires = comment.createdAt + LINK_DAYS * 86_400_000;
  return `${siteUrl}/admin/link?${await linkQuery(key, { id: comment.id, action, version: comment.version, expires })}`;
}

const whole = (raw: string | undefined) => (raw !== undefined && /^\d{1,16}$/.test(raw) ? Number(raw) : null);

export type LinkCheck = { ok: true; claim: LinkClaim } | { ok: false; reason: "malformed" | "forged" | "expired" };

/** Checks a link's fields (the comment's state is checked by the caller, against D1). */
export async function checkLink(
  key: string,
  fields: Record<string, string | undefined>,
  now: number,
): Promise<LinkCheck> {
  const id = whole(fields.id);
  const version = whole(fields.v);
  const expires = whole(fields.exp);
  const action = LINK_ACTIONS.find((a) => a === fields.action);
  if (id === null || id === 0 || version === null || expires === null || !action || !fields.sig)
    return { ok: false, reason: "malformed" };
  const claim = { id, action, version, expires };
  if (!(await secretsEqual(fields.sig, await signed(key, claim)))) return { ok: false, reason: "forged" };
  if (now >= expires) return { ok: false, reason: "expired" };
  return { ok: true, claim };
}
