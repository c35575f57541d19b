import { beforeEach, describe, expect, it } from "vitest";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { created, elementsOf, fetchApp, marker, postJson, SLUG } from "../helpers.ts";
import { parseXml, type XmlElement } from "../xml.ts";

const ATOM = "http://www.w3.org/2005/Atom";
const FEED = `/posts/${SLUG}/comments.xml`;

const children = (el: XmlElement, name: string) => el.children.filter((child) => child.name === name);
const text = (el: XmlElement, name: string) => children(el, name)[0]?.text ?? "";

/** Fetches a feed, checks it is Atom (saxes: well-formed, namespaced), returns its entries' content. */
async function feed(path: string): Promise<{ res: Response; root: XmlElement; contents: string[] }> {
  const res = await fetchApp(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const root = parseXml(await res.text());
  expect(root.name).toBe("feed");
  expect(root.uri).toBe(ATOM);
  for (const required of ["id", "title", "updated"]) expect(children(root, required)).toHaveLength(1);
  const entries = children(root, "entry");
  for (const entry of entries) {
    for (const required of ["id", "title", "updated", "published", "author", "content"])
      expect(children(entry, required), required).toHaveLength(1);
    expect(children(entry, "content")[0]?.attributes.type).toBe("html");
  }
  return { res, root, contents: entries.map((entry) => text(entry, "content")) };
}

beforeEach(() => forgetPages());

describe("comment feeds (Atom)", () => {
  it("a post's feed holds its published comments, newest first, never a held one; the page links it", async () => {
    const shown = marker("feed shown <b>&</b>");
    const held = marker("feed held");
    await created(await postJson(SLUG, { name: "Feeder", body: shown }));
    await created(await postJson(SLUG, { name: "Holder", body: `${held} https://example.com` }));
    const { contents } = await feed(FEED);
    expect(contents[0]).toContain(shown.replace("<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"));
    expect(contents.join("\n")).not.toContain(held);

    const page = await (await fetchApp(`/posts/${SLUG}`)).text();
    const links = (await elementsOf(page, 'link[rel="alternate"][type="application/atom+xml"]')).map(
      (el) => Object.fromEntries(el.attributes).href,
    );
    expect(links).toEqual(expect.arrayContaining([FEED, "/comments.xml"]));
  });

  it("a thread's feed holds only that thread's comments; a bad thread is 400, an unknown one 404", async () => {
    const root = await created(await postJson(SLUG, { name: "Starter", body: marker("thread start") }));
    const reply = await created(
      await postJson(SLUG, { name: "Replier", body: marker("thread reply"), parent: root.id }),
    );
    const other = await created(await postJson(SLUG, { name: "Other", body: marker("other thread") }));
    const { contents } = await feed(`${FEED}?thread=${root.id}`);
    expect(contents).toHaveLength(2);
    expect(contents[0]).toContain(reply.body);
    expect(contents[1]).toContain(root.body);
    expect(contents.join()).not.toContain(other.body);
    expect((await fetchApp(`${FEED}?thread=abc`)).status).toBe(400);
    expect((await fetchApp(`${FEED}?thread=${reply.id}`)).status).toBe(404);
    expect((await fetchApp(`/posts/no-such-post/comments.xml`)).status).toBe(404);
  });

  it("the site's recent comments feed holds new comments of every post", async () => {
    const body = marker("site wide");
    await created(await postJson(SLUG, { name: "Anyone", body }));
    const { contents, root } = await feed("/comments.xml");
    expect(contents[0]).toContain(body);
    expect(text(children(root, "entry")[0] as XmlElement, "title")).toMatch(/^Anyone on “.+”$/);
  });

  it("feeds are cached like pages, and a new comment, an edit or a thread reply replaces them at once here", async () => {
    const root = await created(await postJson(SLUG, { name: "Cached", body: marker("cached start") }));
    for (const path of [FEED, "/comments.xml", `${FEED}?thread=${root.id}`]) {
      await feed(path);
      expect((await fetchApp(path)).headers.get("cache-status"), path).toMatch(/hit/);
    }
    const body = marker("fresh reply");
    await created(await postJson(SLUG, { name: "Fresh", body, parent: root.id }));
    for (const path of [FEED, "/comments.xml", `${FEED}?thread=${root.id}`]) {
      const { contents } = await feed(path);
      expect(contents[0], path).toContain(body);
    }
    // The thread variant is its own cache entry: a junk parameter shares the plain feed's.
    const junk = await fetchApp(`${FEED}?utm_source=x`);
    expect(junk.headers.get("cache-status")).toMatch(/hit/);
  });
});
