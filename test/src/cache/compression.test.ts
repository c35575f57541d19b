import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { preferredCoding } from "../../../src/cache/encoding.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import worker, { pages } from "../../../src/index.ts";

const ORIGIN = "http://localhost:8787";

/**
 * A request as Cloudflare hands it to the Worker: Accept-Encoding replaced by `br, gzip`, the
 * client's own in `cf.clientAcceptEncoding` (wrangler dev does the same). The runtime compresses
 * the body as it sends it, after the Worker: here the body is still the plain text.
 */
async function request(path: string, client: string | null, headers: Record<string, string> = {}, bindings: Env = env) {
  const ctx = createExecutionContext();
  const cf = client === null ? undefined : { clientAcceptEncoding: client };
  const init: RequestInit = { headers: { "accept-encoding": "br, gzip", ...headers }, ...(cf && { cf }) };
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const summary = (res: Response) => ({
  status: res.status,
  encoding: res.headers.get("content-encoding"),
  vary: res.headers.get("vary"),
  etag: res.headers.get("etag")?.replace(/"[0-9a-f]+"/, '"x"'),
  served: res.headers.get("cache-status")?.replace(/ttl=-?\d+; /, ""),
});

const FEEDS = ["/feed.xml", "/tags/k-pop/feed.xml"];

beforeEach(async () => {
  forgetPages();
  await Promise.all([...FEEDS, "/"].map((p) => caches.default.delete(pages.keyOf(`${ORIGIN}${p}`))));
});

describe("preferredCoding", () => {
  it.each([
    ["br, gzip", "br"],
    ["gzip, deflate, br", "br"],
    ["gzip", "gzip"],
    ["gzip;q=1, br;q=0.5", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["*", "br"],
    ["*;q=0.1, gzip", "gzip"],
    ["deflate", null],
    ["identity", null],
    ["br;q=0, gzip;q=0", null],
    ["", null],
    [null, null],
  ])("%j -> %j", (header, coding) => {
    expect(preferredCoding(header)).toBe(coding);
  });
});

describe("feeds are compressed by the Worker (Cloudflare does not compress Atom)", () => {
  it.each(FEEDS)("%s gets the client's coding from the cache, whichever copy answers", async (path) => {
    const plain = await (await request(path, "")).text();
    const seen = [];
    for (const client of ["br", "gzip", "", "gzip, deflate, br"]) {
      const res = await request(path, client);
      seen.push(summary(res));
      // The body is what the runtime then compresses: the feed itself, the same for every client.
      expect(await res.text()).toBe(plain);
    }
    forgetPages();
    seen.push(summary(await request(path, "gzip")));
    expect(seen).toEqual([
      { status: 200, encoding: "br", vary: "accept-encoding", etag: 'W/"x"', served: "our-kpop; hit; detail=memory" },
      { status: 200, encoding: "gzip", vary: "accept-encoding", etag: 'W/"x"', served: "our-kpop; hit; detail=memory" },
      { status: 200, encoding: null, vary: "accept-encoding", etag: '"x"', served: "our-kpop; hit; detail=memory" },
      { status: 200, encoding: "br", vary: "accept-encoding", etag: 'W/"x"', served: "our-kpop; hit; detail=memory" },
      {
        status: 200,
        encoding: "gzip",
        vary: "accept-encoding",
        etag: 'W/"x"',
        served: "our-kpop; hit; detail=cache-api",
      },
    ]);
  });

  it("is stored once, uncompressed, and a miss is compressed too", async () => {
    const miss = await request("/feed.xml", "gzip");
    expect(summary(miss)).toMatchObject({ encoding: "gzip", served: "our-kpop; fwd=miss; stored" });
    const stored = await caches.default.match(pages.keyOf(`${ORIGIN}/feed.xml`));
    expect(stored?.headers.get("content-encoding")).toBeNull();
    expect(await stored?.text()).toBe(await miss.text());
  });

  it("answers If-None-Match with 304 whichever coding the client's copy had", async () => {
    const etag = (await request("/feed.xml", "br")).headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"/);
    for (const client of ["gzip", "", "br"]) {
      const res = await request("/feed.xml", client, { "if-none-match": etag });
      expect(summary(res)).toMatchObject({ status: 304, encoding: client || null, vary: "accept-encoding" });
    }
    const plainEtag = (await request("/feed.xml", "")).headers.get("etag") ?? "";
    expect((await request("/feed.xml", "br", { "if-none-match": plainEtag })).status).toBe(304);
  });

  it("follows the Accept-Encoding header where Cloudflare left it alone (no cf value)", async () => {
    expect((await request("/feed.xml", null, { "accept-encoding": "gzip" })).headers.get("content-encoding")).toBe(
      "gzip",
    );
    expect((await request("/feed.xml", null, { "accept-encoding": "identity" })).headers.get("content-encoding")).toBe(
      null,
    );
  });

  it("compresses with the page cache off too (npm start)", async () => {
    const off: typeof env = { ...env, PAGE_CACHE: "off" };
    expect(summary(await request("/feed.xml", "br", {}, off))).toMatchObject({
      encoding: "br",
      vary: "accept-encoding",
    });
    expect(summary(await request("/feed.xml", "", {}, off))).toMatchObject({ encoding: null, vary: "accept-encoding" });
  });

  it("leaves pages Cloudflare compresses alone (no Vary, no coding of the Worker's)", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await request("/", "br");
      expect([res.headers.get("content-encoding"), res.headers.get("vary")]).toEqual([null, null]);
    }
  });
});
