/**
 * Admin sessions end on the server: a cookie kept from before a sign-out opens nothing, "Sign out
 * everywhere" ends every session, and without D1 (where sessions live) the admin answers 503.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, adminForm, csrfOf, signIn } from "../admin-session.ts";
import { brokenDb, elementsOf, fetchApp, heldComment, statusOf } from "../helpers.ts";

const down = { DB: brokenDb };

describe("signing out", () => {
  it("ends the session: the cookie replayed afterwards opens nothing and its CSRF token moderates nothing", async () => {
    const { cookie, csrf } = await signIn();
    const out = await adminForm("/admin/logout", { csrf }, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/^admin_session=;.*Max-Age=0/);

    expect(await csrfOf(cookie)).toBeNull();
    const id = await heldComment();
    const replay = await adminForm("/admin/moderate", { csrf, action: "published", ids: String(id) }, cookie);
    expect(replay.status).toBe(401);
    expect(await statusOf(id)).toBe("pending");
    expect((await adminForm("/admin/logout", { csrf }, cookie)).status).toBe(401);
  });

  it("ends only that session: another browser stays signed in", async () => {
    const [a, b] = [await signIn(), await signIn()];
    expect((await adminForm("/admin/logout", { csrf: a.csrf }, a.cookie)).status).toBe(303);
    expect(await csrfOf(a.cookie)).toBeNull();
    expect(await csrfOf(b.cookie)).toBe(b.csrf);
  });

  it("a session past its expiry in D1 is signed out, whatever the cookie says", async () => {
    const { cookie } = await signIn();
    await env.DB.prepare("UPDATE admin_sessions SET expires_at = ?1")
      .bind(Date.now() - 1)
      .run();
    expect(await csrfOf(cookie)).toBeNull();
  });
});

describe("sign out everywhere", () => {
  it("is a button on the signed-in page, posting with the CSRF token", async () => {
    const { cookie, csrf } = await signIn();
    const page = await (await fetchApp("/admin", { headers: { cookie } })).text();
    expect(await elementsOf(page, 'form[action="/admin/logout-everywhere"][method="post"]')).toHaveLength(1);
    const fields = await elementsOf(page, 'form[action="/admin/logout-everywhere"] input[name="csrf"]');
    expect(Object.fromEntries(fields[0]?.attributes ?? []).value).toBe(csrf);
  });

  it("ends every session, the other browser's too; a fresh sign-in still works", async () => {
    const [a, b] = [await signIn(), await signIn()];
    expect((await adminForm("/admin/logout-everywhere", { csrf: a.csrf }, a.cookie)).status).toBe(303);
    expect(await csrfOf(a.cookie)).toBeNull();
    expect(await csrfOf(b.cookie)).toBeNull();
    const id = await heldComment();
    expect(
      (await adminForm("/admin/moderate", { csrf: b.csrf, action: "spam", ids: String(id) }, b.cookie)).status,
    ).toBe(401);

    const fresh = await signIn();
    const done = await adminForm(
      "/admin/moderate",
      { csrf: fresh.csrf, action: "spam", ids: String(id) },
      fresh.cookie,
    );
    expect(done.status).toBe(303);
    expect(await statusOf(id)).toBe("spam");
  });

  it("needs the CSRF token and a session: without them nothing is ended", async () => {
    const { cookie, csrf } = await signIn();
    expect((await adminForm("/admin/logout-everywhere", {}, cookie)).status).toBe(403);
    expect((await adminForm("/admin/logout-everywhere", { csrf: "x" }, cookie)).status).toBe(403);
    expect((await adminForm("/admin/logout-everywhere", { csrf })).status).toBe(401);
    const crossSite = await fetchApp("/admin/logout-everywhere", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie,
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body: new URLSearchParams({ csrf }),
    });
    expect(crossSite.status).toBe(403);
    expect(await csrfOf(cookie)).toBe(csrf);
  });
});

describe("with D1 down", () => {
  it("a signed-in page, a sign-in and the API answer 503 with Retry-After, never 500", async () => {
    const { cookie, csrf } = await signIn();
    const page = await fetchApp("/admin", { headers: { cookie } }, down);
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("30");
    expect(await page.text()).toContain("The database is unavailable");
    expect((await adminForm("/admin/login", { token: ADMIN_TOKEN }, "", { env: down })).status).toBe(503);
    expect((await adminForm("/admin/logout", { csrf }, cookie, { env: down })).status).toBe(503);
    expect((await adminForm("/admin/logout-everywhere", { csrf }, cookie, { env: down })).status).toBe(503);

    const api = await fetchApp("/admin/api/comments", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }, down);
    expect(api.status).toBe(503);
    expect(api.headers.get("retry-after")).toBe("30");
    // JSON although the client sent no Accept: it is the API.
    expect(await api.json()).toEqual({
      error: {
        status: 503,
        message: "The database is unavailable right now: nothing was changed. Please try again in a minute.",
      },
    });
    // Nothing was ended while D1 was down.
    expect(await csrfOf(cookie)).toBe(csrf);
  });

  it("without a session the sign-in form is still shown (it needs no database)", async () => {
    const res = await fetchApp("/admin", {}, down);
    expect(res.status).toBe(200);
    expect(await elementsOf(await res.text(), 'form[action="/admin/login"]')).toHaveLength(1);
  });
});
