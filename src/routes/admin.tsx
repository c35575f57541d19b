import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { validator } from "hono/validator";
import { commentConfig } from "../comments/config.ts";
import { parseId } from "../comments/cursor.ts";
import { refreshCommentPages } from "../comments/refresh.ts";
import {
  COMMENT_STATUSES,
  type CommentStatus,
  CommentsUnavailable,
  listForModeration,
  MODERATION_BATCH_MAX,
  readSession,
  setStatus,
} from "../comments/store.ts";
import { hmacHex, secretsEqual } from "../lib/crypto.ts";
import type { AppEnv } from "../types.ts";
import { AdminLoginPage, AdminPage } from "../views/admin-page.tsx";
import { errorResponse } from "./error-response.tsx";

const SESSION_COOKIE = "admin_session";
const SESSION_SECONDS = 8 * 60 * 60;
const LIST_SIZE = 50;

/**
 * Moderation: the /admin page (sign in with the ADMIN_TOKEN secret; an HttpOnly, Secure,
 * SameSite=Strict session cookie; a CSRF token on every form) and the JSON API under /admin/api
 * (Authorization: Bearer <ADMIN_TOKEN>). With no ADMIN_TOKEN set, none of it exists (404).
 */
export const admin = new Hono<AppEnv>();

const tokenOf = (c: Context<AppEnv>): string => commentConfig(c.env).adminToken ?? "";

admin.use(async (c, next) => {
  if (!commentConfig(c.env).adminToken) return c.notFound();
  await next();
  c.header("Cache-Control", "no-store");
  c.header("X-Robots-Tag", "noindex");
});

/** A session value: expiry and its MAC under the admin token (changing the token signs everyone out). */
async function newSession(token: string): Promise<string> {
  const expires = Date.now() + SESSION_SECONDS * 1000;
  return `${expires}.${await hmacHex(token, `admin-session:${expires}`)}`;
}

/** The valid session cookie's value, or null. */
async function session(c: Context<AppEnv>): Promise<string | null> {
  const value = getCookie(c, SESSION_COOKIE);
  const match = value ? /^(\d{13,16})\.([0-9a-f]{64})$/.exec(value) : null;
  if (!value || !match?.[1] || !match[2] || Number(match[1]) < Date.now()) return null;
  const expected = await hmacHex(tokenOf(c), `admin-session:${match[1]}`);
  return (await secretsEqual(match[2], expected)) ? value : null;
}

const csrfOf = (c: Context<AppEnv>, sessionValue: string) => hmacHex(tokenOf(c), `csrf:${sessionValue}`);

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
  const current = await session(c);
  if (!current) return c.html(<AdminLoginPage site={c.var.site} />);
  const status = statusFilter(c.req.query("status"));
  if (status === undefined) return errorResponse(c, 400, "Unknown status filter.");
  const from = parseId(c.req.query("from"));
  try {
    const list = await listForModeration(readSession(c.env.DB), { status, limit: LIST_SIZE, from });
    const done = parseId(c.req.query("done"));
    return c.html(
      <AdminPage
        site={c.var.site}
        status={status}
        comments={list.comments}
        next={list.next}
        csrf={await csrfOf(c, current)}
        notice={c.req.query("done") === undefined ? undefined : `${done ?? 0} comment(s) changed.`}
      />,
    );
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    return errorResponse(c, 503, "The comments database is unavailable. Please try again in a minute.", {
      "Retry-After": "30",
    });
  }
});

admin.post(
  "/login",
  validator("form", (value) => ({ token: typeof value.token === "string" ? value.token : "" })),
  async (c) => {
    const salt = commentConfig(c.env).salt ?? "";
    const ipHash = await hmacHex(salt, `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`);
    const { success } = await c.env.ADMIN_LOGIN_RATE_LIMITER.limit({ key: ipHash });
    if (!success) {
      c.header("Retry-After", "60");
      return c.html(<AdminLoginPage site={c.var.site} error="Too many attempts. Wait a minute." />, 429);
    }
    if (!(await secretsEqual(c.req.valid("form").token, tokenOf(c))))
      return c.html(<AdminLoginPage site={c.var.site} error="That token is not right." />, 401);
    setCookie(c, SESSION_COOKIE, await newSession(tokenOf(c)), {
      path: "/admin",
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      maxAge: SESSION_SECONDS,
    });
    return c.redirect("/admin", 303);
  },
);

/** Form posts from the signed-in page: a session and its CSRF token, or 401/403. */
const formValues = validator("form", async (value, c) => {
  const current = await session(c);
  if (!current) return c.html(<AdminLoginPage site={c.var.site} error="Please sign in again." />, 401);
  const csrf = typeof value.csrf === "string" ? value.csrf : "";
  if (!(await secretsEqual(csrf, await csrfOf(c, current))))
    return errorResponse(c, 403, "This form has expired or came from elsewhere. Reload the admin page and try again.");
  return value;
});

admin.post("/logout", formValues, (c) => {
  deleteCookie(c, SESSION_COOKIE, { path: "/admin", secure: true });
  return c.redirect("/admin", 303);
});

admin.post("/moderate", formValues, async (c) => {
  const form = c.req.valid("form");
  const status = moderationAction(form.action);
  const ids = idsOf(form.ids);
  if (!status) return errorResponse(c, 400, "Choose approve, spam or delete.");
  if (!ids) return errorResponse(c, 400, `Select between 1 and ${MODERATION_BATCH_MAX} comments.`);
  const back = typeof form.back === "string" && /^\/admin\?status=[a-z]+$/.test(form.back) ? form.back : "/admin";
  try {
    const { changed, posts } = await setStatus(c.env.DB, ids, status, Date.now());
    await refreshCommentPages(c, posts);
    return c.redirect(`${back}${back.includes("?") ? "&" : "?"}done=${changed}`, 303);
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    return errorResponse(c, 503, "The comments database is unavailable. Nothing was changed.", { "Retry-After": "30" });
  }
});

// JSON API: a Bearer token on every request; no cookies, so no CSRF exposure.
admin.use("/api/*", async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const given = header.startsWith("Bearer ") ? header.slice(7) : "";
  if (!(await secretsEqual(given, tokenOf(c)))) {
    c.header("WWW-Authenticate", 'Bearer realm="admin"');
    return c.json({ error: { status: 401, message: "A valid admin token is required (Authorization: Bearer)." } }, 401);
  }
  await next();
});

admin.get("/api/comments", async (c) => {
  const status = statusFilter(c.req.query("status"));
  if (status === undefined) return c.json({ error: { status: 400, message: "Unknown status filter." } }, 400);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? LIST_SIZE : parseId(rawLimit);
  if (limit === null || limit > 200)
    return c.json({ error: { status: 400, message: '"limit" must be from 1 to 200.' } }, 400);
  try {
    const list = await listForModeration(readSession(c.env.DB), { status, limit, from: parseId(c.req.query("from")) });
    return c.json(list);
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    c.header("Retry-After", "30");
    return c.json({ error: { status: 503, message: "The comments database is unavailable." } }, 503);
  }
});

admin.post(
  "/api/comments/moderate",
  validator("json", (value, c) => {
    const status = moderationAction(typeof value === "object" && value !== null ? Reflect.get(value, "status") : null);
    const ids = idsOf(typeof value === "object" && value !== null ? Reflect.get(value, "ids") : undefined);
    if (!status || !ids || ids.length === 0)
      return c.json(
        {
          error: {
            status: 422,
            message: `Send {"ids": [1, 2, ...] (1 to ${MODERATION_BATCH_MAX}), "status": "published" | "pending" | "spam" | "deleted"}.`,
          },
        },
        422,
      );
    return { ids, status };
  }),
  async (c) => {
    const { ids, status } = c.req.valid("json");
    try {
      const { changed, posts } = await setStatus(c.env.DB, ids, status, Date.now());
      await refreshCommentPages(c, posts);
      return c.json({ updated: changed });
    } catch (error) {
      if (!(error instanceof CommentsUnavailable)) throw error;
      c.header("Retry-After", "30");
      return c.json(
        { error: { status: 503, message: "The comments database is unavailable. Nothing was changed." } },
        503,
      );
    }
  },
);
