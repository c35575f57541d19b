import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE, useChromium } from "./browser.ts";

const chromium = useChromium();
/** The sample post with a photo: content/media/concert-crowd.jpg, 2000 x 1333 (and an SVG, left as it is). */
const WELCOME = "/posts/welcome-to-our-kpop";
const PHOTO = "concert-crowd";

/** Every image the page fetched once scrolled to the end, with the bytes of each response's body. */
async function imagesFetched(page: Page, load: () => Promise<unknown>): Promise<{ url: string; bytes: number }[]> {
  const images: Promise<{ url: string; bytes: number }>[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() === "image")
      images.push(res.body().then((b) => ({ url: res.url(), bytes: b.length })));
  });
  await load();
  // Lazy images load once near the viewport: walk down the page, then wait for every picture.
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 300) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 30));
    }
  });
  await page.waitForFunction(() =>
    [...document.querySelectorAll("article img")].every((i) => (i as HTMLImageElement).complete),
  );
  await page.waitForLoadState("networkidle");
  return Promise.all(images);
}

describe("responsive images in Chromium", () => {
  it("wraps the photo in a <picture> with AVIF and WebP sources, sizes, and its own width and height", async () => {
    const { page } = await chromium.open(WELCOME);
    const picture = page.locator(`article .content picture:has(img[src*="${PHOTO}"])`);
    const types = await picture.locator("source").evaluateAll((s) => s.map((e) => e.getAttribute("type")));
    expect(types).toEqual(["image/avif", "image/webp"]);
    const avif = (await picture.locator("source").first().getAttribute("srcset")) ?? "";
    expect(avif.split(", ").map((c) => c.split(" ")[1])).toEqual(["480w", "960w", "1440w", "2000w"]);
    const img = picture.locator("img");
    await expect(img.getAttribute("width")).resolves.toBe("2000");
    await expect(img.getAttribute("height")).resolves.toBe("1333");
    await expect(img.getAttribute("sizes")).resolves.toMatch(/vw/);
    // The SVG is left as it was: no picture around it.
    await expect(
      page.locator('article .content img[src*="lightstick"]').evaluate((i) => i.parentElement?.tagName),
    ).resolves.toBe("P");
    await page.context().close();
  });

  for (const [dpr, width] of [
    [2, 960],
    [3, 1440],
  ] as const) {
    it(`a 375 px phone at DPR ${dpr} downloads one AVIF of the photo, ${width} px wide`, async () => {
      const context = await chromium.browser.newContext({
        ...PHONE,
        deviceScaleFactor: dpr,
        baseURL: chromium.baseUrl,
      });
      const page = await context.newPage();
      const fetched = await imagesFetched(page, () => page.goto(WELCOME));
      const photo = fetched.filter((f) => f.url.includes(PHOTO));
      const total = fetched.reduce((sum, f) => sum + f.bytes, 0);
      console.log(
        `DPR ${dpr}: ${total} image bytes (${fetched.map((f) => `${f.url.split("/").pop()} ${f.bytes}`).join(", ")})`,
      );
      expect(photo.map((f) => f.url.split("/").pop())).toEqual([
        expect.stringMatching(new RegExp(`^${PHOTO}-${width}\\.[0-9a-f]{12}\\.avif$`)),
      ]);
      const chosen = await page
        .locator(`article img[src*="${PHOTO}"]`)
        .evaluate((i) => (i as HTMLImageElement).currentSrc);
      expect(chosen).toContain(`${PHOTO}-${width}.`);
      await context.close();
    });
  }
});
