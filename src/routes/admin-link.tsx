import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { adminToken } from "../admin/auth.ts";
import { refreshCommentPages } from "../comments/refresh.ts";
import { commentById, moderateIfUnchanged } from "../comments/store/notify.ts";
import type { CommentStatus } from "../comments/store/rows.ts";
import type { Message } from "../i18n/index.ts";
import { Hono } from "../lib/hono.ts";
import { checkLink, type LinkAction, type LinkClaim } from "../notify/links.ts";
import type { AppEnv } from "../types.ts";
import { LinkConfirmPage, LinkResultPage } from "../views/admin-link-page.tsx";

/**
 * /admin/link: approve or reject one comment from a notification's signed link, without signing
 * in (src/notify/links.ts says why that is safe). GET shows the comment and a button; POST acts.
 * Mounted inside /admin, so it exists only with ADMIN_TOKEN set.
 */
export const adminLink = new Hono<AppEnv>();

const STATUS_OF: Record<LinkAction, CommentStatus> = { approve: "published", reject: "deleted" };
const FIELDS = ["id", "action", "v", "exp", "sig"] as const;

const REFUSED: Record<"malformed" | "forged" | "expired" | "spent", [ContentfulStatusCode, Message]> = {
  malformed: [400, (t) => t.admin.linkMalformed],
  forged: [403, (t) => t.admin.linkForged],
  expired: [410, (t) => t.admin.linkExpired],
  spent: [409, (t) => t.admin.linkSpent],
};

function refuse(c: Context<AppEnv>, reason: keyof typeof REFUSED) {
  const [status, message] = REFUSED[reason];
  return c.html(<LinkResultPage site={c.var.site} message={message} />, status);
}

/** The link's fields from the query or the form, checked; the claim, or the refusal to answer. */
async function claimOf(c: Context<AppEnv>, fields: Record<string, string | undefined>) {
  const check = await checkLink(adminToken(c), fields, Date.now());
  return check.ok ? check.claim : check.reason;
}

const fieldsOf = (source: Record<string, unknown>) =>
  Object.fromEntries(FIELDS.map((name) => [name, typeof source[name] === "string" ? source[name] : undefined]));

/** The comment, if the link was made for it as it is now. */
async function unchanged(c: Context<AppEnv>, claim: LinkClaim) {
  const comment = await commentById(c.env.DB, claim.id);
  return comment && Date.parse(comment.updatedAt) === claim.version ? comment : null;
}

adminLink.get("/", async (c) => {
  const fields = fieldsOf(c.req.query());
  const claim = await claimOf(c, fields);
  if (typeof claim === "string") return refuse(c, claim);
  const comment = await unchanged(c, claim);
  if (!comment) return refuse(c, "spent");
  const hidden = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? ""]));
  return c.html(<LinkConfirmPage site={c.var.site} comment={comment} action={claim.action} fields={hidden} />);
});

adminLink.post("/", async (c) => {
  const claim = await claimOf(c, fieldsOf(await c.req.parseBody()));
  if (typeof claim === "string") return refuse(c, claim);
  const post = await moderateIfUnchanged(c.env.DB, claim.id, claim.version, STATUS_OF[claim.action], Date.now());
  if (post === null) return refuse(c, "spent");
  await refreshCommentPages(c, [post]);
  const done: Message = (t) => (claim.action === "approve" ? t.admin.approved : t.admin.rejected)(claim.id);
  return c.html(<LinkResultPage site={c.var.site} message={done} />);
});
