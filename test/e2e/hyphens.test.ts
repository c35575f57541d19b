import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE, SCREENSHOTS, SEED_PATH, useChromium } from "./browser.ts";

const chromium = useChromium();

/** Where titles and summaries are: page and section headings, the blog's description, each post's title and summary in lists. */
const TITLES = "main h1, .lede, .post-list h2, .post-list p, .content h2, .content h3";

/**
 * Every hyphenated word ("K-pop") in titles and summaries that the browser laid out over more than
 * one line, measured with `Range.getClientRects` (one rectangle per line a word spans). With
 * `unstyled`, the `.nh` spans are set back to normal wrapping first, to see where the text would
 * break without them.
 */
function brokenWords(page: Page, unstyled = false): Promise<string[]> {
  return page.evaluate(
    ({ selector, unstyled }) => {
      for (const span of document.querySelectorAll<HTMLElement>(".nh"))
        span.style.whiteSpace = unstyled ? "normal" : "";
      const broken: string[] = [];
      for (const element of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of (node.textContent ?? "").matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            if (lines.size > 1) broken.push(`${match[0]} in <${element.tagName.toLowerCase()}>`);
          }
        }
      }
      return broken;
    },
    { selector: TITLES, unstyled },
  );
}

describe("hyphenated words in titles and summaries", () => {
  it("never break at their hyphen on a phone, at any width from 320 to 430 CSS pixels", async () => {
    const { page } = await chromium.open("/", PHONE);
    let wouldBreak = 0;
    let checked = 0;
    for (const path of ["/", SEED_PATH, "/tags/k-pop"]) {
      await page.goto(path);
      for (let width = 320; width <= 430; width += 2) {
        await page.setViewportSize({ width, height: 667 });
        expect(await brokenWords(page), `${path} at ${width}px`).toEqual([]);
        // The check can see a break: without the spans some of these widths do split "K-" from "pop".
        wouldBreak += (await brokenWords(page, true)).length;
        await brokenWords(page); // styles back
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(wouldBreak).toBeGreaterThan(0);
    await page.context().close();
  });

  it("keep 'K-pop' on one line in the article's heading and the home page's list (getClientRects)", async () => {
    for (const path of [SEED_PATH, "/"]) {
      const { page } = await chromium.open(path, PHONE);
      const spans = page.locator(`${TITLES.split(", ").join(" .nh, ")} .nh`);
      const rects = await spans.evaluateAll((els) => els.map((el) => [el.textContent, el.getClientRects().length]));
      expect(rects.length, path).toBeGreaterThan(0);
      expect(rects.filter(([text]) => text === "K-pop").length, path).toBeGreaterThan(0);
      for (const [text, count] of rects) expect(count, `${path}: ${text}`).toBe(1);
      // Copying the title gives the writer's hyphen (U+002D), not a look-alike.
      // (The first title with K, any character, pop: the home page also lists Korean posts.)
      const title = await page.locator("article h1, .post-list h2", { hasText: /K.pop/ }).first().textContent();
      expect(title).toContain("K-pop");
      await page.screenshot({ path: join(SCREENSHOTS, `hyphens-phone${path === "/" ? "-home" : "-article"}.png`) });
      await page.context().close();
    }
  });
});
