import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, SEED_PATH, useChromium } from "./browser.ts";
import { bodyField, nameField, postComment, signIn, uniqueText } from "./comment-form.ts";

const chromium = useChromium();
const NO_JS = { javaScriptEnabled: false };

/**
 * axe-core needs scripts in the page, so the check runs in a second context with JavaScript on,
 * holding the same cookies (the same commenter), at the page the script-less reader is on.
 */
async function axeAt(page: Page): Promise<string[]> {
  const context = await chromium.browser.newContext({ baseURL: chromium.baseUrl });
  await context.addCookies(await page.context().cookies());
  const checked = await context.newPage();
  await checked.goto(page.url());
  const violations = await axeViolations(checked);
  await context.close();
  return violations;
}

/** Clicks and waits for the POST's answer and the page it leads to. */
async function posting(page: Page, path: RegExp, act: () => Promise<void>) {
  const [response] = await Promise.all([
    page.waitForResponse((res) => res.request().method() === "POST" && path.test(new URL(res.url()).pathname)),
    page.waitForEvent("load"),
    act(),
  ]);
  return response;
}

describe("a commenter fixes their words in Chromium, JavaScript off", () => {
  it("edits a comment through the form: the Edit link opens it filled in, saving shows it edited", async () => {
    const { page } = await chromium.open(SEED_PATH, NO_JS);
    const id = await postComment(page, "Hana", uniqueText("I love teh song."));
    const comment = page.locator(`#comment-${id}`);
    await comment.getByRole("link", { name: "Edit your comment" }).click();
    await page.waitForURL(chromium.url(`${SEED_PATH}?edit=${id}#comment-form`));
    await expect(page.locator("#comment-form h3").textContent()).resolves.toBe("Edit your comment");
    await expect(bodyField(page).inputValue()).resolves.toMatch(/^I love teh song\./);
    await expect(nameField(page).inputValue()).resolves.toBe("Hana");
    expect(await axeAt(page)).toEqual([]);

    const fixed = uniqueText("I love the song.");
    await bodyField(page).fill(fixed);
    const saved = await posting(page, /\/comments\/\d+\/edit$/, () =>
      page.getByRole("button", { name: "Save changes" }).click(),
    );
    expect(saved.status()).toBe(303);
    await page.waitForURL(chromium.url(`${SEED_PATH}#comment-${id}`));
    await expect(comment.locator(".comment-body").first().textContent()).resolves.toBe(fixed);
    await expect(comment.locator(".comment-meta").first().textContent()).resolves.toContain("edited");
    await page.context().close();
  });

  it("deletes a comment after a confirmation page", async () => {
    const { page } = await chromium.open(SEED_PATH, NO_JS);
    const id = await postComment(page, "Oops", uniqueText("Posted by mistake."));
    await page.locator(`#comment-${id}`).getByRole("link", { name: "Delete your comment" }).click();
    await page.getByRole("heading", { name: "Delete your comment?" }).waitFor();
    expect(await axeAt(page)).toEqual([]);
    const done = await posting(page, /\/comments\/\d+\/delete$/, () =>
      page.getByRole("button", { name: "Delete comment" }).click(),
    );
    expect(done.status()).toBe(303);
    await page.waitForURL(chromium.url(`${SEED_PATH}#comments`));
    await expect(page.locator(`#comment-${id}`).count()).resolves.toBe(0);
    await page.context().close();
  });

  it("likes a comment with the ♥ button, once", async () => {
    const { page } = await chromium.open(SEED_PATH, NO_JS);
    const id = await postComment(page, "Liked", uniqueText("Like this one."));
    const reader = await chromium.open(SEED_PATH, NO_JS);
    const button = reader.page.getByRole("button", { name: "0 likes: like the comment by Liked" });
    const count = reader.page.locator(`#comment-${id} .like-count`);
    await expect(count.textContent()).resolves.toBe("0");
    expect(await axeAt(reader.page)).toEqual([]);
    await posting(reader.page, /\/like$/, () => button.click());
    await reader.page.waitForURL(chromium.url(`${SEED_PATH}#comment-${id}`));
    await expect(count.textContent()).resolves.toBe("1");
    const again = reader.page.getByRole("button", { name: "1 like: like the comment by Liked" });
    await posting(reader.page, /\/like$/, () => again.click());
    await expect(count.textContent()).resolves.toBe("1");
    await reader.page.context().close();
    await page.context().close();
  });

  it("the owner's comment, posted while signed in to /admin, carries the Author badge", async () => {
    const { page } = await chromium.open(SEED_PATH, NO_JS);
    await signIn(page);
    await page.goto(SEED_PATH);
    const id = await postComment(page, "OUR K-POP", uniqueText("Thanks for reading!"));
    await expect(page.locator(`#comment-${id} .badge`).textContent()).resolves.toContain("Author");
    expect(await axeAt(page)).toEqual([]);
    await page.context().close();
  });
});
