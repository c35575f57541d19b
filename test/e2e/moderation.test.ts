import { describe, expect, it } from "vitest";
import { PHONE, SEED_PATH, sidewaysScroll, useChromium } from "./browser.ts";
import { postComment, signIn, uniqueText } from "./comment-form.ts";

const chromium = useChromium();

describe("the site owner moderates in Chromium", () => {
  it("holds a comment with a link, shows it only to its author, and publishes it once approved", async () => {
    // A commenter posts a link: held (the default "hold-links" mode), visible to them alone.
    const { page: author } = await chromium.open(SEED_PATH);
    const body = uniqueText("Fan translations at https://example.com/lyrics");
    const id = await postComment(author, "Minho", body);
    const own = author.locator(`#comment-${id}`);
    await expect(own.isVisible()).resolves.toBe(true);
    await expect(own.locator(".comment-held-note").textContent()).resolves.toContain("Awaiting moderation");

    const { page: reader } = await chromium.open(SEED_PATH);
    await expect(reader.locator(`#comment-${id}`).count()).resolves.toBe(0);
    await reader.context().close();

    // The owner signs in through the form, finds it among the pending comments and approves it.
    const { page: owner, response } = await chromium.open("/admin");
    expect(response.status()).toBe(200);
    await signIn(owner);
    expect(new URL(owner.url()).pathname).toBe("/admin");
    const row = owner.locator(`li#comment-${id}`);
    await expect(row.locator(".comment-body").textContent()).resolves.toBe(body);
    await expect(row.locator(".comment-body a").getAttribute("rel")).resolves.toBe("nofollow ugc noopener noreferrer");
    await row.getByRole("checkbox").check();
    await owner.getByRole("button", { name: "Approve" }).click();
    await owner.getByRole("status").waitFor();
    await expect(owner.getByRole("status").textContent()).resolves.toBe("1 comment(s) changed.");
    await expect(owner.locator(`li#comment-${id}`).count()).resolves.toBe(0);

    // A new reader (no cookies, so the shared cached page) sees it at once, and the author's note is gone.
    const { page: next } = await chromium.open(`${SEED_PATH}#comment-${id}`);
    await expect(next.locator(`#comment-${id} .comment-body`).first().textContent()).resolves.toBe(body);
    await expect(next.locator(`#comment-${id} .comment-held-note`).count()).resolves.toBe(0);
    await author.reload();
    await expect(author.locator(`#comment-${id} .comment-held-note`).count()).resolves.toBe(0);

    // Signing out ends the session: /admin asks for the token again.
    await owner.getByRole("button", { name: "Sign out", exact: true }).click();
    await owner.getByLabel("Admin token").waitFor();
    for (const page of [author, owner, next]) await page.context().close();
  });

  it("signs out everywhere: a session in another browser ends too", async () => {
    const { page: laptop } = await chromium.open("/admin");
    await signIn(laptop);
    const { page: phone } = await chromium.open("/admin", PHONE);
    await signIn(phone);
    await phone.getByRole("button", { name: "Sign out everywhere" }).click();
    await phone.getByLabel("Admin token").waitFor();
    await laptop.reload();
    await laptop.getByLabel("Admin token").waitFor();
    // A fresh sign-in still works.
    await signIn(laptop);
    for (const page of [laptop, phone]) await page.context().close();
  });

  it("refuses a wrong token with a message next to the field", async () => {
    const { page } = await chromium.open("/admin");
    await page.getByLabel("Admin token").fill("not-the-token");
    const [answer] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === "POST"),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    expect(answer.status()).toBe(401);
    await expect(page.getByRole("alert").textContent()).resolves.toBe("That token is not right.");
    await expect(page.getByLabel("Admin token").getAttribute("aria-describedby")).resolves.toBe("login-error");
    await page.context().close();
  });

  it("fits a phone: no sideways scroll, buttons and checkboxes big enough to tap", async () => {
    const { page: author } = await chromium.open(SEED_PATH);
    await postComment(author, "Minho", uniqueText("Held on a phone: https://example.com/phone"));
    await author.context().close();
    const { page } = await chromium.open("/admin", PHONE);
    expect(await sidewaysScroll(page)).toBe(0);
    await signIn(page);
    expect(await sidewaysScroll(page)).toBe(0);
    await expect(
      page.getByRole("navigation", { name: "Filter" }).locator('[aria-current="page"]').textContent(),
    ).resolves.toBe("Pending");
    const sizes = await page
      .locator("main button, main input[type=checkbox]")
      .evaluateAll((els) =>
        els.map((el) => Math.min(el.getBoundingClientRect().width, el.getBoundingClientRect().height)),
      );
    expect(sizes.length).toBeGreaterThan(3);
    // WCAG 2.5.8: targets at least 24 by 24 CSS pixels.
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(24);
    await page.context().close();
  });
});
