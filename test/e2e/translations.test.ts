import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, PHONE, SCREENSHOTS, SEED_PATH, sidewaysScroll, useChromium } from "./browser.ts";
import { submitting, uniqueText } from "./comment-form.ts";

const chromium = useChromium();

/** The seed's Korean translation (content/posts/북한의-케이팝.md). */
const TRANSLATION_PATH = `/posts/${encodeURIComponent("북한의-케이팝")}`;
const SCHEMES = ["light", "dark"] as const;
const suffix = (scheme: (typeof SCHEMES)[number]) => (scheme === "dark" ? "-dark" : "");

/** The Korean comment form's fields and button, found by their Korean labels as a reader finds them. */
const koreanForm = (page: Page) => ({
  name: page.getByRole("textbox", { name: "이름", exact: true }),
  body: page.getByRole("textbox", { name: "댓글", exact: true }),
  post: page.getByRole("button", { name: "댓글 등록" }),
});

describe("a Korean reader's blog, in Chromium", () => {
  it.each(SCHEMES)("the Korean home (/ko) on a phone, %s: Korean posts only, in a Korean interface", async (scheme) => {
    const { page, response } = await chromium.open("/ko", { ...PHONE, colorScheme: scheme });
    expect(response.status()).toBe(200);
    expect(await page.locator("html").getAttribute("lang")).toBe("ko");
    expect(await page.locator("h1").textContent()).toBe("한국어 글");
    const titles = await page.locator(".post-list h2").allInnerTexts();
    expect(titles).toEqual(["북한의 케이팝, 실제로는 어떨까?", "케이팝이란 무엇인가?"]);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, `ko-home-phone${suffix(scheme)}.png`), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it.each(SCHEMES)("the language switcher on a phone, %s: a plain link to the other language", async (scheme) => {
    const { page } = await chromium.open(SEED_PATH, { ...PHONE, colorScheme: scheme, javaScriptEnabled: false });
    const nav = page.getByRole("navigation", { name: "Languages" });
    expect(await nav.textContent()).toBe("English 한국어");
    await nav.screenshot({ path: join(SCREENSHOTS, `language-switcher-phone${suffix(scheme)}.png`) });
    await page
      .locator("article > header:not(.comment-meta)")
      .screenshot({ path: join(SCREENSHOTS, `language-switcher-header-phone${suffix(scheme)}.png`) });
    // Big enough to tap: WCAG 2.2's 24 px target size.
    const box = await nav.getByRole("link", { name: "한국어" }).boundingBox();
    expect(box && Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24);
    await Promise.all([page.waitForURL(`**${TRANSLATION_PATH}`), nav.getByRole("link", { name: "한국어" }).tap()]);
    expect(await page.locator("html").getAttribute("lang")).toBe("ko");
    const back = page.getByRole("navigation", { name: "언어" });
    expect(await back.getByRole("link", { name: "English" }).getAttribute("lang")).toBe("en");
    await page.context().close();
  });

  it.each(SCHEMES)("the Korean article with comments and a form error on a phone, %s", async (scheme) => {
    const { page } = await chromium.open(TRANSLATION_PATH, { ...PHONE, colorScheme: scheme });
    await page.screenshot({ path: join(SCREENSHOTS, `ko-article-phone${suffix(scheme)}-first-screen.png`) });
    const form = koreanForm(page);
    await form.name.fill("민지");
    await form.body.fill(uniqueText("번역 고마워요! 북한 이야기는 늘 마음이 복잡해지네요."));
    expect((await submitting(page, () => form.post.click())).status()).toBe(303);
    await page.waitForURL(/#comment-\d+$/);
    const again = koreanForm(page);
    await again.name.fill("준호");
    await again.body.fill(" ");
    expect((await submitting(page, () => again.post.click())).status()).toBe(422);
    expect(await page.locator("html").getAttribute("lang")).toBe("ko");
    // The page with the form as sent is the article still: its switcher and alternates included.
    expect(await page.getByRole("navigation", { name: "언어" }).textContent()).toBe("English 한국어");
    expect(await page.locator('link[hreflang="x-default"]').count()).toBe(1);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, `ko-article-phone${suffix(scheme)}.png`), fullPage: true });
    await page.screenshot({ path: join(SCREENSHOTS, `ko-article-form-error-phone${suffix(scheme)}.png`) });
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  const PAGES = ["/ko", "/en", SEED_PATH, TRANSLATION_PATH];
  for (const scheme of SCHEMES) {
    it.each(PAGES)(`axe finds no violation on %s (${scheme})`, async (path) => {
      const { page } = await chromium.open(path, { colorScheme: scheme });
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
  }
});
