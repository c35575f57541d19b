/**
 * The admin's sign-in form and JSON API share one budget of attempts per address
 * (ADMIN_LOGIN_RATE_LIMITER, 10 a minute): an address locked out by either gets 429 with
 * Retry-After from both, whatever token it sends, so the API is no oracle for ADMIN_TOKEN.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fetchApp, freshIp } from "../helpers.ts";

const TOKEN = "test-admin-token"; // vitest.config.ts
const BUDGET = 10; // wrangler.toml [[ratelimits]] ADMIN_LOGIN_RATE_LIMITER

const signIn = (ip: string, token: string) =>
  fetchApp("/admin/login", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": ip,
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams({ token }),
  });

const api = (ip: string, authorization?: string) =>
  fetchApp("/admin/api/comments", {
    headers: { "cf-connecting-ip": ip, ...(authorization !== undefined && { authorization }) },
  });

async function expectTooMany(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(await res.json()).toEqual({ error: { status: 429, message: expect.stringContaining("Too many") } });
}

describe("an address the sign-in form locked out", () => {
  it("gets 429 on the API for 40 wrong tokens in a row, and for the right one", async () => {
    const ip = freshIp();
    for (let i = 0; i < BUDGET; i++) expect((await signIn(ip, `wrong-${i}`)).status).toBe(401);
    expect((await signIn(ip, "wrong")).status).toBe(429);

    for (let i = 0; i < 40; i++) await expectTooMany(await api(ip, `Bearer wrong-${i}`));
    await expectTooMany(await api(ip, `Bearer ${TOKEN}`));
    await expectTooMany(await api(ip, "Basic d3Jvbmc="));
    // Another address is not affected.
    expect((await api(freshIp(), `Bearer ${TOKEN}`)).status).toBe(200);
  });
});

describe("failed API authentications", () => {
  it("count toward the lockout: then the API and the sign-in form refuse the address, right token or not", async () => {
    const ip = freshIp();
    for (let i = 0; i < BUDGET; i++) {
      const res = await api(ip, `Bearer wrong-${i}`);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({ error: { status: 401, message: expect.any(String) } });
    }
    await expectTooMany(await api(ip, "Bearer wrong"));
    await expectTooMany(await api(ip, `Bearer ${TOKEN}`));
    const form = await signIn(ip, TOKEN);
    expect(form.status).toBe(429);
    expect(form.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(form.headers.getSetCookie()).toEqual([]);
  });

  it("a malformed Authorization header counts as a failure too", async () => {
    const ip = freshIp();
    for (let i = 0; i < BUDGET; i++) expect((await api(ip, `Basic ${i}`)).status).toBe(401);
    await expectTooMany(await api(ip, "Basic x"));
  });

  it("once the lockout is over, the right token works again", async () => {
    const ip = freshIp();
    for (let i = 0; i <= BUDGET; i++) await api(ip, "Bearer wrong");
    await expectTooMany(await api(ip, `Bearer ${TOKEN}`));
    await env.DB.prepare("UPDATE admin_lockouts SET locked_until = ?1")
      .bind(Date.now() - 1)
      .run();
    expect((await api(ip, `Bearer ${TOKEN}`)).status).toBe(200);
  });
});

describe("what does not count", () => {
  it("requests with the right token, and requests with no token at all, are never limited", async () => {
    const ip = freshIp();
    for (let i = 0; i < 2 * BUDGET; i++) expect((await api(ip, `Bearer ${TOKEN}`)).status).toBe(200);
    for (let i = 0; i < 2 * BUDGET; i++) expect((await api(ip)).status).toBe(401);
    expect((await api(ip, `Bearer ${TOKEN}`)).status).toBe(200);
    expect((await signIn(ip, TOKEN)).status).toBe(303);
  });
});
