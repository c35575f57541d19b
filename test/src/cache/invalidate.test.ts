import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetPages, pagesInMemory } from "../../../src/cache/page-cache.ts";
import worker, { pages } from "../../../src/index.ts";
import { freshIp, marker, SLUG } from "../helpers.ts";

const ORIGIN = "http://localhost";

/** An execution context with Workers Caching's purge API, recording what it is asked to purge. */
function contextWithPurge(purged: unknown[]): ExecutionContext {
  const ctx = createExecutionContext();
  return {
    waitUntil: (promise: Promise<unknown>) => ctx.waitUntil(promise),
    passThroughOnException: () => ctx.passThroughOnException(),
    props: {},
    cache: { purge: async (options: unknown) => void purged.push(options) },
  } as unknown as ExecutionContext;
}

beforeEach(() => forgetPages());

describe("invalidation after a comment", () => {
  it("drops the article and the home page here and purges their tags everywhere", async () => {
    for (const path of ["/", `/posts/${SLUG}`, "/tags/k-pop"]) {
      const ctx = createExecutionContext();
      await worker.fetch(new Request(`${ORIGIN}${path}`), env, ctx);
      await waitOnExecutionContext(ctx);
    }
    expect(pagesInMemory()).toBe(3);
    const purged: unknown[] = [];
    const res = await worker.fetch(
      new Request(`${ORIGIN}/posts/${SLUG}/comments`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": freshIp() },
        body: JSON.stringify({ name: "Purger", body: marker("purge") }),
      }),
      env,
      contextWithPurge(purged),
    );
    expect(res.status).toBe(201);
    expect(purged).toEqual([{ tags: [`post-${SLUG}`, "lists"] }]);
    // The tag page keeps its copy (its content does not show comments); the others are gone.
    expect(pagesInMemory()).toBe(1);
    expect(await caches.default.match(pages.keyOf(`${ORIGIN}/posts/${SLUG}`))).toBeUndefined();
  });

  it("a page's Cache-Tag names what a purge names", async () => {
    const res = await worker.fetch(new Request(`${ORIGIN}/posts/${SLUG}`), env, createExecutionContext());
    expect(res.headers.get("cache-tag")).toMatch(new RegExp(`^release-[0-9a-f]+,post-${SLUG}$`));
    const home = await worker.fetch(new Request(`${ORIGIN}/`), env, createExecutionContext());
    expect(home.headers.get("cache-tag")).toMatch(/^release-[0-9a-f]+,lists$/);
  });

  it("a query that selects nothing on a page shares its entry (?comments= means something on articles only)", async () => {
    const ctx = createExecutionContext();
    await worker.fetch(new Request(`${ORIGIN}/`), env, ctx);
    await waitOnExecutionContext(ctx);
    const held = pagesInMemory();
    for (const junk of ["comments=1-0", "comments=junk"]) {
      const res = await worker.fetch(new Request(`${ORIGIN}/?${junk}`), env, createExecutionContext());
      expect(res.headers.get("cache-status"), junk).toMatch(/detail=memory$/);
    }
    expect(pagesInMemory()).toBe(held);
  });
});
