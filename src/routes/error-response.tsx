import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../types.ts";
import { ErrorPage } from "../views/error-page.tsx";

/** True when the client asked for JSON rather than a page (API clients, fetch()). */
export function wantsJson(c: Context<AppEnv>): boolean {
  const accept = c.req.header("accept") ?? "";
  const type = c.req.header("content-type") ?? "";
  return (accept.includes("application/json") && !accept.includes("text/html")) || type.startsWith("application/json");
}

/**
 * An error as `{ error: { status, message, fields? } }`: the one shape of every JSON error the app
 * answers. `fields` holds a message per input field (a refused comment's).
 */
export function jsonError(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: string,
  headers?: Record<string, string>,
  fields?: Record<string, string>,
) {
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  c.header("Cache-Control", "no-store");
  return c.json({ error: { status, message, ...(fields && { fields }) } }, status);
}

/** An error as a page or as JSON (`jsonError`), whichever the client reads. */
export function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: string,
  headers?: Record<string, string>,
) {
  if (wantsJson(c)) return jsonError(c, status, message, headers);
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  c.header("Cache-Control", "no-store");
  return c.html(<ErrorPage site={c.var.site} status={status} message={message} path={c.req.path} />, status);
}
