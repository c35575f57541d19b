import { describe, expect, it } from "vitest";
import { PHONE, SEED_PATH, sidewaysScroll, useChromium } from "./browser.ts";
import { bodyField, inView, nameField, postButton, postComment, submitting, uniqueText } from "./comment-form.ts";

const chromium = useChromium();

/** What the element with focus is, for keyboard journeys. */
const focused = (page: import("playwright-core").Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return {
      id: el.id,
      text: el.textContent?.trim(),
      outline: style.outlineStyle === "none" ? 0 : Number.parseFloat(style.outlineWidth),
    };
  });

describe("a commenter in Chromium", () => {
  it("posts a comment through the form and lands at it, in view", async () => {
    const { page } = await chromium.open(SEED_PATH);
    const body = uniqueText("Music crosses every border.");
    const id = await postComment(page, "Mina", body);

    expect(new URL(page.url()).pathname).toBe(SEED_PATH);
    const comment = page.locator(`#comment-${id}`);
    await expect(comment.isVisible()).resolves.toBe(true);
    await expect(comment.locator(".comment-author").first().textContent()).resolves.toBe("Mina");
    await expect(comment.locator(".comment-body").first().textContent()).resolves.toBe(body);
    await expect(comment.locator("time").first().getAttribute("datetime")).resolves.toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await inView(page, `#comment-${id}`)).toBe(true);
    // Published at once (no link): the count in the heading includes it, and no "awaiting" note.
    await expect(page.locator("#comments-title").textContent()).resolves.toMatch(/^Comments \(\d+\)$/);
    await expect(comment.locator(".comment-held-note").count()).resolves.toBe(0);
    await page.context().close();
  });

  it("replies through a comment's reply link and sees the reply nested under it", async () => {
    const { page } = await chromium.open(SEED_PATH);
    const parent = await postComment(page, "Jun", uniqueText("Who remembers the 2018 concert?"));

    await page.locator(`#comment-${parent}`).getByRole("link", { name: "Reply to Jun" }).click();
    await page.waitForURL(chromium.url(`${SEED_PATH}?reply=${parent}#comment-form`));
    await expect(page.locator("#comment-form h3").textContent()).resolves.toBe("Reply to Jun");
    expect(await inView(page, "#comment-form")).toBe(true);
    await expect(page.locator('#comment-form input[name="parent"]').inputValue()).resolves.toBe(String(parent));

    const body = uniqueText("I do: Red Velvet in Pyongyang.");
    const reply = await postComment(page, "Sora", body);
    expect(reply).toBeGreaterThan(parent);
    const nested = page.locator(`#comment-${parent} > ol.comment-replies > #comment-${reply}`);
    await expect(nested.isVisible()).resolves.toBe(true);
    await expect(nested.locator(".comment-body").textContent()).resolves.toBe(body);
    expect(await inView(page, `#comment-${reply}`)).toBe(true);
    // Back to a plain form after the reply: the next comment starts a new thread.
    await expect(page.locator("#comment-form h3").textContent()).resolves.toBe("Leave a comment");
    await page.context().close();
  });

  it("stops an empty comment in the browser: nothing is sent, the name stays", async () => {
    const { page } = await chromium.open(SEED_PATH);
    let posts = 0;
    page.on("request", (request) => {
      if (request.method() === "POST") posts++;
    });
    await nameField(page).fill("Mina");
    await postButton(page).click();
    await expect(bodyField(page).evaluate((el: HTMLTextAreaElement) => el.validity.valueMissing)).resolves.toBe(true);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("comment-body");
    expect(posts).toBe(0);
    await expect(nameField(page).inputValue()).resolves.toBe("Mina");
    await page.context().close();
  });

  it("shows the server's message next to the field, in view, with everything typed kept", async () => {
    const { page } = await chromium.open(SEED_PATH);
    // Only spaces: the browser's `required` lets it through; the server finds the comment empty.
    await nameField(page).fill("Mina");
    await bodyField(page).fill("   \n  ");
    const empty = await submitting(page, () => postButton(page).click());
    expect(empty.status()).toBe(422);
    const error = page.locator("#comment-body-error");
    await expect(error.textContent()).resolves.toBe("Please write your comment.");
    // Next to the field: right after it in the same field group, and named by it for screen readers.
    await expect(
      bodyField(page).evaluate((el) => el.parentElement?.contains(document.getElementById("comment-body-error"))),
    ).resolves.toBe(true);
    await expect(bodyField(page).getAttribute("aria-describedby")).resolves.toContain("comment-body-error");
    await expect(bodyField(page).getAttribute("aria-invalid")).resolves.toBe("true");
    expect(await inView(page, "#comment-body-error")).toBe(true);
    // Focus is in the field in error (autofocus: no script on the page), its hint still read with it.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("comment-body");
    await expect(bodyField(page).getAttribute("aria-describedby")).resolves.toBe(
      "comment-body-error comment-body-hint",
    );
    await expect(nameField(page).inputValue()).resolves.toBe("Mina");
    await expect(page.locator("#comment-name-error").count()).resolves.toBe(0);

    // Too long: 5,001 characters come back, all of them, with the count in the message.
    const long = `${"ㅋ".repeat(4_992)} the end.`;
    expect(long).toHaveLength(5_001);
    await bodyField(page).fill(long);
    const tooLong = await submitting(page, () => postButton(page).click());
    expect(tooLong.status()).toBe(422);
    await expect(error.textContent()).resolves.toContain("5,001 characters long; the limit is 5,000");
    await expect(bodyField(page).inputValue()).resolves.toBe(long);
    await expect(nameField(page).inputValue()).resolves.toBe("Mina");
    expect(await inView(page, "#comment-body-error")).toBe(true);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("comment-body");

    // Fixed and sent again from the same page: stored, and the form's one-time token still works.
    const fixed = uniqueText("Short and sweet.");
    await bodyField(page).fill(fixed);
    const ok = await submitting(page, () => postButton(page).click());
    expect(ok.status()).toBe(303);
    await page.waitForURL(/#comment-\d+$/);
    await expect(
      page
        .locator(page.url().replace(/^[^#]*/, ""))
        .locator(".comment-body")
        .textContent(),
    ).resolves.toBe(fixed);
    await page.context().close();
  });

  it("works from the keyboard alone: Tab to the fields, Enter in the name, or the button", async () => {
    const { page } = await chromium.open(SEED_PATH);
    // Tab from the top of the page until the name field has focus (past links and comments).
    let reached = false;
    for (let presses = 0; presses < 300 && !reached; presses++) {
      await page.keyboard.press("Tab");
      reached = (await focused(page)).id === "comment-name";
    }
    expect(reached).toBe(true);
    expect((await focused(page)).outline).toBeGreaterThanOrEqual(2);
    await page.keyboard.type("Hana");
    await page.keyboard.press("Tab");
    expect((await focused(page)).id).toBe("comment-body");
    const first = uniqueText("Typed without a mouse.");
    await page.keyboard.type(first);
    // Back to the name and Enter: the form is sent.
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).id).toBe("comment-name");
    const byEnter = await submitting(page, () => page.keyboard.press("Enter"));
    expect(byEnter.status()).toBe(303);
    await page.waitForURL(/#comment-\d+$/);
    await expect(page.getByText(first).isVisible()).resolves.toBe(true);

    // The button: from the comment box, the next Tab skips the hidden honeypot and lands on it.
    await bodyField(page).focus();
    await page.keyboard.type(uniqueText("Sent with the button."));
    await nameField(page).focus();
    await page.keyboard.type("Hana");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const button = await focused(page);
    expect(button.text).toBe("Post comment");
    expect(button.outline).toBeGreaterThanOrEqual(2);
    const bySpace = await submitting(page, () => page.keyboard.press("Space"));
    expect(bySpace.status()).toBe(303);
    await page.waitForURL(/#comment-\d+$/);
    await page.context().close();
  });

  it("works with JavaScript disabled: posting, replying and errors", async () => {
    const { page } = await chromium.open(SEED_PATH, { javaScriptEnabled: false });
    const body = uniqueText("No scripts needed.");
    const id = await postComment(page, "Yuna", body);
    await expect(page.locator(`#comment-${id} .comment-body`).first().textContent()).resolves.toBe(body);

    await page.locator(`#comment-${id}`).getByRole("link", { name: "Reply to Yuna" }).click();
    await page.waitForURL(/\?reply=\d+#comment-form$/);
    const reply = await postComment(page, "Yuna", uniqueText("Replying to myself."));
    await expect(page.locator(`#comment-${id} > ol.comment-replies > #comment-${reply}`).count()).resolves.toBe(1);

    await nameField(page).fill("Yuna");
    await bodyField(page).fill("  ");
    const refused = await submitting(page, () => postButton(page).click());
    expect(refused.status()).toBe(422);
    await expect(page.locator("#comment-body-error").isVisible()).resolves.toBe(true);
    await expect(nameField(page).inputValue()).resolves.toBe("Yuna");
    await expect(page.locator("#comment-body:focus").count()).resolves.toBe(1);
    await page.context().close();
  });

  it("is usable on a phone: fields fit the screen, tapping posts, nothing scrolls sideways", async () => {
    const { page } = await chromium.open(SEED_PATH, PHONE);
    const fits = () =>
      page
        .locator(
          "#comment-form input:not([type=hidden]):not(#comment-website), #comment-form textarea, #comment-form button",
        )
        .evaluateAll((els) =>
          els.map((el) => {
            const r = el.getBoundingClientRect();
            return {
              id: el.id || el.textContent,
              inside: r.left >= 0 && r.right <= window.innerWidth,
              height: r.height,
            };
          }),
        );
    for (const field of await fits()) {
      expect(field.inside, String(field.id)).toBe(true);
      // Big enough to hit with a thumb (WCAG 2.5.8 asks for at least 24 px).
      expect(field.height, String(field.id)).toBeGreaterThanOrEqual(24);
    }
    // Text inputs at 16 px or more, so phones do not zoom in on focus.
    await expect(
      nameField(page).evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
    ).resolves.toBeGreaterThanOrEqual(16);

    // A long unbroken name and word must wrap, not widen the page.
    await nameField(page).tap();
    await nameField(page).fill("K".repeat(80));
    await bodyField(page).fill(`${"ㅋ".repeat(120)} ${"a".repeat(200)}`);
    await submitting(page, () => postButton(page).tap());
    await page.waitForURL(/#comment-\d+$/);
    expect(await sidewaysScroll(page)).toBe(0);

    // An error message on a phone: still no sideways scroll, the field still fits.
    await nameField(page).fill("Mina");
    await bodyField(page).fill(" ");
    const refused = await submitting(page, () => postButton(page).tap());
    expect(refused.status()).toBe(422);
    expect(await sidewaysScroll(page)).toBe(0);
    for (const field of await fits()) expect(field.inside, String(field.id)).toBe(true);
    await page.context().close();
  });
});
