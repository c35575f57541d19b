/** Signing in to /admin as the site owner, and the forms a signed-in owner posts, for the worker tests. */
import { expect } from "vitest";
import { cookiesOf, elementsOf, fetchApp, freshIp, type PostOptions } from "./helpers.ts";

/** The admin secret the worker tests run with (vitest.config.ts). */
export const ADMIN_TOKEN = "test-admin-token";

/** What a browser sends with a form posted from the site's own page. */
export const SAME_ORIGIN = { origin: "http://localhost", "sec-fetch-site": "same-origin" };

export interface FormOptions {
  /** In place of SAME_ORIGIN (a cross-site post). */
  headers?: Record<string, string>;
  /** Bindings replaced for this request (a broken D1). */
  env?: PostOptions["envOverrides"];
}

/** A form POST from a fresh IP; a field given as a list is sent once per value (`ids`). */
export function adminForm(
  path: string,
  fields: Record<string, string | string[]>,
  cookie = "",
  options: FormOptions = {},
) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  const headers = { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": freshIp(), cookie };
  return fetchApp(
    path,
    { method: "POST", headers: { ...headers, ...(options.headers ?? SAME_ORIGIN) }, body },
    options.env,
  );
}

/** The CSRF token of the signed-in admin page, or null when the cookie does not open it. */
export async function csrfOf(cookie: string): Promise<string | null> {
  const page = await (await fetchApp("/admin", { headers: { cookie } })).text();
  const [field] = await elementsOf(page, 'input[name="csrf"]');
  return field ? (Object.fromEntries(field.attributes).value ?? null) : null;
}

/** Signs in with the admin secret, as the login form does: the session cookie and the page's CSRF token. */
export async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await adminForm("/admin/login", { token: ADMIN_TOKEN });
  expect(res.status).toBe(303);
  const cookie = cookiesOf(res);
  const csrf = await csrfOf(cookie);
  expect(csrf).toMatch(/^[0-9a-f]{64}$/);
  return { cookie, csrf: csrf ?? "" };
}
