import type { Context } from "hono";
import { validator } from "hono/validator";
import { adminToken, apiAuth, signInRefused } from "../admin/auth.ts";
import { currentSession, endSession, startSession } from "../admin/session.ts";
import { parseId } from "../comments/cursor.ts";
import { refreshCommentPages } from "../comments/refresh.ts";
import { listForModeration, MODERATION_BATCH_MAX, setStatus } from "../comments/store/moderation.ts";
import { pendingCount } from "../comments/store/notify.ts";
import { COMMENT_STATUSES, type CommentStatus } from "../comments/store/rows.ts";
import { readSession } from "../comments/store/sessions.ts";
import { secretsEqual } from "../lib/crypto.ts";
import { Hono } from "../lib/hono.ts";
import type { AppEnv } from "../types.ts";
import { AdminLoginPage, AdminPage } from "../views/admin-page.tsx";
import { adminLink } from "./admin-link.tsx";
import { errorResponse, jsonError } from "./error-response.tsx";

const LIST_SIZE = 50;

/**
 * Moderation: the /admin page (sign in with the ADMIN_TOKEN secret; a session cookie checked
 * against D1 on every request, src/admin/session.ts; a CSRF token on every form) and the JSON API
 * under /admin/api (Authorization: Bearer <ADMIN_TOKEN>, src/admin/auth.ts). Both share one
 * budget of failed sign-ins per address. With no ADMIN_TOKEN set, none of it exists (404).
 */
export const admin = new Hono<AppEnv>();

const isApi = (c: Context<AppEnv>) => c.req.path.startsWith("/admin/api/");

/** Without D1 the admin cannot tell a live session from a revoked one, nor a locked-out address. */

admin.use(async (c, next) => {
  if (!adminToken(c)) return c.notFound();
  // D1 down anywhere in the admin (sessions, lockouts, moderation): app.onError answers 503 with this.
  c.set("unavailable", { message: (t) => t.says.dbDown, retryAfter: 30, json: isApi(c) });
  await next();
  c.header("Cache-Control", "no-store");
  c.header("X-Robots-Tag", "noindex");
});

const moderationAction = (value: unknown): CommentStatus | null =>
  COMMENT_STATUSES.find((status) => status === value) ?? null;

/** Ids from a form (one value or many) or a JSON array: positive integers, at most MODERATION_BATCH_MAX. */
function idsOf(value: unknown): number[] | null {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (list.length > MODERATION_BATCH_MAX) return null;
  const ids: number[] = [];
  for (const v of list) {
    const id = typeof v === "number" ? (Number.isSafeInteger(v) && v > 0 ? v : null) : parseId(String(v));
    if (id === null) return null;
    ids.push(id);
  }
  return ids.length > 0 ? ids : null;
}

function statusFilter(raw: string | undefined): CommentStatus | null | undefined {
  if (raw === undefined || raw === "pending") return "pending";
  if (raw === "all") return null;
  return moderationAction(raw) ?? undefined;
}

admin.get("/", async (c) => {
  const session = await currentSession(c);
  if (!session) return c.html(<AdminLoginPage site={c.var.site} />);
  const status = statusFilter(c.req.query("status"));
  if (status === undefined) return errorResponse(c, 400, (t) => t.admin.unknownStatus);
  const from = parseId(c.req.query("from"));
  const db = readSession(c.env.DB);
  const [list, pending] = await Promise.all([
    listForModeration(db, { status, limit: LIST_SIZE, from }),
    pendingCount(db),
  ]);
  const done = parseId(c.req.query("done"));
  return c.html(
    <AdminPage
      site={c.var.site}
      status={status}
      pending={pending}
      comments={list.comments}
      next={list.next}
      csrf={session.csrf}
      notice={c.req.query("done") === undefined ? undefined : (t) => t.admin.changed(done ?? 0)}
    />,
  );
});

admin.post(
  "/login",
  validator("form", (value) => ({ token: typeof value.token === "string" ? value.token : "" })),
  async (c) => {
    const wait = await signInRefused(c);
    if (wait !== null) {
      c.header("Retry-After", String(wait));
      return c.html(<AdminLoginPage site={c.var.site} error={(t) => t.admin.tooManyAttempts} />, 429);
    }
    if (!(await secretsEqual(c.req.valid("form").token, adminToken(c))))
      return c.html(<AdminLoginPage site={c.var.site} error={(t) => t.admin.wrongToken} />, 401);
    await startSession(c);
    return c.redirect("/admin", 303);
  },
);

/** Form posts from the signed-in page: a live session and its CSRF token, or 401/403. */
const formValues = validator("form", async (value, c) => {
  const session = await currentSession(c);
  if (!session) return c.html(<AdminLoginPage site={c.var.site} error={(t) => t.admin.signInAgain} />, 401);
  const csrf = typeof value.csrf === "string" ? value.csrf : "";
  if (!(await secretsEqual(csrf, session.csrf))) return errorResponse(c, 403, (t) => t.admin.formExpired);
  return { fields: value, session };
});

// Signing out ends this browser's session; "Sign out everywhere" ends every session there is.
admin.post("/logout", formValues, async (c) => {
  await endSession(c, c.req.valid("form").session, false);
  return c.redirect("/admin", 303);
});

admin.post("/logout-everywhere", formValues, async (c) => {
  await endSession(c, c.req.valid("form").session, true);
  return c.redirect("/admin", 303);
});

admin.post("/moderate", formValues, async (c) => {
  const form = c.req.valid("form").fields;
  const status = moderationAction(form.action);
  const ids = idsOf(form.ids);
  if (!status) return errorResponse(c, 400, (t) => t.admin.chooseAction);
  if (!ids) return errorResponse(c, 400, (t) => t.admin.selectCount(MODERATION_BATCH_MAX));
  const back = typeof form.back === "string" && /^\/admin\?status=[a-z]+$/.test(form.back) ? form.back : "/admin";
  const { changed, posts } = await setStatus(c.env.DB, ids, status, Date.now());
  await refreshCommentPages(c, posts);
  return c.redirect(`${back}${back.includes("?") ? "&" : "?"}done=${changed}`, 303);
});

// A notification's signed approve / reject link: no sign-in (src/notify/links.ts).
admin.route("/link", adminLink);

// JSON API: a Bearer token on every request; no cookies, so no CSRF exposure.
admin.use("/api/*", apiAuth);

admin.get("/api/comments", async (c) => {
  const status = statusFilter(c.req.query("status"));
  if (status === undefined) return jsonError(c, 400, (t) => t.admin.unknownStatus);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? LIST_SIZE : parseId(rawLimit);
  if (limit === null || limit > 200) return jsonError(c, 400, (t) => t.says.badLimit(200));
  return c.json(await listForModeration(readSession(c.env.DB), { status, limit, from: parseId(c.req.query("from")) }));
});

admin.post(
  "/api/comments/moderate",
  validator("json", (value, c) => {
    const field = (name: string) =>
      typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined;
    const status = moderationAction(field("status"));
    const ids = idsOf(field("ids"));
    if (!status || !ids) return jsonError(c, 422, (t) => t.admin.apiShape(MODERATION_BATCH_MAX));
    return { ids, status };
  }),
  async (c) => {
    const { ids, status } = c.req.valid("json");
    const { changed, posts } = await setStatus(c.env.DB, ids, status, Date.now());
    await refreshCommentPages(c, posts);
    return c.json({ updated: changed });
  },
);
