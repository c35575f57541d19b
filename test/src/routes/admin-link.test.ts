import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { moderationLink } from "../../../src/notify/links.ts";
import { ADMIN_TOKEN, adminForm, signIn } from "../admin-session.ts";
import { elementsOf, fetchApp, freshIp, heldComment, statusOf, textOf } from "../helpers.ts";

const SITE = "http://localhost:8787";

/** The link a notification carries for a held comment, made as the consumer makes it. */
async function linkFor(id: number, action: "approve" | "reject", key = ADMIN_TOKEN, createdAt?: number) {
  const row = await env.DB.prepare("SELECT created_at, updated_at FROM comments WHERE id = ?1")
    .bind(id)
    .first<{ created_at: number; updated_at: number }>();
  const comment = { id, version: row?.updated_at ?? 0, createdAt: createdAt ?? row?.created_at ?? 0 };
  return (await moderationLink(SITE, key, comment, action)).slice(SITE.length);
}

/** Opens the link (GET), then presses the confirmation page's button (its form's POST). */
async function open(path: string) {
  return fetchApp(path, { headers: { "cf-connecting-ip": freshIp() } });
}
async function press(path: string) {
  const fields = new URLSearchParams(new URL(path, "http://localhost").search);
  return adminForm("/admin/link", Object.fromEntries(fields));
}

describe("moderation links", () => {
  it("opening a link changes nothing; its button approves the comment, once", async () => {
    const id = await heldComment();
    const link = await linkFor(id, "approve");
    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(await textOf(html, "h1")).toEqual(["Approve this comment?"]);
    const form = (await elementsOf(html, "form[action='/admin/link']"))[0];
    expect(form?.attributes).toContainEqual(["method", "post"]);
    const hidden = (await elementsOf(html, "form[action='/admin/link'] input[type=hidden]")).map((e) =>
      Object.fromEntries(e.attributes),
    );
    expect(hidden.map((h) => h.name)).toEqual(["id", "action", "v", "exp", "sig"]);
    expect(await statusOf(id)).toBe("pending");

    const done = await press(link);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`Comment #${id} approved`);
    expect(await statusOf(id)).toBe("published");

    // Reused: both the button and the link are spent.
    expect((await press(link)).status).toBe(409);
    expect((await open(link)).status).toBe(409);
  });

  it("a reject link hides the comment, and spends the approve link made with it", async () => {
    const id = await heldComment();
    const approve = await linkFor(id, "approve");
    const reject = await linkFor(id, "reject");
    expect((await press(reject)).status).toBe(200);
    expect(await statusOf(id)).toBe("deleted");
    expect((await press(approve)).status).toBe(409);
    expect(await statusOf(id)).toBe("deleted");
  });

  it("refuses an expired link", async () => {
    const id = await heldComment();
    const link = await linkFor(id, "approve", ADMIN_TOKEN, Date.now() - 8 * 86_400_000);
    expect((await open(link)).status).toBe(410);
    expect((await press(link)).status).toBe(410);
    expect(await statusOf(id)).toBe("pending");
  });

  it("refuses a forged link: another action, another comment, another key, a changed expiry", async () => {
    const id = await heldComment();
    const other = await heldComment();
    const link = await linkFor(id, "approve");
    const forged = [
      link.replace("action=approve", "action=reject"),
      link.replace(`id=${id}&`, `id=${other}&`),
      await linkFor(id, "approve", "not-the-admin-token"),
      link.replace(/exp=(\d+)/, (_, exp) => `exp=${Number(exp) + 86_400_000}`),
    ];
    for (const path of forged) {
      expect((await open(path)).status).toBe(403);
      expect((await press(path)).status).toBe(403);
    }
    expect([await statusOf(id), await statusOf(other)]).toEqual(["pending", "pending"]);
    expect((await open("/admin/link?id=1")).status).toBe(400);
  });

  it("the admin page's title counts the pending comments", async () => {
    await heldComment();
    const { cookie } = await signIn();
    const page = await fetchApp("/admin", { headers: { cookie } });
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE status = 'pending'").first<{
      n: number;
    }>()) ?? { n: 0 };
    expect(n).toBeGreaterThan(0);
    expect((await textOf(await page.text(), "title"))[0]).toMatch(new RegExp(`^Moderation \\(${n} pending\\)`));
  });
});
