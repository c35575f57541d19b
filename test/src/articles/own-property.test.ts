/**
 * Names from the URL are looked up only among a release's own keys: "constructor", "__proto__"
 * and the other names every plain object inherits are no tag, post, alias or sitemap, in a
 * production build and in a preview build (which once answered `/tags/constructor` with a 500).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worker from "../../../src/index.ts";
import { installFixture, restoreBuiltRelease } from "../scheduled-fixtures.ts";

afterAll(restoreBuiltRelease);

async function request(path: string, accept = "text/html"): Promise<Response> {
  const ctx = createExecutionContext();
  const bindings = { ...env, PAGE_CACHE: "off" } as Env;
  const res = await worker.fetch(new Request(`http://localhost:8787${path}`, { headers: { accept } }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const INHERITED = ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf"];
const PATHS = INHERITED.flatMap((name) => [
  `/tags/${name}`,
  `/tags/${name}/page/2`,
  `/posts/${name}`,
  `/posts/${name}/comments`,
  `/${name}`,
  `/${name}/`,
  `/sitemaps/${name}`,
  `/sitemaps/${name}.xml`,
]);

describe.each(["preview", "production"] as const)("inherited names in a %s build", (which) => {
  beforeAll(() => installFixture(which));

  it.each(PATHS)("%s is a 404 page", async (path) => {
    const res = await request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it.each(INHERITED)("JSON clients get a JSON 404 for /posts/%s/comments", async (name) => {
    const res = await request(`/posts/${name}/comments`, "application/json");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { status: 404, message: expect.any(String) } });
  });

  it.each(INHERITED)("searching for %s answers a results page", async (name) => {
    expect((await request(`/search?q=${name}`)).status).toBe(200);
  });
});
