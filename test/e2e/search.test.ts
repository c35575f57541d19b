import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { axeViolations, PHONE, SCREENSHOTS, useChromium } from "./browser.ts";

const chromium = useChromium();

/** What a reader sees of each result: its title, its snippet's text and words, the marked words, their language. */
async function results(path: string, options = {}) {
  const { page } = await chromium.open(path, options);
  const found = await page.$$eval(".post-list li", (items) =>
    items.map((item) => {
      const snippet = item.querySelector(".snippet");
      return {
        title: item.querySelector("h2")?.textContent?.trim() ?? "",
        lang: item.querySelector("h2")?.getAttribute("lang") ?? null,
        snippet: snippet?.textContent ?? "",
        marks: [...(snippet?.querySelectorAll("mark") ?? [])].map((m) => m.textContent ?? ""),
      };
    }),
  );
  const count = (await page.locator(".result-count").textContent()) ?? "";
  return { page, found, count };
}

describe("search in Chromium", () => {
  it("every spelling of K-pop finds the same posts, with a count and snippets of whole words, the match marked", async () => {
    const { page, found, count } = await results("/search?q=kpop");
    expect(count).toMatch(/^4 posts match/);
    expect(found).toHaveLength(4);
    for (const { snippet, marks } of found) {
      // About 25-30 words, cut at word boundaries: no Markdown punctuation, no code fences.
      const words = snippet.split(/\s+/).filter(Boolean);
      expect(words.length, snippet).toBeGreaterThanOrEqual(8);
      expect(words.length, snippet).toBeLessThanOrEqual(40);
      expect(snippet, snippet).not.toMatch(/\*\*|```|^---|\[ |\] /);
      expect(marks.length, snippet).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(SCREENSHOTS, "search-kpop.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    for (const spelling of ["k-pop", "K-Pop", "k%20pop", "%EC%BC%80%EC%9D%B4%ED%8C%9D"]) {
      const other = await results(`/search?q=${spelling}`);
      expect(other.found.map((r) => r.title).sort(), spelling).toEqual(found.map((r) => r.title).sort());
    }
  });

  it('a Korean result carries lang="ko" on a phone', async () => {
    const { page, found } = await results("/search?q=%EC%BC%80%EC%9D%B4%ED%8C%9D", PHONE);
    expect(found.some((r) => r.lang === "ko")).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "search-korean-phone.png"), fullPage: true });
  });
});
