import { describe, expect, it } from "vitest";
import { axeViolations, KOREAN_PATH, PHONE, SEED_PATH, useChromium } from "./browser.ts";

const chromium = useChromium();

const PAGES = {
  home: "/",
  article: SEED_PATH,
  "Korean article": KOREAN_PATH,
  tag: `/tags/${encodeURIComponent("한국어")}`,
  "404": "/posts/no-such-post",
};

describe("axe-core finds no accessibility violations", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    it.each(Object.entries(PAGES))(`on the %s page (${colorScheme} scheme)`, async (_name, path) => {
      const { page } = await chromium.open(path, { colorScheme });
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
  }

  it("(the check itself reports a page with faults)", async () => {
    const { page } = await chromium.open("/");
    await page.goto("about:blank"); // away from the blog's CSP, which would block the faulty inline style
    await page.setContent(
      '<html><body><img src="/x.png"><p style="color:#ccc;background:#fff">faint</p></body></html>',
    );
    const found = (await axeViolations(page)).map((v) => v.split(" ")[0]);
    expect(found).toEqual(expect.arrayContaining(["html-has-lang", "image-alt", "color-contrast"]));
    await page.context().close();
  });

  it("on the article on a phone", async () => {
    const { page } = await chromium.open(SEED_PATH, PHONE);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
