import { describe, expect, it } from "vitest";
import { get } from "../fetch.ts";

const ORIGIN = "http://localhost:8787";

describe("an address with a trailing slash", () => {
  it.each([
    ["/posts/kpop-in-north-korea/", "/posts/kpop-in-north-korea"],
    ["/tags/k-pop/", "/tags/k-pop"],
    ["/tags/k-pop/feed.xml/", "/tags/k-pop/feed.xml"],
    ["/search/?q=k-pop&page=1", "/search?q=k-pop&page=1"],
    ["/feed.xml//", "/feed.xml"],
    [`/posts/${encodeURIComponent("케이팝이란")}/`, `/posts/${encodeURIComponent("케이팝이란")}`],
  ])("%s answers 301 to %s, query kept", async (from, to) => {
    const res = await get(from);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(to);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await get(from, { method: "HEAD" })).status).toBe(301);
  });

  it("leads where the address without it leads (an old alias still goes straight to its post)", async () => {
    const alias = await get("/2025/05/k-pop-in-north-korea-whats-really.html/");
    expect(alias.headers.get("location")).toBe("/posts/kpop-in-north-korea");
    const post = await get((await get("/posts/kpop-in-north-korea/")).headers.get("location") ?? "");
    expect(post.status).toBe(200);
  });

  it.each(["//evil.example/", "//evil.example//", "/\\evil.example/", "///evil.example/", "/%2F%2Fevil.example/"])(
    "%s is a 404, not a redirect off the site",
    async (path) => {
      // The whole URL as text: `new URL("//evil.example/", base)` would be another host.
      const answer = await get(`${ORIGIN}${path}`);
      expect(new URL(`${ORIGIN}${path}`).host).toBe("localhost:8787");
      expect(answer.status).toBe(404);
      expect(answer.headers.get("location")).toBeNull();
    },
  );

  it("is a 404 when the address without it is no page either (one answer, not two hops)", async () => {
    for (const path of ["/posts/no-such-post/", "/tags/no-such-tag/", "/page/9/", "/nothing/", "/posts/"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("location"), path).toBeNull();
    }
  });

  it("is not redirected for other methods, nor at the root", async () => {
    expect((await get("/posts/kpop-in-north-korea/", { method: "POST" })).status).toBe(404);
    expect((await get("/")).status).toBe(200);
  });
});

describe("the 404 page", () => {
  it("names no canonical address (the missing one is no page) and stays out of search results", async () => {
    const res = await get("/no/such/page");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain('rel="canonical"');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });
});
