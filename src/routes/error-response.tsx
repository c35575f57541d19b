import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Message, strings } from "../i18n/index.ts";
import type { AppEnv } from "../types.ts";
import { ErrorPage } from "../views/error-page.tsx";
import { requestLang } from "./article-of.ts";

/** True when the client asked for JSON rather than a page (API clients, fetch()). */
export function wantsJson(c: Context<AppEnv>): boolean {
  const accept = c.req.header("accept") ?? "";
  const type = c.req.header("content-type") ?? "";
  return (accept.includes("application/json") && !accept.includes("text/html")) || type.startsWith("application/json");
}

/** What an error says: a catalog message, or text from elsewhere (a library's HTTPException). */
export type Said = Message | string;

const text = (said: Said, lang: string) => (typeof said === "string" ? said : said(strings(lang)));

/**
 * An error as `{ error: { status, message, fields? } }`: the one shape of every JSON error the app
 * answers, in the language of the request (`requestLang`). `fields` holds a message per input
 * field (a refused comment's).
 */
export async function jsonError(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: Said,
  headers?: Record<string, string>,
  fields?: Record<string, Message | undefined>,
) {
  const lang = await requestLang(c);
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  c.header("Cache-Control", "no-store");
  const said =
    fields && Object.fromEntries(Object.entries(fields).flatMap(([name, m]) => (m ? [[name, text(m, lang)]] : [])));
  return c.json({ error: { status, message: text(message, lang), ...(said && { fields: said }) } }, status);
}

/** An error as a page or as JSON (`jsonError`), whichever the client reads. */
export async function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: Said,
  headers?: Record<string, string>,
) {
  if (wantsJson(c)) return jsonError(c, status, message, headers);
  const lang = await requestLang(c);
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  c.header("Cache-Control", "no-store");
  c.header("Content-Language", lang);
  const page = (
    <ErrorPage site={c.var.site} lang={lang} status={status} message={text(message, lang)} path={c.req.path} />
  );
  return c.html(page, status);
}
