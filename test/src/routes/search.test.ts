import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { pages } from "../../../src/index.ts";
import { likeSql, matchSql } from "../../../src/search/store.ts";
import { brokenDb, decodeEntities, elementsOf, textOf } from "../helpers.ts";
import { runSqlFile } from "../sql.ts";
import { ORIGIN, request, results, search, uncached } from "./search-requests.ts";

describe("GET /search", () => {
  it("shows only the form for an empty query", async () => {
    for (const path of ["/search", "/search?q=", "/search?q=%20%20"]) {
      const res = await request(path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(await elementsOf(html, 'search form[method=get][action="/search"] input[name=q]')).toHaveLength(1);
      expect(html).not.toContain('<ol class="post-list"');
      expect(html).not.toContain("<script");
    }
  });

  it("finds an English post by a word of its body, with the match marked in the snippet", async () => {
    const res = await search("pyongyang");
    expect(res.status).toBe(200);
    const { titles, links, html } = await results(res);
    expect(titles).toEqual(["K-pop in North Korea: What’s Really Going On?"]);
    expect(links).toEqual(["/posts/kpop-in-north-korea"]);
    expect((await textOf(html, ".snippet mark")).map((m) => m.toLowerCase())).toContain("pyongyang");
    expect(await elementsOf(html, "time[datetime]")).toHaveLength(1);
  });

  it("finds Korean text by a part of a word (trigram)", async () => {
    // "서태지와" in the body: a substring of a word, not a whole word.
    const { titles, links, html } = await results(await search("서태지"));
    expect(titles).toEqual(["케이팝이란 무엇인가?"]);
    expect(links).toEqual([`/posts/${encodeURIComponent("케이팝이란")}`]);
    expect(await textOf(html, ".snippet mark")).toContain("서태지");
  });

  it("matches every word (AND), in any case and Unicode form", async () => {
    expect((await results(await search("RED velvet"))).titles).toHaveLength(1);
    expect((await results(await search("red velvet kimchi-absent"))).titles).toEqual([]);
    // NFD Hangul (as some keyboards and file systems send it) finds the NFC text.
    expect((await results(await search("서태지".normalize("NFD")))).titles).toEqual(["케이팝이란 무엇인가?"]);
  });

  it("says so when nothing matches", async () => {
    const res = await search("zzzyyyxxx");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("No posts match “zzzyyyxxx”.");
  });

  it("matches short words (under 3 characters) in titles, summaries and tags, and says how", async () => {
    const ko = await results(await search("음악"));
    expect(ko.html).toContain("Words shorter than 3 letters");
    const en = await results(await search("K"));
    expect(en.titles.length).toBeGreaterThan(0);
    // A short word beside a long one narrows the long word's results.
    expect((await results(await search("pyongyang 케이"))).titles).toEqual([]);
  });

  it.each([
    ['"', "a lone quote"],
    ['"red velvet', "an open phrase"],
    ["pyong*", "a prefix star"],
    ["NEAR(red velvet)", "NEAR("],
    ["-red", "a leading minus"],
    ["red OR velvet", "OR"],
    ["red AND NOT velvet", "AND NOT"],
    ["title:red", "a column filter"],
    ["^red", "a caret"],
    ["(((", "parentheses"],
    ["%_\\", "LIKE wildcards"],
    ["'; DROP TABLE comments; --", "SQL"],
  ])("treats %j (%s) as text: 200, never an error", async (q) => {
    const res = await search(q);
    expect(res.status).toBe(200);
    await res.text();
  });

  it("takes FTS operators as words: OR is not a disjunction", async () => {
    // Both words are in the North Korea post, but "or" must also appear as text; "velvet OR zzzyyy" matches nothing.
    expect((await results(await search("velvet OR zzzyyy"))).titles).toEqual([]);
  });

  it("reflects a hostile query only as escaped text", async () => {
    const q = `<script>alert(1)</script>"><img src=x onerror=alert(1)>`;
    const res = await search(q);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(await elementsOf(html, "img[onerror]")).toEqual([]);
    const input = (await elementsOf(html, "input[name=q]"))[0];
    expect(decodeEntities(input?.attributes.find(([name]) => name === "value")?.[1] ?? "")).toBe(q);
  });

  it("rejects an overlong query or page with 400 and keeps the form", async () => {
    const long = await search("a".repeat(101));
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("at most 100 characters");
    for (const page of ["0", "x", "11", "-1"]) {
      const res = await search("velvet", `&page=${page}`);
      expect(res.status).toBe(400);
      await res.text();
    }
  });

  it("pages: page 2 of a query with few results says there are no more", async () => {
    const res = await search("k-pop", "&page=2");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("No more posts match.");
  });

  it("answers 503 with Retry-After when D1 is down", async () => {
    const res = await request("/search?q=velvet", {}, { ...uncached, DB: brokenDb } as unknown as Env);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(await res.text()).toContain("Search is unavailable right now. Please try again in a minute.");
  });

  it("answers 405 to other methods", async () => {
    const res = await request("/search?q=x", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("the query plan (D1 keeps no statistics)", () => {
  const plan = async (sql: string, values: unknown[]) =>
    (
      await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...values)
        .all<{ detail: string }>()
    ).results.map((row) => row.detail);

  /** The steps that read a table, in order (the subqueries' own scans left out). */
  const reads = (steps: string[]) => steps.filter((step) => /^(SCAN|SEARCH) (?!\(subquery|hits)/.test(step));

  it("starts a full-text search from the trigram index, then looks each match up in the release", async () => {
    const steps = reads(await plan(matchSql([1]), ['"velvet"', "r", 0, 11, 0, "%k%"]));
    expect(steps[0]).toMatch(/^SCAN search_docs_index VIRTUAL TABLE/);
    // Each match's document and membership by key; then the page's rows alone, by key, read whole.
    expect(steps.slice(1)).toEqual([
      "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)",
      "SEARCH m USING PRIMARY KEY (release=? AND doc=?)",
      "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)",
    ]);
  });

  it("reads a short-word search through the release's memberships", async () => {
    const steps = reads(await plan(likeSql([1]), ["r", 0, 11, 0, "%k%"]));
    expect(steps[0]).toMatch(/^SEARCH m USING PRIMARY KEY \(release=\?\)/);
    expect(steps.at(-1)).toBe("SEARCH d USING INTEGER PRIMARY KEY (rowid=?)");
  });
});

describe("scheduled posts", () => {
  beforeAll(() => runSqlFile(env.DB, env.TEST_SEARCH_SCHEDULED_SQL));
  afterAll(() => runSqlFile(env.DB, env.TEST_SEARCH_SQL));
  afterEach(() => vi.useRealTimers());

  it("are not found before their date, and are after it without a reload", async () => {
    expect((await results(await search("coming soon"))).titles).not.toContain("Coming Soon");
    expect((await results(await search("later still"))).titles).not.toContain("Later Still");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2999-01-01T09:00:01Z"));
    expect((await results(await search("coming soon"))).titles).toContain("Coming Soon");
    // The second one is dated a month later: still hidden.
    expect((await results(await search("later still"))).titles).not.toContain("Later Still");
  });
});

describe("the edge cache", () => {
  const cached = { ...env, PAGE_CACHE: "on" } as Env;
  beforeEach(async () => {
    forgetPages();
    await caches.default.delete(pages.keyOf(`${ORIGIN}/search?q=velvet`));
  });

  it("keys a search by its normalized query (trimmed, NFC, spaces collapsed): the second request is a hit", async () => {
    const miss = await request("/search?q=velvet", {}, cached);
    expect(miss.headers.get("cache-status")).toContain("miss");
    await miss.text();
    const hit = await request("/search?q=%20velvet%20%20&utm_source=x", {}, cached);
    expect(hit.status).toBe(200);
    expect(hit.headers.get("cache-status")).toContain("hit");
    expect(await hit.text()).toContain("in North Korea: What’s Really Going On?");
  });

  it("keeps different queries and pages apart", () => {
    expect(pages.keyOf(`${ORIGIN}/search?q=a`)).not.toBe(pages.keyOf(`${ORIGIN}/search?q=b`));
    expect(pages.keyOf(`${ORIGIN}/search?q=a&page=2`)).not.toBe(pages.keyOf(`${ORIGIN}/search?q=a`));
    expect(pages.keyOf(`${ORIGIN}/search?q=a&page=1`)).toBe(pages.keyOf(`${ORIGIN}/search?q=a`));
    // Other pages ignore q: it cannot split their entries.
    expect(pages.keyOf(`${ORIGIN}/?q=a`)).toBe(pages.keyOf(`${ORIGIN}/`));
  });
});
