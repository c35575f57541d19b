import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages, pagesInMemory } from "../../../src/cache/page-cache.ts";
import { RELEASE } from "../../../src/generated/release.ts";
import worker, { pages } from "../../../src/index.ts";

const ORIGIN = "http://localhost:8787";
const SEED = "/posts/kpop-in-north-korea";

/** Calls the Worker like the runtime does and waits for its background work (cache writes, refreshes). */
async function request(path: string, init?: RequestInit, bindings: Env = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Binding calls a response reports in Server-Timing, e.g. { kv: 2, d1: 0 }. */
function calls(res: Response): { kv: number; d1: number } {
  const timing = res.headers.get("server-timing") ?? "";
  const count = (name: string) =>
    Number(new RegExp(`${name};dur=[\\d.]+;desc="(\\d+) calls"`).exec(timing)?.[1] ?? Number.NaN);
  return { kv: count("kv"), d1: count("d1") };
}

const PAGES = ["/", SEED, "/tags/k-pop", "/feed.xml", "/sitemap.xml", `/posts/${encodeURIComponent("케이팝이란")}`];

beforeEach(async () => {
  forgetPages();
  forgetContent();
  await Promise.all(PAGES.map((p) => caches.default.delete(pages.keyOf(`${ORIGIN}${p}`))));
});
afterEach(() => vi.useRealTimers());

describe("the edge cache", () => {
  it.each(PAGES)("%s: a miss reads KV and renders; the next request is a hit with no KV or D1 call", async (path) => {
    const miss = await request(path);
    expect(miss.status).toBe(200);
    expect(miss.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect(calls(miss).kv).toBeGreaterThan(0);
    const body = await miss.text();

    const hit = await request(path);
    expect(hit.headers.get("cache-status")).toMatch(/^our-kpop; hit; ttl=\d+; detail=memory$/);
    expect(calls(hit)).toEqual({ kv: 0, d1: 0 });
    expect(await hit.text()).toBe(body);
    expect(hit.headers.get("content-type")).toBe(miss.headers.get("content-type"));
  });

  it("another isolate (empty memory) gets the page from the Cache API, still without KV or D1", async () => {
    await request(SEED);
    forgetPages();
    forgetContent();
    const hit = await request(SEED);
    expect(hit.headers.get("cache-status")).toMatch(/detail=cache-api$/);
    expect(calls(hit)).toEqual({ kv: 0, d1: 0 });
    expect(await hit.text()).toContain("Red Velvet performed in Pyongyang");
  });

  it("keys entries by release, so a new deploy never reads the old release's pages", () => {
    const a = pages.keyOf(`${ORIGIN}${SEED}?utm=x#top`, "release-a");
    expect(a).toBe(`${ORIGIN}${SEED}?release=release-a`);
    expect(pages.keyOf(`${ORIGIN}${SEED}`, "release-b")).not.toBe(a);
    expect(pages.keyOf(`${ORIGIN}${SEED}`)).toBe(`${ORIGIN}${SEED}?release=${RELEASE}`);
  });

  it("sends a strong ETag and answers If-None-Match with 304, hit or miss", async () => {
    const first = await request(SEED);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");

    const again = await request(SEED, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);

    forgetPages();
    await caches.default.delete(pages.keyOf(`${ORIGIN}${SEED}`));
    const rerendered = await request(SEED, { headers: { "if-none-match": `"other", W/${etag}` } });
    expect(rerendered.status).toBe(304);
    expect((await request(SEED, { headers: { "if-none-match": '"other"' } })).status).toBe(200);
  });

  it("gives each page its own ETag and Cache-Tag", async () => {
    const [home, post] = await Promise.all([request("/"), request(SEED)]);
    expect(home.headers.get("etag")).not.toBe(post.headers.get("etag"));
    expect(home.headers.get("cache-tag")).toBe(`release-${RELEASE},lists`);
    expect(post.headers.get("cache-tag")).toBe(`release-${RELEASE},post-kpop-in-north-korea`);
  });

  it("serves a page past half the bound stale while it refreshes it, and never serves one past the bound", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    await request(SEED);

    vi.setSystemTime(t0 + 40_000);
    const stale = await request(SEED);
    expect(stale.headers.get("cache-status")).toMatch(/^our-kpop; hit; ttl=-10; detail=stale-while-revalidate$/);
    expect(stale.headers.get("age")).toBe("40");
    expect(calls(stale)).toEqual({ kv: 0, d1: 0 });

    // the refresh ran in waitUntil and replaced the entry
    forgetPages();
    const refreshed = await request(SEED);
    expect(refreshed.headers.get("cache-status")).toMatch(/hit; ttl=30; detail=cache-api/);
    expect(refreshed.headers.get("age")).toBe("0");

    vi.setSystemTime(t0 + 40_000 + 61_000);
    forgetPages();
    const expired = await request(SEED);
    expect(expired.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
  });

  it("follows the configured bound", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    const short = { ...env, CACHE_BOUND_SECONDS: "10" };
    await request(SEED, undefined, short);
    vi.setSystemTime(t0 + 6_000);
    const stale = await request(SEED, undefined, short);
    expect(stale.headers.get("cache-status")).toMatch(/stale-while-revalidate/);
    expect(stale.headers.get("cdn-cache-control")).toBe("max-age=5, stale-while-revalidate=5");
  });

  it("answers HEAD from the cache with headers and no body", async () => {
    await request(SEED);
    const head = await request(SEED, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("cache-status")).toMatch(/hit/);
    expect(head.headers.get("etag")).toMatch(/^"/);
    expect(await head.text()).toBe("");
  });

  it("does not cache 404s, redirects or personal pages", async () => {
    for (const path of ["/posts/nope", "/page/1"]) {
      const res = await request(path);
      expect(res.headers.get("cache-status"), path).toBeNull();
    }
    const personal = await request(`${SEED}?reply=1`);
    expect(personal.headers.get("cache-status")).toBe("our-kpop; fwd=request; detail=personal");
    expect(personal.headers.get("cache-control")).toBe("private, no-store");
    expect((await request(SEED)).headers.get("cache-status")).toMatch(/miss/);
  });

  it("can be switched off", async () => {
    const off = { ...env, PAGE_CACHE: "off" };
    await request(SEED, undefined, off);
    forgetContent(); // so the KV reads of the re-render show
    const again = await request(SEED, undefined, off);
    expect(again.headers.get("cache-status")).toBeNull();
    expect(calls(again).kv).toBeGreaterThan(0);
  });

  it("reports Server-Timing with kv, d1, render and total on every response", async () => {
    for (const path of ["/", "/posts/nope", "/robots.txt"]) {
      const timing = (await request(path)).headers.get("server-timing") ?? "";
      expect(timing, path).toMatch(
        /^kv;dur=[\d.]+;desc="\d+ calls", d1;dur=[\d.]+;desc="\d+ calls", render;dur=[\d.]+, total;dur=[\d.]+$/,
      );
    }
  });
});

describe("the in-memory hot path (answered before routing)", () => {
  it("carries every header the full path sends: security headers, validators, cache headers", async () => {
    const miss = await request(SEED);
    const hit = await request(SEED);
    expect(hit.headers.get("cache-status")).toMatch(/detail=memory$/);
    const names = (res: Response) =>
      [...res.headers.keys()]
        .filter((n) => !["age", "cache-status", "server-timing", "content-length"].includes(n))
        .sort();
    expect(names(hit)).toEqual(names(miss));
    for (const name of ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"]) {
      expect(hit.headers.get(name), name).toBe(miss.headers.get(name));
      expect(hit.headers.get(name), name).toBeTruthy();
    }
  });

  it("is not taken by a commenter whose cookies make pages personal", async () => {
    await request(SEED);
    await request(SEED);
    const own = await request(SEED, { headers: { cookie: "comments_bookmark=abc" } });
    expect(own.headers.get("cache-status")).toBe("our-kpop; fwd=request; detail=personal");
  });
});

describe("memory keys (the hot path looks pages up by the request URL)", () => {
  const status = (res: Response) => res.headers.get("cache-status") ?? "";

  it("the runtime hands the Worker request.url parsed and serialized, so one address is one string", () => {
    expect(new Request(`${ORIGIN}/posts/케이팝이란`).url).toBe(`${ORIGIN}/posts/${encodeURIComponent("케이팝이란")}`);
    expect(new Request("http://LOCALHOST:8787/posts/./x/../kpop-in-north-korea").url).toBe(`${ORIGIN}${SEED}`);
    expect(new Request(`${ORIGIN}/posts/a b`).url).toBe(`${ORIGIN}/posts/a%20b`);
  });

  it("a URL without a query is its own key; a query keeps only what selects a variant, in a fixed order", () => {
    expect(pages.memoryKeyOf(`${ORIGIN}${SEED}`)).toBe(`${ORIGIN}${SEED}`);
    for (const junk of ["?utm_source=x", "?", "?utm_source=x&fbclid=y", "#top"])
      expect(pages.memoryKeyOf(`${ORIGIN}${SEED}${junk}`), junk).toBe(`${ORIGIN}${SEED}`);
    expect(pages.memoryKeyOf(`${ORIGIN}${SEED}?utm=1&comments=abc`)).toBe(`${ORIGIN}${SEED}?comments=abc`);
    expect(pages.memoryKeyOf(`${ORIGIN}/search?page=1&q=%20bts%20&x=1`)).toBe(
      pages.memoryKeyOf(`${ORIGIN}/search?q=bts`),
    );
    expect(pages.memoryKeyOf(`${ORIGIN}/search?q=bts&page=2`)).not.toBe(pages.memoryKeyOf(`${ORIGIN}/search?q=bts`));
    // A path that looks like a host stays a path of this origin, in both keys.
    expect(pages.memoryKeyOf(`${ORIGIN}//evil.example/x?a=1`)).toBe(`${ORIGIN}//evil.example/x`);
    expect(pages.keyOf(`${ORIGIN}//evil.example/x`)).toBe(`${ORIGIN}//evil.example/x?release=${RELEASE}`);
  });

  it("junk query parameters share the plain URL's entry and add none, however many", async () => {
    const body = await (await request(SEED)).text();
    const held = pagesInMemory();
    for (let i = 0; i < 20; i++) {
      const res = await request(`${SEED}?utm_source=feed-${i}&fbclid=${i}`);
      expect(status(res), `request ${i}`).toMatch(/detail=memory$/);
      expect(await res.text()).toBe(body);
    }
    expect(pagesInMemory()).toBe(held);
  });

  it("a query that selects another page (older comments) or a personal one (reply form) is never given the plain page", async () => {
    await request(SEED);
    expect(status(await request(SEED))).toMatch(/detail=memory$/);
    const junk = await request(`${SEED}?comments=zzz`);
    expect(junk.status).toBe(400);
    expect(status(junk)).toBe("");
    const reply = await request(`${SEED}?reply=1`);
    expect(status(reply)).toBe("our-kpop; fwd=request; detail=personal");
  });

  it("a Hangul address as typed and as percent-encoded is one entry; another spelling of it goes to the app", async () => {
    const encoded = `/posts/${encodeURIComponent("케이팝이란")}`;
    const miss = await request(encoded);
    expect(status(miss)).toBe("our-kpop; fwd=miss; stored");
    const typed = await request("/posts/케이팝이란");
    expect(status(typed)).toMatch(/detail=memory$/);
    expect(await typed.text()).toBe(await miss.text());
    // Lower-case escapes are another string: never served the upper-case entry, answered by the app.
    const lower = await request(encoded.toLowerCase());
    expect(status(lower)).not.toMatch(/detail=memory$/);
  });

  it("every hit carries its exact Age and the whole body, with headers rebuilt as the seconds pass", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    const miss = await request(SEED);
    const body = await miss.text();
    for (const [ms, age] of [
      [400, 0],
      [900, 0],
      [3_200, 3],
      [3_300, 3],
      [12_000, null], // past memoryMs (10 s): this isolate asks the Cache API again
      [12_500, 12],
    ] as const) {
      vi.setSystemTime(t0 + ms);
      const hit = await request(SEED);
      expect(await hit.text(), `at ${ms} ms`).toBe(body);
      if (age === null) {
        expect(status(hit)).toMatch(/detail=cache-api$/);
        continue;
      }
      expect(status(hit), `at ${ms} ms`).toBe(`our-kpop; hit; ttl=${30 - age}; detail=memory`);
      expect(hit.headers.get("age"), `at ${ms} ms`).toBe(String(age));
      expect(hit.headers.get("etag")).toBe(miss.headers.get("etag"));
    }
  });
});
