import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import worker from "../../../src/index.ts";
import { cookiesOf, fetchApp, marker, postForm, postJson, SLUG } from "../helpers.ts";

const PAGE = `/posts/${SLUG}`;
const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  fetchApp(path, { headers: { ...headers, ...(cookie && { cookie }) } });
const status = (res: Response) => res.headers.get("cache-status") ?? "";

/** Stores a published comment the way another data center would: straight into D1, no cache work here. */
async function commentFromElsewhere(text: string): Promise<void> {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO comments (post_slug, author, body, status, created_at, updated_at, ip_hash, author_hash)
     VALUES (?1, 'Far away', ?2, 'published', ?3, ?3, 'x', 'y')`,
  )
    .bind(SLUG, text, now)
    .run();
}

beforeEach(() => forgetPages());
afterEach(() => vi.useRealTimers());

describe("comments and the edge cache", () => {
  it("a new comment replaces the cached article here: the next reader (no cookie) sees it, with a new ETag", async () => {
    await get(PAGE);
    const cached = await get(PAGE);
    expect(status(cached)).toMatch(/hit/);
    const before = cached.headers.get("etag");

    const text = marker("fresh for everyone");
    const posted = await postForm(SLUG, { name: "Poster", body: text });
    expect(posted.status).toBe(303);

    const reader = await get(PAGE);
    expect(status(reader)).toBe("our-kpop; fwd=miss; stored");
    expect(await reader.text()).toContain(text);
    expect(reader.headers.get("etag")).not.toBe(before);
    expect((await get(PAGE, undefined, { "if-none-match": before ?? "" })).status).toBe(200);
  });

  it("the ETag follows what the page shows, not the form's per-render token", async () => {
    const first = await get(PAGE);
    forgetPages();
    await caches.default.delete(new Request(first.url || `http://localhost${PAGE}`));
    const again = await get(PAGE);
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
  });

  it("the poster is served their own render (cookie), with their held comment; other readers never see it", async () => {
    const text = marker("held");
    const posted = await postForm(SLUG, { name: "Holder", body: `${text} see https://example.com` });
    expect(posted.status).toBe(303);
    const cookie = cookiesOf(posted);
    expect(cookie).toMatch(/comments_held=/);

    const own = await get(PAGE, cookie);
    expect(status(own)).toBe("our-kpop; fwd=request; detail=personal");
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    expect(await own.text()).toContain(text);

    // Days later: the bookmark cookie is gone, the held-comment cookie still gets them their view.
    const heldOnly = cookie
      .split("; ")
      .filter((pair) => !pair.startsWith("comments_bookmark="))
      .join("; ");
    expect(await (await get(PAGE, heldOnly)).text()).toContain(text);

    const stranger = await get(PAGE);
    expect(status(stranger)).not.toMatch(/personal/);
    expect(await stranger.text()).not.toContain(text);
  });

  it("a comment written elsewhere (no invalidation here) reaches every reader within the 60 s bound", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    await get(PAGE);
    const text = marker("from another data center");
    await commentFromElsewhere(text);

    vi.setSystemTime(t0 + 20_000);
    expect(await (await get(PAGE)).text()).not.toContain(text); // fresh cached copy, rendered before it

    vi.setSystemTime(t0 + 45_000);
    const ctx = createExecutionContext(); // served stale once, refreshed in the background
    const stale = await worker.fetch(new Request(`http://localhost${PAGE}`), env, ctx);
    expect(status(stale)).toMatch(/stale-while-revalidate/);
    expect(await stale.text()).not.toContain(text);
    await waitOnExecutionContext(ctx);

    vi.setSystemTime(t0 + 46_000);
    forgetPages();
    expect(await (await get(PAGE)).text()).toContain(text);

    // And with nobody reading in between, the first reader past the bound gets a fresh render.
    const later = marker("after a quiet minute");
    await commentFromElsewhere(later);
    vi.setSystemTime(t0 + 46_000 + 61_000);
    forgetPages();
    const fresh = await get(PAGE);
    expect(status(fresh)).toMatch(/miss/);
    expect(await fresh.text()).toContain(later);
  });

  it("approving a held comment replaces the cached article", async () => {
    const text = marker("approve me");
    const posted = await postJson(SLUG, { name: "Waiting", body: `${text} https://example.com` });
    const { comment } = await posted.json<{ comment: { id: number } }>();
    await get(PAGE);
    expect(await (await get(PAGE)).text()).not.toContain(text);

    const approved = await fetchApp("/admin/api/comments/moderate", {
      method: "POST",
      headers: { authorization: "Bearer test-admin-token", "content-type": "application/json" },
      body: JSON.stringify({ ids: [comment.id], status: "published" }),
    });
    expect(approved.status).toBe(200);
    const after = await get(PAGE);
    expect(status(after)).toMatch(/miss/);
    expect(await after.text()).toContain(text);
  });

  it("keys pages of older comments apart from the first page, and ignores other query strings", async () => {
    const posted = await postJson(SLUG, { name: "Thread", body: marker("a thread") });
    const { comment } = await posted.json<{ comment: { id: number } }>();
    await get(PAGE);
    const tracked = await get(`${PAGE}?utm_source=feed`);
    expect(status(tracked)).toMatch(/hit/);
    const older = await get(`${PAGE}?comments=${comment.id}-0`);
    expect(status(older)).toMatch(/miss/);
  });
});
