import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import worker, { pages } from "../../../src/index.ts";
import { isReservedPath } from "../../../src/lib/routes.ts";
import { installFixture, restoreBuiltRelease } from "../scheduled-fixtures.ts";

const ORIGIN = "http://localhost:8787";
const WELCOME = "/posts/welcome-to-our-kpop";
const SEED = "/posts/kpop-in-north-korea";
const KOREAN = `/posts/${encodeURIComponent("케이팝이란")}`;
/** The seed's Korean translation: the same day as the seed, so the newest post (slugs order a day's posts). */
const TRANSLATION = `/posts/${encodeURIComponent("북한의-케이팝")}`;
/** Dates of the two scheduled fixture posts (test/fixtures/content/posts). */
const FIRST = Date.parse("2999-01-01T09:00:00Z");
const SECOND = Date.parse("2999-02-01T09:00:00Z");
const PATHS = [WELCOME, SEED, KOREAN, TRANSLATION, "/archive"];

async function request(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** KV calls a response reports in Server-Timing. */
const kvCalls = (res: Response) =>
  Number(/kv;dur=[\d.]+;desc="(\d+) calls"/.exec(res.headers.get("server-timing") ?? "")?.[1]);

/** The reading-on block of an article page, or "" when it has none. */
async function readingOn(path: string): Promise<string> {
  const html = await (await request(path)).text();
  return /<nav class="reading-on"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "";
}

/** Hrefs of the links in `html` that carry `rel`, or every link. */
const links = (html: string, rel?: string) =>
  [...html.matchAll(/<a href="([^"]+)"([^>]*)>/g)]
    .filter((m) => !rel || m[2]?.includes(`rel="${rel}"`))
    .map((m) => m[1]);

beforeEach(async () => {
  forgetPages();
  forgetContent();
  await Promise.all(PATHS.map((p) => caches.default.delete(pages.keyOf(`${ORIGIN}${p}`))));
});

describe("reading on, at the end of an article (the real build)", () => {
  it("links the next post (in its own language) and related posts; the oldest post has no previous one", async () => {
    const end = await readingOn(WELCOME);
    expect(end).toContain('<h2 id="reading-on">Reading on</h2>');
    expect(links(end, "prev")).toEqual([]);
    expect(links(end, "next")).toEqual([KOREAN]);
    expect(end).toContain('lang="ko" rel="next">케이팝이란 무엇인가?</a>');
    // Related: the seed shares k-pop; the Korean post is already the next one.
    expect(end).toMatch(
      /<h3>Related posts<\/h3><ul class="related"><li><a href="\/posts\/kpop-in-north-korea"[^>]*>K-pop in North Korea/,
    );
  });

  it("links previous and next in date order", async () => {
    const end = await readingOn(KOREAN);
    expect(links(end, "prev")).toEqual([WELCOME]);
    expect(links(end, "next")).toEqual([SEED]);
  });

  it("costs no KV read beyond the article's own: release index and record (the index names it: no route bucket)", async () => {
    const miss = await request(SEED);
    expect(await miss.text()).toContain('class="reading-on"');
    expect(kvCalls(miss)).toBe(2);
  });
});

describe("/archive", () => {
  it("lists every post by year and month, newest first, linked from every page's footer", async () => {
    const res = await request("/archive");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Archive</h1>");
    expect(html).toContain('<h2 id="y2025">2025</h2><h3 id="m2025-05">May 2025</h3>');
    expect(links(html.slice(html.indexOf("<h1>"), html.indexOf("</main>")))).toEqual([
      TRANSLATION,
      SEED,
      KOREAN,
      WELCOME,
    ]);
    expect(html).toContain('<a href="/posts/%EC%BC%80%EC%9D%B4%ED%8C%9D%EC%9D%B4%EB%9E%80" lang="ko">');
    for (const page of ["/", SEED, "/archive"])
      expect(await (await request(page)).text()).toContain('<a href="/archive">Archive</a>');
  });

  it("reads two KV values on a miss (release index and archive), none on a hit", async () => {
    const miss = await request("/archive");
    expect(miss.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect(kvCalls(miss)).toBe(2);
    const hit = await request("/archive");
    expect(hit.headers.get("cache-status")).toMatch(/hit/);
    expect(kvCalls(hit)).toBe(0);
  });

  it("is a read-only page of the blog: no alias may take it, other methods get 405", async () => {
    expect(isReservedPath("/archive")).toBe(true);
    expect((await request("/archive", { method: "POST" })).status).toBe(405);
    expect((await request("/archive", { method: "HEAD" })).status).toBe(200);
  });
});

describe("scheduled posts are neither linked nor archived before their date", () => {
  afterEach(() => vi.useRealTimers());
  afterAll(restoreBuiltRelease);

  it("the newest post links its scheduled successor only once it is out", async () => {
    await installFixture("production");
    vi.useFakeTimers({ toFake: ["Date"] });
    const at = async (time: number) => {
      vi.setSystemTime(time);
      forgetPages();
      await Promise.all(PATHS.map((p) => caches.default.delete(pages.keyOf(`${ORIGIN}${p}`))));
      return { end: await readingOn(TRANSLATION), archive: await (await request("/archive")).text() };
    };
    const before = await at(FIRST - 1000);
    expect(links(before.end, "next")).toEqual([]);
    expect(before.end).not.toContain("coming-soon");
    expect(before.end).not.toContain("later-still");
    expect(before.archive).not.toContain("Coming Soon");
    expect(before.archive).toContain("4 posts");

    const first = await at(FIRST + 1000);
    expect(links(first.end, "next")).toEqual(["/posts/coming-soon"]);
    expect(first.end).not.toContain("later-still");
    expect(first.archive).toContain('<h2 id="y2999">2999</h2><h3 id="m2999-01">January 2999</h3>');

    const second = await at(SECOND + 1000);
    // Each shares k-pop with the translation; the two as near, the later first. Its previous post
    // steps over the seed (the English original, linked by the switcher instead), so it is the
    // Korean post, which related does not repeat; the seed is never related either.
    expect(links(second.end, "prev")).toEqual([KOREAN]);
    expect(links(second.end.slice(second.end.indexOf('class="related"')))).toEqual(["/posts/later-still", WELCOME]);
    expect(second.archive).toContain("6 posts");
  });
});
