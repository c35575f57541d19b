import { randomUUID } from "node:crypto";
import type { Page, Response } from "playwright-core";
import { ADMIN_TOKEN } from "./browser.ts";

/** Text no other test (or earlier run) wrote, so a test finds exactly its own comment. */
export const uniqueText = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;

/** The comment form's fields as a reader finds them: by their visible labels. */
export const nameField = (page: Page) => page.getByLabel("Name", { exact: true });
export const bodyField = (page: Page) => page.getByLabel("Comment", { exact: true });
export const postButton = (page: Page) => page.getByRole("button", { name: "Post comment" });

/**
 * Submits the form with `act` (a click, a tap, a key press) and waits for the comment POST's
 * answer and for the page it leads to (the article after a 303, or the form with errors) to load.
 */
export async function submitting(page: Page, act: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((res) => res.request().method() === "POST" && /\/comments$/.test(new URL(res.url()).pathname)),
    page.waitForEvent("load"),
    act(),
  ]);
  return response;
}

/**
 * Fills the comment form on the open article (or reply) page, posts it with the button and
 * returns the new comment's id from the anchor the browser landed on (`#comment-<id>`).
 */
export async function postComment(page: Page, name: string, body: string): Promise<number> {
  await nameField(page).fill(name);
  await bodyField(page).fill(body);
  const response = await submitting(page, () => postButton(page).click());
  if (response.status() !== 303) throw new Error(`the comment was refused: ${response.status()}`);
  await page.waitForURL(/#comment-\d+$/);
  return Number(new URL(page.url()).hash.slice("#comment-".length));
}

/** True when the element's top edge is inside the viewport (the reader sees it without scrolling; a pixel of rounding allowed). */
export const inView = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const { top, bottom } = el.getBoundingClientRect();
    return top >= -1 && top < window.innerHeight && bottom > 0;
  });

/** Signs in to /admin through its form with the blog's admin token. */
export async function signIn(page: Page): Promise<void> {
  await page.goto("/admin");
  await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Moderation" }).waitFor();
  await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
}
