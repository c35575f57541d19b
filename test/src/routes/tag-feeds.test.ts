import { describe, expect, it } from "vitest";
import { get } from "../fetch.ts";
import { child, childrenNamed, feedOf } from "../xml.ts";

const ORIGIN = "http://localhost:8787";
const IDS = "tag:ourkpop.example,2025";
const KO = encodeURIComponent("케이팝이란");

describe("GET /tags/:tag/feed.xml", () => {
  it("is the tag's Atom feed: its posts only, with their text, linking to the tag page", async () => {
    const res = await get("/tags/north-korea/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(res.headers.get("cache-status")).toMatch(/^our-kpop; /);
    const { feed, entries } = await feedOf(res);
    expect(child(feed, "title").text).toBe("#north-korea - OUR K-POP");
    expect(child(feed, "id").text).toBe(`${IDS}:tags/north-korea`);
    expect(childrenNamed(feed, "link").map((l) => [l.attributes.rel, l.attributes.href])).toEqual([
      ["self", `${ORIGIN}/tags/north-korea/feed.xml`],
      ["alternate", `${ORIGIN}/tags/north-korea`],
    ]);
    // The seed and its Korean translation, published the same day (slugs order a day's posts).
    expect(entries.map((e) => e.id)).toEqual([
      `${IDS}:posts/${encodeURIComponent("북한의-케이팝")}`,
      `${IDS}:posts/kpop-in-north-korea`,
    ]);
    expect(entries[1]?.content?.text).toContain("Red Velvet performed in Pyongyang");
    expect(child(feed, "updated").text).toBe("2025-05-20T00:00:00.000Z");
  });

  it("serves a Korean tag, and the same entry ids as the site feed", async () => {
    const tag = encodeURIComponent("한국어");
    const { feed, entries } = await feedOf(await get(`/tags/${tag}/feed.xml`));
    expect(child(feed, "id").text).toBe(`${IDS}:tags/${tag}`);
    expect(entries.map((e) => e.id)).toEqual([`${IDS}:posts/${KO}`]);
    const all = await feedOf(await get("/tags/k-pop/feed.xml"));
    expect(all.entries).toHaveLength(4);
  });

  it("sends a tag written another way to its feed, and answers 404 for a tag with no posts", async () => {
    const moved = await get("/tags/K-Pop/feed.xml");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("/tags/k-pop/feed.xml");
    for (const tag of ["no-such-tag", "constructor", "__proto__"]) {
      expect((await get(`/tags/${tag}/feed.xml`)).status).toBe(404);
    }
  });

  it("can only be read", async () => {
    const res = await get("/tags/k-pop/feed.xml", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("is named by the tag page, for feed readers given the page's address", async () => {
    const html = await (await get("/tags/k-pop")).text();
    expect(html).toContain(
      `<link rel="alternate" type="application/atom+xml" title="#k-pop - OUR K-POP" href="${ORIGIN}/tags/k-pop/feed.xml"/>`,
    );
  });
});
