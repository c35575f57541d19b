import { describe, expect, it } from "vitest";
import { SEED_PATH, useChromium } from "./browser.ts";
import { nameField, postComment, uniqueText } from "./comment-form.ts";

const chromium = useChromium();

describe("a returning commenter's name", () => {
  it("is in their next comment's form and their reply form, and in no stranger's", async () => {
    const { page } = await chromium.open(SEED_PATH);
    const name = uniqueText("Hyun");
    const id = await postComment(page, name, uniqueText("First thoughts."));
    // The page they land on after posting is theirs: the name is already there for the next comment.
    await expect(nameField(page).inputValue()).resolves.toBe(name);

    await page
      .locator(`#comment-${id}`)
      .getByRole("link", { name: `Reply to ${name}` })
      .click();
    await page.waitForURL(/\?reply=\d+#comment-form$/);
    await expect(nameField(page).inputValue()).resolves.toBe(name);

    // Another reader, on the same pages: the name is shown with the comment, never in their form.
    const { page: stranger } = await chromium.open(SEED_PATH);
    await expect(stranger.locator(`#comment-${id} .comment-author`).textContent()).resolves.toBe(name);
    await expect(nameField(stranger).inputValue()).resolves.toBe("");
    await stranger.goto(`${SEED_PATH}?reply=${id}#comment-form`);
    await expect(nameField(stranger).inputValue()).resolves.toBe("");
    await stranger.context().close();
    await page.context().close();
  });
});
