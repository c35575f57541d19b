import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { releaseKey } from "../../../src/articles/record.ts";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { RELEASE } from "../../../src/generated/release.ts";
import { pages } from "../../../src/index.ts";
import { get } from "../fetch.ts";
import { fetchApp } from "../helpers.ts";

const SEED = "/posts/kpop-in-north-korea";
const KOREAN = `/posts/${encodeURIComponent("케이팝이란")}`;

describe("GET /", () => {
  it("lists the posts newest first, with date, reading time, tags and summary", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    const order = ["in North Korea: What’s Really Going On?", "케이팝이란 무엇인가?", "Welcome to OUR"].map((t) =>
      html.indexOf(t),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain(`href="${SEED}"`);
    expect(html).toContain(`href="${KOREAN}"`);
    expect(html).toContain('<time datetime="2025-05-20T00:00:00.000Z">May 20, 2025</time>');
    expect(html).toContain("2 min read");
    expect(html).toContain('href="/tags/north-korea"');
    expect(html).toContain("<title>OUR K-POP</title>");
  });

  it("pages: /page/1 is the home page, pages past the end and malformed numbers are 404", async () => {
    const one = await get("/page/1");
    expect(one.status).toBe(301);
    expect(one.headers.get("location")).toBe("/");
    for (const path of ["/page/2", "/page/0", "/page/01", "/page/-1", "/page/abc", "/page/99999999999"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("Page not found");
    }
  });
});

describe("GET /posts/:slug", () => {
  it("renders the whole seed post: all five sections, final thoughts, closing question, emoji", async () => {
    const res = await get(SEED);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const heading of [
      '<h2 id="1-the-time-k-pop-crossed-the-dmz"><a class="anchor" href="#1-the-time-k-pop-crossed-the-dmz">1. The Time <span class="nh">K-pop</span> Crossed the DMZ</a></h2>',
      '2. So… Is <span class="nh">K-pop</span> Allowed in North Korea?</a></h2>',
      '3. The Secret Life of <span class="nh">K-pop</span> Fans in the North</a></h2>',
      '4. How <span class="nh">K-pop</span> Could Spark Change</a></h2>',
      '5. Will <span class="nh">K-pop</span> Ever Be Officially Accepted?</a></h2>',
      '<h2 id="final-thoughts"><a class="anchor" href="#final-thoughts">Final Thoughts</a></h2>',
    ]) {
      expect(html).toContain(heading);
    }
    expect(html).toContain('<h1><span class="nh">K-pop</span> in North Korea: What’s Really Going On?</h1>');
    expect(html).toContain("Red Velvet performed in Pyongyang");
    expect(html).toContain("Until then, the beat goes on—underground.");
    expect(html).toContain("🎧 <strong>What are your thoughts on this?</strong>");
    expect(html).toContain("Drop your thoughts in the comments!");
    expect(html).toContain('<a class="back" href="/">← Back to blog</a>');
  });

  it("has the head a search engine and a social card need", async () => {
    const html = await (await get(SEED)).text();
    expect(html).toContain("<title>K-pop in North Korea: What’s Really Going On? - OUR K-POP</title>");
    expect(html).toContain(`<link rel="canonical" href="http://localhost:8787${SEED}"/>`);
    expect(html).toMatch(/<meta name="description" content="Red Velvet in Pyongyang[^"]*"\/>/);
    expect(html).toContain('<meta property="og:type" content="article"/>');
    expect(html).toContain('<meta property="og:title" content="K-pop in North Korea: What’s Really Going On?"/>');
    expect(html).toContain('<meta name="twitter:card"');
    expect(html).toContain('<meta property="article:published_time" content="2025-05-20T00:00:00.000Z"/>');
    const ld = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(ld ?? "{}")).toMatchObject({
      "@type": "BlogPosting",
      headline: "K-pop in North Korea: What’s Really Going On?",
      datePublished: "2025-05-20T00:00:00.000Z",
      url: `http://localhost:8787${SEED}`,
      // No image of its own: the site's card, with its size (Google's Article rich results need one).
      image: {
        "@type": "ImageObject",
        url: expect.stringMatching(/\/assets\/og-image\.[0-9a-f]{12}\.jpg$/),
        width: 1200,
        height: 630,
      },
      // As wrangler.toml configures it (SITE_AUTHOR_TYPE): the blog itself, not a Person named like it.
      author: { "@type": "Organization", name: "OUR K-POP", url: "http://localhost:8787/" },
      publisher: {
        "@type": "Organization",
        name: "OUR K-POP",
        logo: { "@type": "ImageObject", url: expect.stringMatching(/\/assets\/favicon\.[0-9a-f]{12}\.svg$/) },
      },
    });
    expect(html).toMatch(
      /<meta property="og:image" content="http:\/\/localhost:8787\/assets\/og-image\.[0-9a-f]{12}\.jpg"\/>/,
    );
    expect(html).toContain('<meta property="og:image:width" content="1200"/>');
    expect(html).not.toContain("<script>");
  });

  it("serves Hangul slugs, percent-encoded as browsers send them, with the post's language", async () => {
    const res = await get(KOREAN);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain("<h1>케이팝이란 무엇인가?</h1>");
    expect(html).toContain('<h2 id="왜-사랑받을까"><a class="anchor" href="#왜-사랑받을까">왜 사랑받을까?</a></h2>');
    expect(html).toContain(`href="http://localhost:8787${KOREAN}"`);
  });

  it("redirects non-canonical spellings of a slug (upper case, decomposed Hangul) to the canonical URL", async () => {
    const upper = await get("/posts/KPOP-in-North-Korea");
    expect(upper.status).toBe(301);
    expect(upper.headers.get("location")).toBe(SEED);
    const nfd = await get(`/posts/${encodeURIComponent("케이팝이란".normalize("NFD"))}`);
    expect(nfd.status).toBe(301);
    expect(nfd.headers.get("location")).toBe(KOREAN);
  });

  it("answers an unknown slug with the 404 page", async () => {
    for (const path of ["/posts/no-such-post", "/posts/%ED%95%9C", "/posts/", "/posts/a/b", "/nothing-here"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("text/html");
      const html = await res.text();
      expect(html).toContain("<h1>Page not found</h1>");
      expect(html).toContain('<meta name="robots" content="noindex"/>');
      expect(html).toContain("Back to blog");
    }
  });

  it("reads the article's record (KV) and its comments (D1) at the same time, and no D1 for an unknown slug", async () => {
    forgetContent(); // so the record is read from KV, not from this isolate's memory
    let d1Started = () => {};
    const d1 = new Promise<void>((resolve) => {
      d1Started = resolve;
    });
    let overlapped = false;
    // Real KV and D1, observed: the record's read holds until the comments' batch has started
    // (or a second has passed, which is what a read made after the record would see).
    const content = new Proxy(env.CONTENT, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== "get" || typeof value !== "function") return value;
        return async (key: string, options: unknown) => {
          if (key.startsWith("article:")) {
            const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("timeout"), 1000));
            overlapped = (await Promise.race([d1.then(() => "d1"), timeout])) === "d1";
          }
          return value.call(target, key, options);
        };
      },
    });
    const db = new Proxy(env.DB, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== "withSession" || typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const session = value.apply(target, args) as D1DatabaseSession;
          return new Proxy(session, {
            get(s, name) {
              const method = Reflect.get(s, name, s);
              if (typeof method !== "function") return method;
              return (...a: unknown[]) => {
                if (name === "batch") d1Started();
                return method.apply(s, a);
              };
            },
          });
        };
      },
    });
    const overrides = { CONTENT: content, DB: db, PAGE_CACHE: "off" };
    const res = await fetchApp(SEED, {}, overrides);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Red Velvet performed in Pyongyang");
    expect(overlapped).toBe(true);

    const unknown = await fetchApp("/posts/no-such-post", {}, overrides);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("server-timing")).toContain('d1;dur=0.0;desc="0 calls"');
  });

  it("answers JSON clients with a JSON 404", async () => {
    const res = await get("/posts/no-such-post", { headers: { accept: "application/json" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { status: 404, message: expect.stringContaining("no page") } });
  });
});

describe("GET /tags/:tag", () => {
  it("lists the posts with a tag, newest first", async () => {
    const res = await get("/tags/k-pop");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>#<span class="nh">k-pop</span></h1>');
    expect(html).toContain("4 posts");
    expect(html.indexOf(SEED)).toBeLessThan(html.indexOf("/posts/welcome-to-our-kpop"));
  });

  it("serves a Hangul tag and 404s unknown tags and pages past the end", async () => {
    const res = await get(`/tags/${encodeURIComponent("한국어")}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`href="${KOREAN}"`);
    expect((await get("/tags/no-such-tag")).status).toBe(404);
    expect((await get("/tags/k-pop/page/2")).status).toBe(404);
    expect((await get("/tags/k-pop/page/x")).status).toBe(404);
    const first = await get("/tags/k-pop/page/1");
    expect(first.status).toBe(301);
    expect(first.headers.get("location")).toBe("/tags/k-pop");
    const upper = await get("/tags/K-Pop");
    expect(upper.status).toBe(301);
    expect(upper.headers.get("location")).toBe("/tags/k-pop");
  });
});

describe("every GET answers HEAD", () => {
  it.each(["/", SEED, KOREAN, "/tags/k-pop", "/feed.xml", "/sitemap.xml", "/robots.txt"])("HEAD %s", async (path) => {
    const [head, full] = await Promise.all([get(path, { method: "HEAD" }), get(path)]);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe(full.headers.get("content-type"));
    expect(await head.text()).toBe("");
  });

  it("HEAD of an unknown page is 404", async () => {
    expect((await get("/posts/nope", { method: "HEAD" })).status).toBe(404);
  });
});

describe("when KV cannot give the release", () => {
  it("answers 503 with Retry-After and a clear page, never a stack trace", async () => {
    const saved = await env.CONTENT.get(releaseKey(RELEASE));
    await env.CONTENT.delete(releaseKey(RELEASE));
    forgetContent();
    forgetPages();
    await caches.default.delete(pages.keyOf(`http://localhost:8787${SEED}`));
    try {
      const res = await get(SEED);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("60");
      const html = await res.text();
      expect(html).toContain("Temporarily unavailable");
      expect(html).toContain("The blog&#39;s content is unavailable right now. Please try again in a minute.");
      expect(html).not.toMatch(/at .*\.(ts|js):\d+/);
    } finally {
      await env.CONTENT.put(releaseKey(RELEASE), saved ?? "");
    }
  });
});

describe("methods a page does not take", () => {
  it.each(["/", SEED, "/tags/k-pop", "/feed.xml"])("POST/PUT/DELETE %s is 405 with Allow", async (path) => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await get(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
  });
});
