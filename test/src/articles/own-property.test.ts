/**
 * Names from the URL are looked up only among a release's own keys: "constructor", "__proto__"
 * and the other names every plain object inherits are no tag, post, alias or sitemap, in a
 * production build and in a preview build (which once answered `/tags/constructor` with a 500).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReleaseIndex, releaseKey } from "../../../src/articles/record.ts";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { RELEASE } from "../../../src/generated/release.ts";
import worker from "../../../src/index.ts";

type Fixture = { index: ReleaseIndex; entries: { key: string; value: string }[] };
const fixtures = JSON.parse(env.TEST_SCHEDULED) as Record<"production" | "preview", Fixture>;

async function install(which: "production" | "preview"): Promise<void> {
  const { index, entries } = fixtures[which];
  await Promise.all(entries.map(({ key, value }) => env.CONTENT.put(key, value)));
  await env.CONTENT.put(releaseKey(RELEASE), JSON.stringify({ ...index, release: RELEASE }));
  forgetContent();
  forgetPages();
}

afterAll(async () => {
  const original = env.TEST_KV_ENTRIES.find((e) => e.key === releaseKey(RELEASE));
  if (original) await env.CONTENT.put(original.key, original.value);
  forgetContent();
  forgetPages();
});

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
  beforeAll(() => install(which));

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
