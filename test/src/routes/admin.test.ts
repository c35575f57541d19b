import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, adminForm, signIn } from "../admin-session.ts";
import { allComments, elementsOf, fetchApp, heldComment, SLUG, statusOf, textOf } from "../helpers.ts";

describe("admin is off without ADMIN_TOKEN", () => {
  it("every admin route is 404", async () => {
    const off = { ADMIN_TOKEN: undefined };
    expect((await fetchApp("/admin", {}, off)).status).toBe(404);
    expect((await fetchApp("/admin/api/comments", { headers: { authorization: "Bearer " } }, off)).status).toBe(404);
    const login = await fetchApp(
      "/admin/login",
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "token=" },
      off,
    );
    expect(login.status).toBe(404);
  });
});

describe("admin sign-in", () => {
  it("a wrong token is refused (401) and sets no cookie; the right one sets a strict session cookie", async () => {
    const wrong = await adminForm("/admin/login", { token: "nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect((await adminForm("/admin/login", { token: `${ADMIN_TOKEN}x` })).status).toBe(401);
    expect((await adminForm("/admin/login", { token: "" })).status).toBe(401);

    const right = await adminForm("/admin/login", { token: ADMIN_TOKEN });
    expect(right.status).toBe(303);
    const [cookie] = right.headers.getSetCookie();
    // A random session id signed with ADMIN_TOKEN (Hono's signed cookie: id.base64(HMAC), URL-encoded).
    expect(cookie).toMatch(/^admin_session=[A-Za-z0-9_-]{22}\.[A-Za-z0-9%]{44,60};/);
    for (const flag of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/admin"]) expect(cookie).toContain(flag);
  });

  it("without a session the page is the login form; a forged session is not accepted", async () => {
    const page = await (await fetchApp("/admin")).text();
    expect(await elementsOf(page, 'form[action="/admin/login"]')).toHaveLength(1);
    const { cookie } = await signIn();
    const id = decodeURIComponent(cookie.split("=")[1] ?? "").split(".")[0];
    for (const forged of [
      `admin_session=${Date.now() + 100_000}.${"a".repeat(64)}`,
      `admin_session=${encodeURIComponent(`${id}.${"A".repeat(43)}=`)}`,
      `admin_session=${id}`,
    ]) {
      const res = await (await fetchApp("/admin", { headers: { cookie: forged } })).text();
      expect(await elementsOf(res, 'form[action="/admin/login"]')).toHaveLength(1);
    }
  });

  it("a cross-site login post is refused (CSRF)", async () => {
    const res = await adminForm("/admin/login", { token: ADMIN_TOKEN }, "", {
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
  });
});

describe("moderating from the page", () => {
  it("lists pending comments and approves, spams and deletes in bulk", async () => {
    const [a, b, c] = [await heldComment(), await heldComment(), await heldComment()];
    const { cookie, csrf } = await signIn();
    const page = await fetchApp("/admin?status=pending", { headers: { cookie } });
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    for (const id of [a, b, c]) expect(await elementsOf(html, `input[name="ids"][value="${id}"]`)).toHaveLength(1);

    expect(await allComments(SLUG).then((list) => list.some((x) => x.id === a))).toBe(false);
    const approve = await adminForm(
      "/admin/moderate",
      { csrf, action: "published", ids: [String(a), String(b)] },
      cookie,
    );
    expect(approve.status).toBe(303);
    expect(approve.headers.get("location")).toMatch(/done=2$/);
    expect(await statusOf(a)).toBe("published");
    expect(await allComments(SLUG).then((list) => list.some((x) => x.id === a))).toBe(true);

    await adminForm("/admin/moderate", { csrf, action: "spam", ids: String(c) }, cookie);
    expect(await statusOf(c)).toBe("spam");
    await adminForm("/admin/moderate", { csrf, action: "deleted", ids: String(b) }, cookie);
    expect(await statusOf(b)).toBe("deleted");
    expect(await allComments(SLUG).then((list) => list.some((x) => x.id === b))).toBe(false);

    const recent = await (await fetchApp("/admin?status=all", { headers: { cookie } })).text();
    expect((await textOf(recent, `li#comment-${b} label`))[0]).toContain("deleted");
  });

  it("refuses a moderation post without the CSRF token, or without a session", async () => {
    const id = await heldComment();
    const { cookie } = await signIn();
    const noCsrf = await adminForm("/admin/moderate", { action: "published", ids: String(id) }, cookie);
    expect(noCsrf.status).toBe(403);
    const badCsrf = await adminForm("/admin/moderate", { csrf: "x", action: "published", ids: String(id) }, cookie);
    expect(badCsrf.status).toBe(403);
    const noSession = await adminForm("/admin/moderate", { csrf: "x", action: "published", ids: String(id) });
    expect(noSession.status).toBe(401);
    expect(await statusOf(id)).toBe("pending");
  });
});

describe("admin JSON API", () => {
  const api = (path: string, token: string | null, init: RequestInit = {}) =>
    fetchApp(path, {
      ...init,
      headers: { ...(token !== null && { authorization: `Bearer ${token}` }), ...(init.headers ?? {}) },
    });

  it("needs the Bearer token: none and wrong are 401", async () => {
    const none = await api("/admin/api/comments", null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="admin"');
    const malformed = await api("/admin/api/comments", null, { headers: { authorization: "Basic YWRtaW4=" } });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get("www-authenticate")).toBe('Bearer error="invalid_request"');
    const wrong = await api("/admin/api/comments", "wrong");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect((await api("/admin/api/comments", ADMIN_TOKEN.slice(0, -1))).status).toBe(401);
    expect((await api("/admin/api/comments", `  ${ADMIN_TOKEN}`)).status).toBe(200);
    const moderate = await api("/admin/api/comments/moderate", "wrong", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: [1], status: "deleted" }),
    });
    expect(moderate.status).toBe(401);
  });

  it("lists pending comments and moderates in bulk", async () => {
    const ids = [await heldComment(), await heldComment()];
    const list = await api("/admin/api/comments?status=pending&limit=200", ADMIN_TOKEN);
    expect(list.status).toBe(200);
    const body = await list.json<{ comments: { id: number; ipTag: string }[] }>();
    for (const id of ids) expect(body.comments.some((c) => c.id === id)).toBe(true);
    expect(body.comments[0]?.ipTag).toMatch(/^[0-9a-f]{12}$/);

    const res = await api("/admin/api/comments/moderate", ADMIN_TOKEN, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids, status: "published" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ updated: 2 });
    for (const id of ids) expect(await statusOf(id)).toBe("published");

    for (const bad of [
      { ids: [], status: "published" },
      { ids: [1], status: "gone" },
      { ids: ["x"], status: "spam" },
    ]) {
      const refused = await api("/admin/api/comments/moderate", ADMIN_TOKEN, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(bad),
      });
      expect(refused.status).toBe(422);
    }
  });
});
