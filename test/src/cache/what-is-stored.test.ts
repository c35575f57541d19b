import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetPages, pagesInMemory } from "../../../src/cache/page-cache.ts";
import worker, { pages } from "../../../src/index.ts";
import { brokenDb, elementsOf, fetchApp, marker, postJson, SLUG, textOf } from "../helpers.ts";

/** What the page cache keeps: only whole pages of a real address, each under one key. */

const ORIGIN = "http://localhost";
const PAGE = `/posts/${SLUG}`;

async function request(path: string, bindings: Env = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const stored = async (path: string) => (await caches.default.match(pages.keyOf(`${ORIGIN}${path}`))) !== undefined;

beforeEach(async () => {
  forgetPages();
  await caches.default.delete(pages.keyOf(`${ORIGIN}${PAGE}`));
  await caches.default.delete(pages.keyOf(`${ORIGIN}/`));
});

describe("the ?comments= cursor", () => {
  it("one this blog never handed out is a 400 that adds no entry, however many are tried", async () => {
    await request(PAGE);
    const held = pagesInMemory();
    for (const junk of ["junk-1", "junk-2", "", "1-x", "01-0", "999999999999-0", "999999999999-5"]) {
      const path = `${PAGE}?comments=${junk}`;
      const res = await request(path);
      expect(res.status, junk).toBe(400);
      expect(res.headers.get("cache-control"), junk).toBe("no-store");
      expect(await res.text()).toContain("This page of comments does not exist");
      expect(await stored(path), junk).toBe(false);
    }
    expect(pagesInMemory()).toBe(held);
  });

  it("a real cursor selects its page, which is stored under its own key", async () => {
    const posted = await postJson(SLUG, { name: "Cursor", body: marker("a thread to start from") });
    const { comment } = await posted.json<{ comment: { id: number } }>();
    const path = `${PAGE}?comments=${comment.id}-0`;
    const res = await request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect(await elementsOf(await res.text(), `#comment-${comment.id}`)).toHaveLength(1);
    expect(await stored(path)).toBe(true);
  });
});

describe("a page rendered while D1 is down", () => {
  const down = { ...env, DB: brokenDb } as unknown as Env;

  it("is sent with its notice but stored nowhere: the first request after D1 is back renders it whole", async () => {
    const degraded = await request(PAGE, down);
    expect(degraded.status).toBe(200);
    expect(degraded.headers.get("cache-control")).toBe("no-store");
    expect(degraded.headers.get("cache-status")).toBe("our-kpop; fwd=miss; detail=degraded");
    expect((await textOf(await degraded.text(), "#comments .notice"))[0]).toMatch(/cannot be loaded/);
    expect(pagesInMemory()).toBe(0);
    expect(await stored(PAGE)).toBe(false);

    const back = await request(PAGE);
    expect(back.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect(await textOf(await back.text(), "#comments .notice")).toEqual([]);
  });

  it("the home page without its comment counts is not stored either", async () => {
    const degraded = await request("/", down);
    expect(degraded.status).toBe(200);
    expect(degraded.headers.get("cache-status")).toBe("our-kpop; fwd=miss; detail=degraded");
    expect(await stored("/")).toBe(false);
    expect((await request("/")).headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
  });
});

describe("a search page", () => {
  it("shows the query its cache key holds: a bad %-escape is decoded once, as U+FFFD, for both", async () => {
    const value = async (res: Response) =>
      Object.fromEntries((await elementsOf(await res.text(), "input#q"))[0]?.attributes ?? []).value;
    const bad = await fetchApp("/search?q=%FFxyz");
    expect(await value(bad)).toBe("\uFFFDxyz");
    const replacement = await fetchApp("/search?q=%EF%BF%BDxyz");
    expect(replacement.headers.get("cache-status")).toMatch(/hit/);
    expect(await value(replacement)).toBe("\uFFFDxyz");
  });
});
