import type { Context } from "hono";
import { getCookie } from "hono/cookie";

/**
 * Setting cookies, and HMAC-signed ones, in the format hono/cookie writes and reads (a browser's
 * cookies from before keep verifying): `name=<encoded value>.<base64 HMAC-SHA256>`, attributes in
 * its order. Only what this app sets (a path always, Lax at most): its option checks and prefixes
 * cost 0.6 KB gzip of the Worker. Reading plain cookies stays hono's `getCookie` (the validators
 * use it too).
 */
export interface CookieOptions {
  path: string;
  maxAge?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: "Lax" | "Strict";
}

const encoder = new TextEncoder();
const hmacKey = (secret: string) =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);

/** Adds a `Set-Cookie` header. */
export function setCookie(c: Context, name: string, value: string, options: CookieOptions): void {
  let cookie = `${name}=${encodeURIComponent(value)}`;
  if (options.maxAge !== undefined) cookie += `; Max-Age=${options.maxAge | 0}`;
  cookie += `; Path=${options.path}`;
  if (options.httpOnly) cookie += "; HttpOnly";
  if (options.secure) cookie += "; Secure";
  if (options.sameSite) cookie += `; SameSite=${options.sameSite}`;
  c.header("Set-Cookie", cookie, { append: true });
}

/** Sets a cookie whose value carries its HMAC under `secret`. */
export async function setSignedCookie(
  c: Context,
  name: string,
  value: string,
  secret: string,
  options: CookieOptions,
): Promise<void> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(value));
  setCookie(c, name, `${value}.${btoa(String.fromCharCode(...new Uint8Array(signature)))}`, options);
}

/** A signed cookie's value; `false` when its signature is wrong; undefined when absent or unsigned. */
export async function getSignedCookie(c: Context, secret: string, name: string): Promise<string | false | undefined> {
  const value = getCookie(c, name);
  const at = value?.lastIndexOf(".") ?? -1;
  if (value === undefined || at < 0) return undefined;
  const signature = value.slice(at + 1);
  if (signature.length !== 44 || !signature.endsWith("=")) return undefined;
  const signed = value.slice(0, at);
  try {
    const bytes = Uint8Array.from(atob(signature), (char) => char.charCodeAt(0));
    return (await crypto.subtle.verify("HMAC", await hmacKey(secret), bytes, encoder.encode(signed))) ? signed : false;
  } catch {
    return false;
  }
}

/** Ends a cookie (`Max-Age=0`) set with these options. */
export function deleteCookie(c: Context, name: string, options: CookieOptions): void {
  setCookie(c, name, "", { ...options, maxAge: 0 });
}
