import { describe, expect, it } from "vitest";
import { KOREAN_PATH, PHONE, SEED_PATH, SEED_TITLE, sidewaysScroll, useChromium } from "./browser.ts";

const chromium = useChromium();

const PAGES = ["/", SEED_PATH, KOREAN_PATH, "/tags/k-pop", "/posts/no-such-post"];

describe("reading in other conditions", () => {
  it("reads the whole article and follows links with JavaScript disabled", async () => {
    const { page, response } = await chromium.open("/", { javaScriptEnabled: false });
    expect(response.status()).toBe(200);
    await page.getByRole("link", { name: SEED_TITLE }).click();
    await page.waitForURL(chromium.url(SEED_PATH));
    await expect(page.locator("article .content h2").count()).resolves.toBe(6);
    await expect(page.getByText("Drop your thoughts in the comments!").isVisible()).resolves.toBe(true);
    // Data for search engines, and the comment-times script, deferred (it only rewrites times in
    // the reader's zone): the page needs no JavaScript.
    const scripts = await page
      .locator("script")
      .evaluateAll((all) =>
        all.map((s) => s.getAttribute("type") ?? `${s.getAttribute("src")} defer=${s.hasAttribute("defer")}`),
      );
    expect(scripts).toEqual([
      expect.stringMatching(/^\/assets\/local-time\.[0-9a-f]{12}\.js defer=true$/),
      "application/ld+json",
    ]);
    await page.getByRole("link", { name: "#k-pop" }).click();
    await page.waitForURL(chromium.url("/tags/k-pop"));
    await page.context().close();
  });

  it("fits a phone's width: no page scrolls sideways", async () => {
    const { page } = await chromium.open("/", PHONE);
    for (const path of PAGES) {
      await page.goto(path);
      expect(await sidewaysScroll(page), path).toBe(0);
    }
    await page.context().close();
  });

  it("keeps the article's measure readable (about 65-75 characters a line) on a desktop", async () => {
    const { page } = await chromium.open(SEED_PATH, { viewport: { width: 1280, height: 800 } });
    // Characters a full line holds: the text column's width over this paragraph's average glyph width.
    const perLine = await page
      .locator("article .content p")
      .first()
      .evaluate((p) => {
        const probe = document.createElement("span");
        probe.style.whiteSpace = "nowrap";
        probe.textContent = p.textContent;
        p.append(probe);
        const glyph = probe.getBoundingClientRect().width / (probe.textContent ?? "").length;
        probe.remove();
        return p.clientWidth / glyph;
      });
    expect(perLine).toBeGreaterThanOrEqual(60);
    expect(perLine).toBeLessThanOrEqual(80);
    await page.context().close();
  });

  it("lets a keyboard user skip to the content and tab through links with a visible focus ring", async () => {
    const { page } = await chromium.open(SEED_PATH);
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          tag: el.tagName,
          text: el.textContent?.trim(),
          href: el.getAttribute("href"),
          outline: style.outlineStyle === "none" ? 0 : Number.parseFloat(style.outlineWidth),
          visible: el.getBoundingClientRect().top >= 0,
        };
      });
    await page.keyboard.press("Tab");
    expect(await focused()).toMatchObject({ tag: "A", text: "Skip to content", href: "#main", visible: true });
    expect((await focused()).outline).toBeGreaterThanOrEqual(2);
    await page.keyboard.press("Enter");
    await page.waitForURL(chromium.url(`${SEED_PATH}#main`));

    // From the main content, tabbing reaches the back link, then the post's tags, each with a ring.
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      const now = await focused();
      expect(now.tag).toBe("A");
      expect(now.outline, now.text).toBeGreaterThanOrEqual(2);
      seen.push(now.text ?? "");
    }
    expect(seen).toEqual(["← Back to blog", "#k-pop", "#north-korea", "#culture"]);
    await page.keyboard.press("Enter");
    await page.waitForURL(chromium.url("/tags/culture"));
    await page.context().close();
  });
});
