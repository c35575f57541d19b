import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { getSignedCookie, setCookie, setSignedCookie } from "../lib/cookies.ts";
import { hmacHex, isToken, randomToken } from "../lib/crypto.ts";
import { articleSegmentOf } from "../lib/routes.ts";
import type { AppEnv } from "../types.ts";
import { commentConfig } from "./config.ts";

/** The commenter's signed cookie: a random token whose HMAC marks the comments they wrote. */
const COMMENTER_COOKIE = "commenter";
/** The D1 bookmark of the reader's last write, so their next read is at least that new. */
const BOOKMARK_COOKIE = "comments_bookmark";
/** Posts where the reader has comments awaiting approval, which only they may see. */
const HELD_COOKIE = "comments_held";
/** Posts where the reader has comments they may still edit: their views of those posts show Edit and Delete. */
const EDITABLE_COOKIE = "comments_editable";
/** How long a commenter's held comments keep their pages out of the shared cache for them. */
const HELD_SECONDS = 60 * 60 * 24 * 7;

/** Who is reading: the hash that their own (held) comments carry in D1. */
export interface Viewer {
  token: string;
  authorHash: string;
}

const cookieKey = (salt: string) => hmacHex(salt, "commenter-cookie");
const authorHashOf = (salt: string, token: string) => hmacHex(salt, `author:${token}`);

/** The viewer from their signed cookie, or null (no cookie, bad signature, or no salt configured). */
export async function readViewer(c: Context<AppEnv>): Promise<Viewer | null> {
  const { salt } = commentConfig(c.env);
  if (!salt || !getCookie(c, COMMENTER_COOKIE)) return null;
  const token = await getSignedCookie(c, await cookieKey(salt), COMMENTER_COOKIE);
  if (typeof token !== "string" || !isToken(token)) return null;
  return { token, authorHash: await authorHashOf(salt, token) };
}

/** The viewer, or a new identity for a first-time commenter (the cookie is set on the response). */
export async function ensureViewer(c: Context<AppEnv>, salt: string): Promise<Viewer> {
  const existing = await readViewer(c);
  if (existing) return existing;
  const token = randomToken();
  await setSignedCookie(c, COMMENTER_COOKIE, token, await cookieKey(salt), {
    path: "/",
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    maxAge: 60 * 60 * 24 * 365,
  });
  return { token, authorHash: await authorHashOf(salt, token) };
}

/** Remembers a write's D1 bookmark for the reader's next few requests. */
export function rememberBookmark(c: Context<AppEnv>, bookmark: string | null): void {
  if (!bookmark) return;
  setCookie(c, BOOKMARK_COOKIE, bookmark, { path: "/", httpOnly: true, secure: true, sameSite: "Lax", maxAge: 300 });
}

/** The bookmark of the reader's last write, when recent and well-formed. */
export function readBookmark(c: Context<AppEnv>): string | null {
  const value = getCookie(c, BOOKMARK_COOKIE);
  return value && /^[A-Za-z0-9._:-]{1,256}$/.test(value) ? value : null;
}

/** Remembers that the reader has a held comment on `slug`, so their views of it are rendered for them. */
export function rememberHeld(c: Context<AppEnv>, slug: string): void {
  const slugs = new Set([slug, ...heldPosts(c)]);
  const value = [...slugs].slice(0, 20).map(encodeURIComponent).join(",");
  setCookie(c, HELD_COOKIE, value, { path: "/", httpOnly: true, secure: true, sameSite: "Lax", maxAge: HELD_SECONDS });
}

/**
 * Remembers, for the edit window (`seconds`), that the reader may edit a comment on `slug`: their
 * views of that post are rendered for them (with Edit and Delete), not served from the shared cache.
 */
export function rememberEditable(c: Context<AppEnv>, slug: string, seconds: number): void {
  if (seconds <= 0) return;
  const slugs = new Set([slug, ...heldPosts(c, EDITABLE_COOKIE)]);
  const value = [...slugs].slice(0, 20).map(encodeURIComponent).join(",");
  setCookie(c, EDITABLE_COOKIE, value, { path: "/", httpOnly: true, secure: true, sameSite: "Lax", maxAge: seconds });
}

function heldPosts(c: Context<AppEnv>, cookie = HELD_COOKIE): string[] {
  const value = getCookie(c, cookie) ?? "";
  return value.split(",").flatMap((part) => {
    try {
      return part ? [decodeURIComponent(part)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * True when this reader must get a page rendered for them rather than the shared cached one:
 * they wrote a comment in the last few minutes (their D1 bookmark is set), or they have a held
 * comment, or one they may still edit, on this post. Cheap: cookies only, no D1 call.
 */
export function wantsOwnView(c: Context<AppEnv>): boolean {
  if (readBookmark(c) !== null) return true;
  const slug = articleSegmentOf(c.req.path);
  if (!slug) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(slug);
  } catch {
    return false;
  }
  const canonical = decoded.normalize("NFC").toLowerCase();
  return heldPosts(c).includes(canonical) || heldPosts(c, EDITABLE_COOKIE).includes(canonical);
}

/** True when a Cookie header carries a cookie that can make pages personal (checked cheaply, before routing). */
export function hasPersonalCookie(cookie: string): boolean {
  return (
    cookie.includes(`${BOOKMARK_COOKIE}=`) ||
    cookie.includes(`${HELD_COOKIE}=`) ||
    cookie.includes(`${EDITABLE_COOKIE}=`)
  );
}
