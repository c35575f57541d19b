import { describe, expect, it } from "vitest";
import { KOREAN_PATH, SEED_PATH, SEED_TITLE, useChromium } from "./browser.ts";

const chromium = useChromium();

describe("a reader in Chromium", () => {
  it("opens the home page, follows the seed post and reads it to the closing question", async () => {
    const { page, response } = await chromium.open("/");
    expect(response.status()).toBe(200);
    await expect(page.title()).resolves.toBe("OUR K-POP");
    await page.getByRole("link", { name: SEED_TITLE }).click();
    await page.waitForURL(chromium.url(SEED_PATH));

    await expect(page.title()).resolves.toBe(`${SEED_TITLE} - OUR K-POP`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(SEED_TITLE);
    const sections = await page.locator("article .content h2").allTextContents();
    expect(sections).toEqual([
      "1. The Time K-pop Crossed the DMZ",
      "2. So… Is K-pop Allowed in North Korea?",
      "3. The Secret Life of K-pop Fans in the North",
      "4. How K-pop Could Spark Change",
      "5. Will K-pop Ever Be Officially Accepted?",
      "Final Thoughts",
    ]);
    const text = await page.locator("main > article").textContent();
    expect(text).toContain("Red Velvet performed in Pyongyang");
    expect(text).toContain("Until then, the beat goes on—underground.");
    await expect(page.getByText("What are your thoughts on this?").isVisible()).resolves.toBe(true);
    expect(text?.trimEnd()).toMatch(
      /Can K-pop be a force for change in North Korea\? Drop your thoughts in the comments!$/,
    );
    await expect(page.locator("time").first().getAttribute("datetime")).resolves.toMatch(/^2025-05-20/);
    await page.context().close();
  });

  it("follows a tag from an article, then the Hangul tag 한국어 to the Korean post", async () => {
    const { page } = await chromium.open(SEED_PATH);
    await page.getByRole("link", { name: "#north-korea" }).click();
    await page.waitForURL(chromium.url("/tags/north-korea"));
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("#north-korea");
    await expect(page.getByRole("link", { name: SEED_TITLE }).count()).resolves.toBe(1);

    await page.goto("/tags/k-pop");
    await page.getByRole("link", { name: "케이팝이란 무엇인가?" }).click();
    await page.waitForURL(chromium.url(KOREAN_PATH));
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("ko");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("케이팝이란 무엇인가?");

    await page.getByRole("link", { name: "#한국어" }).click();
    await page.waitForURL(chromium.url(`/tags/${encodeURIComponent("한국어")}`));
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("#한국어");
    await expect(page.locator(".post-list > li").count()).resolves.toBe(1);
    await page.getByRole("link", { name: "케이팝이란 무엇인가?" }).click();
    await page.waitForURL(chromium.url(KOREAN_PATH));
    await page.context().close();
  });

  it("opens the Atom feed from the site header", async () => {
    const { page } = await chromium.open("/");
    const [feed] = await Promise.all([
      page.waitForResponse((res) => res.url() === chromium.url("/feed.xml")),
      page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Feed" }).click(),
    ]);
    expect(feed.status()).toBe(200);
    expect(feed.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
    const xml = await feed.text();
    expect(xml).toContain("<title>K-pop in North Korea: What’s Really Going On?</title>");
    expect(xml).toContain(`<link rel="alternate" type="text/html" href="${chromium.url(SEED_PATH)}"/>`);
    await page.context().close();
  });

  it("shows the 404 page for an unknown post, with a way home", async () => {
    const { page, response } = await chromium.open("/posts/no-such-post");
    expect(response.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    await expect(page.locator('meta[name="robots"]').getAttribute("content")).resolves.toBe("noindex");
    await page.getByRole("main").getByRole("link", { name: "← Back to blog" }).click();
    await page.waitForURL(chromium.url("/"));
    await page.context().close();
  });

  it("gets the favicon and the social image from hashed, immutable static assets", async () => {
    const { page } = await chromium.open(SEED_PATH);
    const icon = await page.locator('link[rel="icon"]').getAttribute("href");
    const image = await page.locator('meta[property="og:image"]').getAttribute("content");
    expect(icon).toMatch(/^\/assets\/favicon\.[0-9a-f]{12}\.svg$/);
    expect(image).toMatch(new RegExp(`^${chromium.url("/assets/og-image")}\\.[0-9a-f]{12}\\.jpg$`));
    await expect(page.locator('meta[name="twitter:image"]').getAttribute("content")).resolves.toBe(image);
    for (const [url, type] of [
      [chromium.url(icon ?? ""), "image/svg+xml"],
      [image ?? "", "image/jpeg"],
    ] as const) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(200);
      expect(res.headers()["content-type"]).toBe(type);
      expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    }
    await page.context().close();
  });
});
