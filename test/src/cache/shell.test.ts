import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { shellWork } from "../../../src/cache/shell.ts";
import worker, { pages } from "../../../src/index.ts";
import { cookiesOf, marker, postForm, SLUG } from "../helpers.ts";
import { installFixture, restoreBuiltRelease } from "../scheduled-fixtures.ts";

/**
 * The article's shell (all but the comments section) is rendered once per record and kept in
 * this isolate; a page miss renders only the comments section. The work is counted: shells and
 * comment sections rendered (`shellWork`), KV and D1 calls (Server-Timing).
 */

const ORIGIN = "http://localhost";
const PAGE = `/posts/${SLUG}`;

async function load(cookie?: string): Promise<Response> {
  const ctx = createExecutionContext();
  const init = cookie ? { headers: { cookie } } : {};
  const res = await worker.fetch(new Request(`${ORIGIN}${PAGE}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Calls to `binding` this response made, from its Server-Timing. */
function calls(res: Response, binding: "kv" | "d1"): number {
  const timing = res.headers.get("server-timing") ?? "";
  const found = new RegExp(`${binding};dur=[\\d.]+;desc="(\\d+) calls"`).exec(timing);
  if (!found) throw new Error(`no ${binding} entry in Server-Timing: ${timing}`);
  return Number(found[1]);
}

/** What `work` rendered: shells and comment sections. */
async function counted<T>(work: () => Promise<T>): Promise<{ result: T; shells: number; parts: number }> {
  const before = { ...shellWork };
  const result = await work();
  return { result, shells: shellWork.shells - before.shells, parts: shellWork.parts - before.parts };
}

async function forgetStoredPages(): Promise<void> {
  forgetPages();
  await caches.default.delete(pages.keyOf(`${ORIGIN}${PAGE}`));
}

beforeEach(forgetStoredPages);

describe("the article's shell, cached apart from its comments", () => {
  it("a new comment then a load: only the comments section is rendered, no KV read, the shell is the one kept", async () => {
    const first = await load();
    expect(first.status).toBe(200);
    const text = marker("stitched in");
    expect((await postForm(SLUG, { name: "Poster", body: text })).status).toBe(303);

    const { result: next, shells, parts } = await counted(() => load());
    expect(next.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    const html = await next.text();
    expect(html).toContain(text);
    expect(shells).toBe(0);
    expect(parts).toBe(1);
    expect(calls(next, "kv")).toBe(0);
    expect(calls(next, "d1")).toBeGreaterThan(0);
    // The same page as a whole render: one document, the comments inside the article's main.
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.match(/<\/html>/g)).toHaveLength(1);
    expect(html.indexOf('id="comments"')).toBeLessThan(html.indexOf("</main>"));
    expect(html).not.toContain("<!--hole-->");
    expect(next.headers.get("etag")).not.toBe(first.headers.get("etag"));
  });

  it("a hit renders nothing", async () => {
    await load();
    const { result: hit, shells, parts } = await counted(() => load());
    expect(hit.headers.get("cache-status")).toMatch(/hit/);
    expect({ shells, parts }).toEqual({ shells: 0, parts: 0 });
  });

  it("a deploy (new isolates: nothing in memory, Cache API keys of another release) renews both", async () => {
    await load();
    // What a new version's isolate starts with: no page, no content value, so no record to key a
    // shell by; its Cache API keys name another release (so the page stored above is not one of them).
    forgetContent();
    await forgetStoredPages();
    const { result: fresh, shells, parts } = await counted(() => load());
    expect(fresh.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect({ shells, parts }).toEqual({ shells: 1, parts: 1 });
    expect(calls(fresh, "kv")).toBeGreaterThan(0);
    expect(calls(fresh, "d1")).toBeGreaterThan(0);
  });

  it("a personal render shares the shell, renders its own comments section and stores nothing", async () => {
    await load();
    const secret = marker("held for its author");
    const posted = await postForm(SLUG, { name: "Holder", body: `${secret} https://example.com/` });
    expect(posted.status).toBe(303);
    const cookie = cookiesOf(posted);

    const { result: own, shells, parts } = await counted(() => load(cookie));
    expect(own.headers.get("cache-status")).toBe("our-kpop; fwd=request; detail=personal");
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    expect(await own.text()).toContain(secret);
    expect({ shells, parts }).toEqual({ shells: 0, parts: 1 });

    // The shell kept from that render holds nothing of it: a stranger's render uses it, without the comment.
    await forgetStoredPages();
    const { result: stranger, shells: again } = await counted(() => load());
    expect(again).toBe(0);
    expect(stranger.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect(await stranger.text()).not.toContain(secret);
  });

  it("a shell first rendered for a personal view is shared without anything personal in it", async () => {
    const secret = marker("held before any shell");
    const posted = await postForm(SLUG, { name: "Early", body: `${secret} https://example.com/` });
    const cookie = cookiesOf(posted);
    forgetContent();
    const { result: own, shells } = await counted(() => load(cookie));
    expect(shells).toBe(1);
    expect(await own.text()).toContain(secret);
    const stranger = await load();
    expect(stranger.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
    expect(await stranger.text()).not.toContain(secret);
    expect(await (await load()).text()).not.toContain(secret);
  });
});

describe("a shell rendered while a post is scheduled", () => {
  afterEach(() => vi.useRealTimers());
  afterAll(restoreBuiltRelease);

  it("is kept until the post's time and rendered again after it, with the new post linked", async () => {
    await installFixture("production");
    const first = Date.parse("2999-01-01T09:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    const at = async (time: number) => {
      vi.setSystemTime(time);
      await forgetStoredPages();
      return counted(async () => (await load()).text());
    };
    expect((await at(first - 10_000)).shells).toBe(1);
    const before = await at(first - 1_000);
    expect(before.shells).toBe(0);
    expect(before.result).not.toContain('href="/posts/coming-soon"');
    const after = await at(first + 1_000);
    expect(after.shells).toBe(1);
    expect(after.result).toContain('href="/posts/coming-soon"');
  });
});
