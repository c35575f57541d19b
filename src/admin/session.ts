import type { Context } from "hono";
import { commentConfig } from "../comments/config.ts";
import { deleteCookie, getSignedCookie, setSignedCookie } from "../lib/cookies.ts";
import { hmacHex, isToken, randomToken, sha256Hex } from "../lib/crypto.ts";
import type { AppEnv } from "../types.ts";
import { deleteAllSessions, deleteSession, saveSession, sessionLive } from "./store.ts";

/**
 * The admin session: an HttpOnly, Secure, SameSite=Strict cookie holding a random session id,
 * signed with ADMIN_TOKEN (Hono's signed cookies), and a row in D1 that says the session is
 * still signed in. Signing out deletes the row, so a copy of the cookie kept from before opens
 * nothing; changing ADMIN_TOKEN invalidates every cookie's signature.
 */

const COOKIE = "admin_session";
export const SESSION_SECONDS = 8 * 60 * 60;
const COOKIE_OPTIONS = { path: "/admin", secure: true } as const;
/**
 * The same signed session id, sent only to the posts' addresses: a comment the owner posts
 * while signed in is marked as theirs (the "Author" badge). It opens nothing under /admin.
 */
const AUTHOR_COOKIE = "admin_author";
const AUTHOR_COOKIE_OPTIONS = { path: "/posts/", secure: true } as const;

const tokenOf = (c: Context<AppEnv>): string => commentConfig(c.env).adminToken ?? "";
const idHash = (id: string) => sha256Hex(`admin-session:${id}`);

/** A signed-in session: its id and the CSRF token its forms carry. */
export interface AdminSession {
  id: string;
  csrf: string;
}

/** Signs in: a new session row and its cookie. */
export async function startSession(c: Context<AppEnv>): Promise<void> {
  const id = randomToken();
  const now = Date.now();
  await saveSession(c.env.DB, await idHash(id), now, now + SESSION_SECONDS * 1000);
  await setSignedCookie(c, COOKIE, id, tokenOf(c), {
    ...COOKIE_OPTIONS,
    httpOnly: true,
    sameSite: "Strict",
    maxAge: SESSION_SECONDS,
  });
  await setSignedCookie(c, AUTHOR_COOKIE, id, tokenOf(c), {
    ...AUTHOR_COOKIE_OPTIONS,
    httpOnly: true,
    sameSite: "Strict",
    maxAge: SESSION_SECONDS,
  });
}

/**
 * The request's session when it is signed in, or null: a cookie with a valid signature whose
 * row is still in D1. Reads D1 only when the cookie's signature is right (throws
 * `CommentsUnavailable` when D1 is down).
 */
export function currentSession(c: Context<AppEnv>): Promise<AdminSession | null> {
  return sessionOf(c, COOKIE);
}

/**
 * The owner's session on a post's address (a comment POST), from the author cookie set at sign-in:
 * the same checks as `currentSession`. Null without admin (no ADMIN_TOKEN) or when signed out.
 */
export function ownerSession(c: Context<AppEnv>): Promise<AdminSession | null> {
  if (!commentConfig(c.env).adminToken) return Promise.resolve(null);
  return sessionOf(c, AUTHOR_COOKIE);
}

async function sessionOf(c: Context<AppEnv>, cookie: string): Promise<AdminSession | null> {
  const id = await getSignedCookie(c, tokenOf(c), cookie);
  if (typeof id !== "string" || !isToken(id)) return null;
  if (!(await sessionLive(c.env.DB, await idHash(id), Date.now()))) return null;
  return { id, csrf: await hmacHex(tokenOf(c), `csrf:${id}`) };
}

/** Signs out: this session only, or (`everywhere`) every session of every browser. */
export async function endSession(c: Context<AppEnv>, session: AdminSession, everywhere: boolean): Promise<void> {
  if (everywhere) await deleteAllSessions(c.env.DB);
  else await deleteSession(c.env.DB, await idHash(session.id));
  deleteCookie(c, COOKIE, COOKIE_OPTIONS);
  deleteCookie(c, AUTHOR_COOKIE, AUTHOR_COOKIE_OPTIONS);
}
