import { describe, expect, it } from "vitest";
import { axeViolations, KOREAN_PATH, PHONE, SEED_PATH, useChromium } from "./browser.ts";
import { bodyField, nameField, postButton, postComment, signIn, submitting, uniqueText } from "./comment-form.ts";

const chromium = useChromium();

const PAGES = {
  home: "/",
  article: SEED_PATH,
  "Korean article": KOREAN_PATH,
  tag: `/tags/${encodeURIComponent("한국어")}`,
  archive: "/archive",
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

describe("axe-core finds no accessibility violations in comments and admin", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    it(`on the article with a thread, a reply and the reader's held comment (${colorScheme})`, async () => {
      const { page } = await chromium.open(SEED_PATH, { colorScheme });
      const parent = await postComment(page, "Axe", uniqueText("A comment to check."));
      await page.goto(`${SEED_PATH}?reply=${parent}#comment-form`);
      await postComment(page, "Axe", uniqueText("A reply to check."));
      await postComment(page, "Axe", uniqueText("Held for its link: https://example.com/a"));
      await expect(page.locator(".comment-held-note").count()).resolves.toBeGreaterThan(0);
      await expect(page.locator(".comment-replies .comment").count()).resolves.toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      // The reply form (?reply=) too.
      await page.goto(`${SEED_PATH}?reply=${parent}#comment-form`);
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });

    it(`on the comment form with errors shown (${colorScheme})`, async () => {
      const { page } = await chromium.open(SEED_PATH, { colorScheme });
      await nameField(page).fill("   ");
      await bodyField(page).fill("   ");
      expect((await submitting(page, () => postButton(page).click())).status()).toBe(422);
      await expect(page.locator(".field-error").count()).resolves.toBe(2);
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });

    it(`on the admin sign-in page, fresh and after a wrong token (${colorScheme})`, async () => {
      const { page } = await chromium.open("/admin", { colorScheme });
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel("Admin token").fill("wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });

    it(`on the admin page with pending comments (${colorScheme})`, async () => {
      const { page: author } = await chromium.open(SEED_PATH);
      await postComment(author, "Held", uniqueText("Pending for the admin page: https://example.com/b"));
      await author.context().close();
      const { page } = await chromium.open("/admin", { colorScheme });
      await signIn(page);
      await expect(page.locator(".admin-list li").count()).resolves.toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.goto("/admin?status=all");
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
  }
});
