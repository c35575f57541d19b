import type { Context, MiddlewareHandler } from "hono";
import { commentConfig } from "../comments/config.ts";
import { hmacHex, secretsEqual } from "../lib/crypto.ts";
import { jsonError } from "../routes/error-response.tsx";
import type { AppEnv } from "../types.ts";
import { lockedUntil, lockOut } from "./store.ts";

/**
 * Who may act as the admin, and how often an address may try. The sign-in form and the JSON API
 * share one budget: ADMIN_LOGIN_RATE_LIMITER (10 attempts a minute per IP hash, wrangler.toml).
 * The form counts every attempt; the API counts its failed ones. An address over the budget is
 * locked out of both for a minute (a row in D1), and a locked-out address is refused with 429
 * whatever token it sends, so the answer never tells a right token from a wrong one.
 */

const LOCK_SECONDS = 60;

export const adminToken = (c: Context<AppEnv>): string => commentConfig(c.env).adminToken ?? "";

const ipHashOf = (c: Context<AppEnv>) =>
  hmacHex(commentConfig(c.env).salt ?? "", `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`);

/** Seconds left of the address's lockout, or null when it is not locked out. */
async function lockSeconds(c: Context<AppEnv>, ipHash: string): Promise<number | null> {
  const now = Date.now();
  const until = await lockedUntil(c.env.DB, ipHash, now);
  return until === null ? null : Math.max(1, Math.ceil((until - now) / 1000));
}

/** Counts an attempt against the budget; over it, locks the address out and returns the seconds to wait. */
async function countAttempt(c: Context<AppEnv>, ipHash: string): Promise<number | null> {
  const { success } = await c.env.ADMIN_LOGIN_RATE_LIMITER.limit({ key: ipHash });
  if (success) return null;
  await lockOut(c.env.DB, ipHash, Date.now() + LOCK_SECONDS * 1000);
  return LOCK_SECONDS;
}

/**
 * A sign-in attempt from the form: the seconds the address must wait (it is locked out, or this
 * attempt used up its budget), or null when the token may be checked.
 */
export async function signInRefused(c: Context<AppEnv>): Promise<number | null> {
  const ipHash = await ipHashOf(c);
  return (await lockSeconds(c, ipHash)) ?? (await countAttempt(c, ipHash));
}

const tooMany = (c: Context<AppEnv>, seconds: number) =>
  jsonError(c, 429, (t) => t.admin.tooManyFailures, { "Retry-After": String(seconds) });
const unauthorized = (c: Context<AppEnv>) => jsonError(c, 401, (t) => t.admin.tokenRequired);

/** A failed API authentication: counted, and answered 401, or 429 once the budget is used up. */
async function failed(c: Context<AppEnv>, checkLock: boolean): Promise<Response> {
  const ipHash = await ipHashOf(c);
  const wait = (checkLock ? await lockSeconds(c, ipHash) : null) ?? (await countAttempt(c, ipHash));
  return wait === null ? unauthorized(c) : tooMany(c, wait);
}

/** `Authorization: Bearer <token>`, the token in RFC 6750's characters (what hono/bearer-auth accepts). */
const BEARER = /^bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/** The answer, with the RFC 6750 challenge a client reads to learn why. */
async function challenged(answer: Response | Promise<Response>, challenge: string): Promise<Response> {
  const res = await answer;
  res.headers.set("www-authenticate", `Bearer ${challenge}`);
  return res;
}

/**
 * The JSON API's guard: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. A
 * locked-out address is refused before its token is looked at; a wrong or malformed token counts
 * against the address's budget. No header at all is a 401 that costs nothing. (Not
 * hono/bearer-auth: these few lines do what its options were set to, for 0.8 KB gzip less.)
 */
export const apiAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) return challenged(unauthorized(c), 'realm="admin"');
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) return challenged(failed(c, true), 'error="invalid_request"');
  const wait = await lockSeconds(c, await ipHashOf(c));
  if (wait !== null) return tooMany(c, wait);
  if (!(await secretsEqual(token, adminToken(c)))) return challenged(failed(c, false), 'error="invalid_token"');
  await next();
};
