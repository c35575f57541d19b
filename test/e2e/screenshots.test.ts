import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PHONE, SCREENSHOTS, SEED_PATH, useChromium } from "./browser.ts";
import { bodyField, nameField, postButton, postComment, signIn, submitting, uniqueText } from "./comment-form.ts";

const chromium = useChromium();

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const WELCOME_PATH = "/posts/welcome-to-our-kpop";

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

  it.each([
    { name: "comments-desktop", options: DESKTOP },
    { name: "comments-phone-dark", options: { ...PHONE, colorScheme: "dark" as const } },
  ])("$name: a thread with a reply, the reader's held comment, and the form with errors", async ({ name, options }) => {
    // On the welcome post, which the journeys leave alone, so the shot shows just these comments.
    const { page } = await chromium.open(WELCOME_PATH, options);
    const parent = await postComment(page, "Mina", uniqueText("Music really does cross every border."));
    await page.goto(`${WELCOME_PATH}?reply=${parent}#comment-form`);
    await postComment(page, "Jun", "Agreed! The 2018 concert showed it.");
    await postComment(page, "Sora", "Lyrics here: https://example.com/lyrics");
    await page.locator("#comments").screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

    await nameField(page).fill("Mina");
    await bodyField(page).fill(" ");
    expect((await submitting(page, () => postButton(page).click())).status()).toBe(422);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-form-error.png`) });
    await page.context().close();
  });

  it.each([
    { name: "admin-desktop", options: DESKTOP },
    { name: "admin-phone-dark", options: { ...PHONE, colorScheme: "dark" as const } },
  ])("$name: sign-in, then pending comments", async ({ name, options }) => {
    const { page: author } = await chromium.open(SEED_PATH);
    await postComment(author, "Minho", uniqueText("Fan translations at https://example.com/lyrics"));
    await author.context().close();
    const { page } = await chromium.open("/admin", options);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-login.png`) });
    await signIn(page);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.context().close();
  });
});
