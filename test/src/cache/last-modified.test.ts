import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import worker, { pages } from "../../../src/index.ts";
import { marker, postJson } from "../helpers.ts";

const ORIGIN = "http://localhost:8787";
const KO = `/posts/${encodeURIComponent("케이팝이란")}`;

async function request(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The same request served three ways: rendered, from this isolate's memory, from the Cache API. */
async function everyWay(path: string, headers: Record<string, string> = {}): Promise<Response[]> {
  await forgetPage(path);
  const miss = await request(path, headers);
  const memory = await request(path, headers);
  forgetPages();
  const cacheApi = await request(path, headers);
  expect([miss, memory, cacheApi].map((r) => r.headers.get("cache-status")?.replace(/ttl=-?\d+; /, ""))).toEqual([
    "our-kpop; fwd=miss; stored",
    "our-kpop; hit; detail=memory",
    "our-kpop; hit; detail=cache-api",
  ]);
  return [miss, memory, cacheApi];
}

async function forgetPage(path: string): Promise<void> {
  forgetPages();
  await caches.default.delete(pages.keyOf(`${ORIGIN}${path}`));
}

const PATHS = ["/", "/tags/north-korea", "/feed.xml", "/tags/k-pop/feed.xml", "/posts/welcome-to-our-kpop", KO];

beforeEach(async () => {
  forgetPages();
  forgetContent();
  await Promise.all(
    [...PATHS, "/posts/kpop-in-north-korea"].map((p) => caches.default.delete(pages.keyOf(`${ORIGIN}${p}`))),
  );
});

describe("Last-Modified and If-Modified-Since", () => {
  it.each([
    ["/", "Tue, 20 May 2025 00:00:00 GMT"],
    ["/tags/north-korea", "Tue, 20 May 2025 00:00:00 GMT"],
    ["/feed.xml", "Tue, 20 May 2025 00:00:00 GMT"],
    ["/tags/k-pop/feed.xml", "Tue, 20 May 2025 00:00:00 GMT"],
    ["/posts/welcome-to-our-kpop", "Thu, 01 May 2025 00:00:00 GMT"],
  ])("%s was last modified when what it shows was (%s), however it is served", async (path, date) => {
    for (const res of await everyWay(path)) {
      expect(res.status).toBe(200);
      expect(res.headers.get("last-modified")).toBe(date);
    }
    for (const res of await everyWay(path, { "if-modified-since": date })) {
      expect(res.status).toBe(304);
      expect(res.headers.get("last-modified")).toBe(date);
      expect(await res.text()).toBe("");
    }
  });

  it("answers 200 when the page changed after the client's date, or the date is no date", async () => {
    for (const since of ["Mon, 19 May 2025 23:59:59 GMT", "yesterday", ""]) {
      for (const res of await everyWay("/feed.xml", { "if-modified-since": since })) expect(res.status).toBe(200);
    }
  });

  it("lets If-None-Match decide alone when both are sent (RFC 9110)", async () => {
    const etag = (await request("/feed.xml")).headers.get("etag") ?? "";
    const late = "Fri, 01 Jan 2100 00:00:00 GMT";
    expect((await request("/feed.xml", { "if-none-match": '"other"', "if-modified-since": late })).status).toBe(200);
    forgetPages();
    expect((await request("/feed.xml", { "if-none-match": etag, "if-modified-since": "x" })).status).toBe(304);
  });

  it("moves an article's Last-Modified to its newest comment", async () => {
    const path = "/posts/kpop-in-north-korea";
    const before = (await request(path)).headers.get("last-modified") ?? "";
    const res = await postJson("kpop-in-north-korea", { name: marker("Dated"), body: "A comment with a date." });
    expect(res.status).toBe(201);
    await forgetPage(path);
    const after = (await request(path)).headers.get("last-modified") ?? "";
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect(Date.now() - Date.parse(after)).toBeLessThan(60_000);
    expect((await request(path, { "if-modified-since": before })).status).toBe(200);
    expect((await request(path, { "if-modified-since": after })).status).toBe(304);
  });
});

describe("Content-Language", () => {
  it.each([
    ["/", "en"],
    ["/tags/north-korea", "en"],
    [KO, "ko"],
    ["/posts/welcome-to-our-kpop", "en"],
  ])("%s is in %s, however it is served", async (path, lang) => {
    for (const res of await everyWay(path)) expect(res.headers.get("content-language")).toBe(lang);
  });

  it("is on error pages too, and not on feeds (they say their language inside)", async () => {
    expect((await request("/no-such-page")).headers.get("content-language")).toBe("en");
    expect((await request("/feed.xml")).headers.get("content-language")).toBeNull();
  });
});
