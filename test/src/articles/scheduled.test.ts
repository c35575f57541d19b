import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { releaseKey } from "../../../src/articles/record.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { RELEASE } from "../../../src/generated/release.ts";
import worker, { pages } from "../../../src/index.ts";
import { postJson } from "../helpers.ts";
import { installFixture, restoreBuiltRelease } from "../scheduled-fixtures.ts";

const ORIGIN = "http://localhost:8787";
const POST = "/posts/coming-soon";
/** Dates of the two fixture posts (test/fixtures/content/posts). */
const FIRST = Date.parse("2999-01-01T09:00:00Z");
const SECOND = Date.parse("2999-02-01T09:00:00Z");
const SITEMAPS = ["/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/posts-2.xml", "/sitemaps/posts-3.xml"];
const PAGES = ["/", "/page/2", "/page/3", "/tags/k-pop", "/tags/coming-soon", "/feed.xml", ...SITEMAPS, POST];

async function request(path: string, init?: RequestInit, bindings: Env = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** No page cache and two posts a page, so visibility and paging show directly. */
const uncached = { ...env, PAGE_CACHE: "off", PAGE_SIZE: "2" };
const html = async (path: string, bindings: Env = uncached) => (await request(path, undefined, bindings)).text();

/** The sitemap index's entries (paths), and the text of every sitemap it lists. */
async function sitemaps(): Promise<{ files: string[]; text: string }> {
  const index = await html("/sitemap.xml");
  const files = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => (m[1] ?? "").slice(ORIGIN.length));
  const texts = await Promise.all(files.map((file) => html(file)));
  return { files, text: texts.join("") };
}

beforeAll(() => installFixture("production"));
afterAll(restoreBuiltRelease);
beforeEach(async () => {
  forgetPages();
  await Promise.all(PAGES.map((p) => caches.default.delete(pages.keyOf(`${ORIGIN}${p}`))));
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => vi.useRealTimers());

describe("a post dated in the future", () => {
  it("is listed nowhere and reachable nowhere before its date", async () => {
    vi.setSystemTime(FIRST - 1000);
    expect(await html("/")).not.toContain("Coming Soon");
    expect(await html("/")).toContain("in North Korea: What’s Really Going On?");
    // 4 posts are out: two pages of two, not three
    expect((await request("/page/2", undefined, uncached)).status).toBe(200);
    expect((await request("/page/3", undefined, uncached)).status).toBe(404);
    const tag = await html("/tags/k-pop");
    expect(tag).not.toContain("Coming Soon");
    expect(tag).toContain("4 posts");
    expect((await request("/tags/coming-soon", undefined, uncached)).status).toBe(404);
    const feed = await html("/feed.xml");
    expect(feed).not.toContain("coming-soon");
    expect(feed.match(/<entry[ >]/g)).toHaveLength(4);
    // The fixture's lists are in chunks of 2: four posts out fill two post sitemaps.
    const sitemap = await sitemaps();
    expect(sitemap.files).toEqual(["/sitemaps/pages.xml", "/sitemaps/posts-1.xml", "/sitemaps/posts-2.xml"]);
    expect(sitemap.text).not.toContain("coming-soon");
    expect(sitemap.text).not.toContain("later-still");
    expect((await request("/sitemaps/posts-3.xml", undefined, uncached)).status).toBe(404);

    expect((await request(POST, undefined, uncached)).status).toBe(404);
    const api = await request(`${POST}/comments`, { headers: { accept: "application/json" } }, uncached);
    expect(api.status).toBe(404);
    const posted = await postJson("coming-soon", { name: "Early", body: "First!" });
    expect(posted.status).toBe(404);
    expect((await request("/2024/12/teaser.html", undefined, uncached)).status).toBe(404);
    expect((await request("/posts/old-coming-soon", undefined, uncached)).status).toBe(404);
  });

  it("appears everywhere at its date, with no new release, and the next one a month later", async () => {
    vi.setSystemTime(FIRST);
    const home = await html("/");
    expect(home).toContain(`href="${POST}"`);
    expect(home.indexOf("Coming Soon")).toBeLessThan(home.indexOf("북한의 케이팝, 실제로는 어떨까?"));
    expect(home).not.toContain("Later Still");
    expect(home).not.toContain(" · scheduled");
    expect((await request("/page/3", undefined, uncached)).status).toBe(200);
    expect((await request("/page/4", undefined, uncached)).status).toBe(404);
    expect(await html("/tags/k-pop")).toContain("5 posts");
    expect(await html("/tags/coming-soon")).toContain("Coming Soon");
    expect(await html("/feed.xml")).toContain("<id>tag:ourkpop.example,2025:posts/coming-soon</id>");
    const sitemap = await sitemaps();
    expect(sitemap.files).toHaveLength(4);
    expect(await html("/sitemaps/posts-3.xml")).toContain(`${ORIGIN}/posts/coming-soon`);
    expect(await html("/sitemaps/pages.xml")).toContain(`${ORIGIN}/tags/coming-soon`);
    expect(sitemap.text).not.toContain("later-still");
    const page = await request(POST, undefined, uncached);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("This post is not out before its date.");
    const api = await request(`${POST}/comments`, { headers: { accept: "application/json" } }, uncached);
    expect(api.status).toBe(200);
    const moved = await request("/2024/12/teaser.html", undefined, uncached);
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe(POST);
    expect((await request("/posts/later-still", undefined, uncached)).status).toBe(404);

    vi.setSystemTime(SECOND);
    expect(await html("/")).toContain("Later Still");
    expect((await request("/page/3", undefined, uncached)).status).toBe(200);
    expect(await html("/tags/k-pop")).toContain("6 posts");
    expect((await sitemaps()).files).toContain("/sitemaps/posts-3.xml");
    expect(await html("/sitemaps/posts-3.xml")).toContain(`${ORIGIN}/posts/later-still`);
  });
});

describe("the page cache and the schedule", () => {
  it("does not serve a page rendered before a post's time after it, from memory or the Cache API", async () => {
    vi.setSystemTime(FIRST - 10_000);
    const before = await request("/");
    expect(before.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    // shared caches in front may keep it only until the post's time
    expect(before.headers.get("cdn-cache-control")).toBe("max-age=10, stale-while-revalidate=0");

    vi.setSystemTime(FIRST - 5_000);
    const hit = await request("/");
    expect(hit.headers.get("cache-status")).toMatch(/detail=memory$/);
    expect(hit.headers.get("cdn-cache-control")).toBe("max-age=5, stale-while-revalidate=0");
    forgetPages();
    expect((await request("/")).headers.get("cache-status")).toMatch(/detail=cache-api$/);

    vi.setSystemTime(FIRST);
    const after = await request("/");
    expect(after.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect(await after.text()).toContain("Coming Soon");
    forgetPages();
    const elsewhere = await request("/");
    expect(elsewhere.headers.get("cache-status")).toMatch(/detail=cache-api$/);
    expect(await elsewhere.text()).toContain("Coming Soon");
    // the copy rendered now waits for the next scheduled post
    expect(elsewhere.headers.get("cdn-cache-control")).toBe("max-age=30, stale-while-revalidate=30");
  });

  it("does not serve it stale either: a copy in its stale half is re-rendered once the post is out", async () => {
    vi.setSystemTime(FIRST - 40_000);
    await request("/feed.xml");
    vi.setSystemTime(FIRST - 1_000);
    expect((await request("/feed.xml")).headers.get("cache-status")).toMatch(/stale-while-revalidate/);
    vi.setSystemTime(FIRST + 1_000);
    forgetPages();
    const after = await request("/feed.xml");
    expect(after.headers.get("cache-status")).toMatch(/fwd=miss|detail=cache-api/);
    expect(await after.text()).toContain("coming-soon");
  });

  it("keeps caching pages normally when nothing is scheduled soon", async () => {
    vi.setSystemTime(FIRST - 3_600_000);
    await request("/tags/k-pop");
    const hit = await request("/tags/k-pop");
    expect(hit.headers.get("cache-status")).toMatch(/hit; ttl=30; detail=memory/);
    expect(hit.headers.get("cdn-cache-control")).toBe("max-age=30, stale-while-revalidate=30");
  });
});

describe("npm start's preview build", () => {
  it("shows scheduled posts before their date, labelled", async () => {
    await installFixture("preview");
    try {
      vi.setSystemTime(FIRST - 1000);
      const home = await html("/");
      expect(home).toMatch(/Coming Soon/);
      expect(home).toContain(" · scheduled");
      expect((await request(POST, undefined, uncached)).status).toBe(200);
    } finally {
      await installFixture("production");
    }
  });
});

describe("the real build", () => {
  it("is a production build: no drafts", () => {
    const entry = env.TEST_KV_ENTRIES.find((e) => e.key === releaseKey(RELEASE));
    expect(JSON.parse(entry?.value ?? "{}").drafts).toBe(false);
    expect(env.TEST_KV_ENTRIES.some((e) => e.value.includes('"draft":true'))).toBe(false);
  });
});
