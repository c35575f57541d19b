import { describe, expect, it } from "vitest";
import { axeViolations, useChromium } from "./browser.ts";

const chromium = useChromium();
const WELCOME = "/posts/welcome-to-our-kpop";

describe("a post with an image, code and section links, in Chromium", () => {
  it("loads the post's image from its hashed, immutable static asset, at its real size", async () => {
    const { page } = await chromium.open(WELCOME);
    const image = page.locator('article .content img[src*="lightstick"]');
    const src = (await image.getAttribute("src")) ?? "";
    expect(src).toMatch(/^\/assets\/lightstick\.[0-9a-f]{12}\.svg$/);
    await image.scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => document.querySelector<HTMLImageElement>('article .content img[src*="lightstick"]')?.complete,
    );
    await expect(image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).resolves.toEqual([
      640, 320,
    ]);
    const res = await page.request.get(chromium.url(src));
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("image/svg+xml");
    expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    await page.context().close();
  });

  for (const [colorScheme, colour] of [
    ["light", "rgb(26, 116, 49)"],
    ["dark", "rgb(133, 232, 157)"],
  ] as const) {
    it(`colours the highlighted code in the ${colorScheme} scheme, and axe finds nothing`, async () => {
      const { page } = await chromium.open(WELCOME, { colorScheme });
      const key = page.locator("pre.code span.t").first();
      await expect(key.textContent()).resolves.toBe("title");
      await expect(key.evaluate((el) => getComputedStyle(el).color)).resolves.toBe(colour);
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
  }

  it("follows a heading's self-link to its anchor", async () => {
    const { page } = await chromium.open(WELCOME);
    await page.getByRole("link", { name: "Write for us" }).click();
    await page.waitForURL(chromium.url(`${WELCOME}#write-for-us`));
    await expect(page.getByRole("heading", { level: 2, name: "Write for us" }).isVisible()).resolves.toBe(true);
    await page.context().close();
  });
});
