import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get } from "../fetch.ts";
import { restoreBuiltRelease, serveReleaseIndex } from "../release-index.ts";

/**
 * A blog past `ARTICLES_IN_INDEX_MAX` (pipeline/assemble-release.ts) gets an index without the
 * `articles` map: the Worker then finds every article, alias and missing page through the route
 * buckets alone. The real release's index, with the map taken out.
 */
describe("a release index without the articles map", () => {
  beforeAll(() => serveReleaseIndex(({ articles: _dropped, ...index }) => index));
  afterAll(restoreBuiltRelease);

  it("serves articles, follows old addresses and answers 404 for unknown slugs", async () => {
    const seed = await get("/posts/kpop-in-north-korea");
    expect(seed.status).toBe(200);
    expect(await seed.text()).toContain("in North Korea: What’s Really Going On?");
    const korean = await get(`/posts/${encodeURIComponent("북한의-케이팝")}`);
    expect(korean.status).toBe(200);
    const moved = await get("/2025/05/k-pop-in-north-korea-whats-really.html");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("/posts/kpop-in-north-korea");
    expect((await get("/posts/no-such-post")).status).toBe(404);
  });
});
