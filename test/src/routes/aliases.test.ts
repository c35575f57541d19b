import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketOf, queryAliasKey, type RouteBucket } from "../../../src/articles/record.ts";
import { get } from "../fetch.ts";
import { restoreBuiltRelease, serveReleaseIndex } from "../release-index.ts";

/** The seed post's old Blogger address, in its front matter `aliases` (real build output). */
const OLD = "/2025/05/k-pop-in-north-korea-whats-really.html";
const SEED = "/posts/kpop-in-north-korea";

describe("aliases", () => {
  it("answer an old address with 301 to the post", async () => {
    const res = await get(OLD);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(SEED);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    const followed = await get(res.headers.get("location") ?? "");
    expect(followed.status).toBe(200);
  });

  it("match the path only: trailing slash, query and percent-encoding do not matter", async () => {
    for (const path of [`${OLD}/`, `${OLD}?m=1`, OLD.replace("k-pop", "k%2Dpop")]) {
      const res = await get(path);
      expect(res.status, path).toBe(301);
      expect(res.headers.get("location"), path).toBe(SEED);
    }
    expect((await get(OLD, { method: "HEAD" })).status).toBe(301);
  });

  it("leave every other unknown address a 404 page", async () => {
    for (const path of ["/2025/05/something-else.html", "/2025/05", "/posts/kpop-in-north-korea-whats-really"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("Page not found");
    }
    expect((await get(OLD, { method: "POST" })).status).toBe(404);
  });
});

/**
 * Aliases with a query, as the build writes them for an imported WordPress blog (`/?p=123`,
 * `/index.php?page_id=7`): put into the real release's route buckets under `queryAliasKey`.
 */
describe("aliases with a query", () => {
  const ALIASES: Record<string, string> = {
    [queryAliasKey("/", "p", "123")]: "kpop-in-north-korea",
    [queryAliasKey("/", "page_id", "7")]: "kpop-in-north-korea",
    [queryAliasKey("/index.php", "p", "123")]: "kpop-in-north-korea",
    [queryAliasKey("/", "p", "999")]: "coming-soon-never-published",
  };
  beforeAll(() =>
    serveReleaseIndex(async (index) => {
      const buckets = [...index.buckets];
      for (const [key, slug] of Object.entries(ALIASES)) {
        const at = bucketOf(key, buckets.length);
        const bucket = (await env.CONTENT.get(buckets[at] ?? "", "json")) as RouteBucket;
        // A post dated in 2999 is scheduled: its alias must not be followed yet.
        bucket[key] = {
          redirect: slug,
          date: slug.startsWith("coming") ? "2999-01-01T00:00:00.000Z" : "2025-05-20T00:00:00.000Z",
        };
        buckets[at] = `routes:test-query-${at}`;
        await env.CONTENT.put(buckets[at], JSON.stringify(bucket));
      }
      return { ...index, buckets };
    }),
  );
  afterAll(restoreBuiltRelease);

  it("answer WordPress's /?p= and /?page_id= with 301 to the post, even once the home page is cached", async () => {
    expect((await get("/")).status).toBe(200);
    expect((await get("/")).status).toBe(200);
    for (const path of ["/?p=123", "/?page_id=7", "/?utm_source=x&p=123", "/index.php?p=123", "/index.php?x=1&p=123"]) {
      const res = await get(path);
      expect(res.status, path).toBe(301);
      expect(res.headers.get("location"), path).toBe(SEED);
    }
    expect((await get("/?p=123", { method: "HEAD" })).status).toBe(301);
  });

  it("leave the home page to every other query, and unknown or scheduled posts' ids", async () => {
    for (const path of ["/?p=124", "/?utm_source=x", "/?page_id=123", "/?p=999"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain("in North Korea: What’s Really Going On?");
    }
    expect((await get("/index.php?p=124")).status).toBe(404);
    expect((await get("/index.php")).status).toBe(404);
  });
});
