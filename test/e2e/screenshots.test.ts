import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PHONE, SCREENSHOTS, SEED_PATH, useChromium } from "./browser.ts";

const chromium = useChromium();

const DESKTOP = { viewport: { width: 1280, height: 800 } };

const SHOTS = [
  { name: "home-desktop", path: "/", options: DESKTOP },
  { name: "home-phone", path: "/", options: PHONE },
  { name: "article-desktop", path: SEED_PATH, options: DESKTOP },
  { name: "article-phone", path: SEED_PATH, options: PHONE },
  { name: "article-desktop-dark", path: SEED_PATH, options: { ...DESKTOP, colorScheme: "dark" as const } },
  { name: "tag-phone-dark", path: "/tags/k-pop", options: { ...PHONE, colorScheme: "dark" as const } },
];

describe(`screenshots for people to look at, in ${SCREENSHOTS}/`, () => {
  it.each(SHOTS)("$name", async ({ name, path, options }) => {
    const { page } = await chromium.open(path, options);
    const file = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    // What a reader sees before scrolling (a full article page is too tall to judge at a glance).
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-first-screen.png`) });
    await page.context().close();
  });

  it("article in print", async () => {
    const { page } = await chromium.open(SEED_PATH);
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header nav").isVisible()).resolves.toBe(false);
    await expect(page.locator(".site-footer").isVisible()).resolves.toBe(false);
    await expect(page.locator("article h1").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "article-print.png"), fullPage: true });
    await page.context().close();
  });
});
