import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { axeViolations, KOREAN_PATH, PHONE, SCREENSHOTS, SEED_PATH, useChromium } from "./browser.ts";
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
    // AAA: 6.4:1 passes AA but not the 7:1 of AAA.
    await page.setContent(
      '<html lang="en"><title>t</title><main><h1>Form</h1><form><p style="color:#595463;background:#f4f0f7">hint</p></form></main></html>',
    );
    expect(await axeViolations(page)).toEqual([]);
    const aaa = (await axeViolations(page, { aaaWithin: "form" })).map((v) => v.split(" ")[0]);
    expect(aaa).toEqual(["color-contrast-enhanced"]);
    await page.context().close();
  });

  it("on the article on a phone", async () => {
    const { page } = await chromium.open(SEED_PATH, PHONE);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});

/** WCAG's contrast ratio of two computed `rgb(...)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r = 0, g = 0, bl = 0] = (rgb.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return ((x ?? 0) + 0.05) / ((y ?? 0) + 0.05);
}

describe("form fields are told apart from their card (WCAG 1.4.11: 3:1)", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    it(`by their borders, fresh and in error (${colorScheme})`, async () => {
      const { page } = await chromium.open(SEED_PATH, { colorScheme });
      const borders = () =>
        page.locator("#comment-name, #comment-body").evaluateAll((fields) =>
          fields.map((field) => ({
            id: field.id,
            border: getComputedStyle(field).borderTopColor,
            card: getComputedStyle(field.closest("form") as Element).backgroundColor,
            inside: getComputedStyle(field).backgroundColor,
          })),
        );
      for (const field of await borders()) {
        expect(
          contrast(field.border, field.card),
          `${field.id} ${field.border} on ${field.card}`,
        ).toBeGreaterThanOrEqual(3);
      }
      await nameField(page).fill(" ");
      await bodyField(page).fill(" ");
      expect((await submitting(page, () => postButton(page).click())).status()).toBe(422);
      const errors = await borders();
      expect(errors).toHaveLength(2);
      for (const field of errors) {
        // The error colour of this scheme (dark mode once got the light one, 2.3:1).
        expect(
          contrast(field.border, field.card),
          `${field.id} ${field.border} on ${field.card}`,
        ).toBeGreaterThanOrEqual(4.5);
        expect(
          contrast(field.border, field.inside),
          `${field.id} ${field.border} in ${field.inside}`,
        ).toBeGreaterThanOrEqual(3);
      }
      await page.screenshot({ path: join(SCREENSHOTS, `form-error-${colorScheme}.png`) });
      await page.context().close();
    });
  }
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
      expect(await axeViolations(page, { aaaWithin: "#comment-form" })).toEqual([]);
      // The reply form (?reply=) too.
      await page.goto(`${SEED_PATH}?reply=${parent}#comment-form`);
      expect(await axeViolations(page, { aaaWithin: "#comment-form" })).toEqual([]);
      await page.context().close();
    });

    it(`on the comment form with errors shown (${colorScheme})`, async () => {
      const { page } = await chromium.open(SEED_PATH, { colorScheme });
      await nameField(page).fill("   ");
      await bodyField(page).fill("   ");
      expect((await submitting(page, () => postButton(page).click())).status()).toBe(422);
      await expect(page.locator(".field-error").count()).resolves.toBe(2);
      expect(await axeViolations(page, { aaaWithin: "#comment-form" })).toEqual([]);
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
