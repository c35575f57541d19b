import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import worker, { pages } from "../../../src/index.ts";
import { cookiesOf, fetchApp, marker, postJson, SLUG } from "../helpers.ts";

/**
 * A held comment never reaches a cache shared with other readers, whatever cookies its author
 * sends: every viewer state renders the article, then a reader with no cookie reads what was
 * stored (this isolate's memory and the Cache API), and neither may hold an unpublished comment.
 */

const ORIGIN = "http://localhost";
const PAGE = `/posts/${SLUG}`;

async function request(path: string, cookie?: string): Promise<Response> {
  const ctx = createExecutionContext();
  const init = cookie ? { headers: { cookie } } : {};
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The ids and classes of the comments in a page, read with workerd's HTML parser. */
async function commentsIn(html: string): Promise<{ id: string; held: boolean }[]> {
  const found: { id: string; held: boolean }[] = [];
  await new HTMLRewriter()
    .on("li[id^='comment-']", {
      element(el) {
        found.push({ id: el.getAttribute("id") ?? "", held: (el.getAttribute("class") ?? "").includes("held") });
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}

/** What a reader with no cookie can get from the caches after `states` rendered: memory, then the Cache API. */
async function storedPages(): Promise<string[]> {
  const found: string[] = [];
  const fromMemory = await request(PAGE);
  found.push(await fromMemory.text());
  const cached = await caches.default.match(pages.keyOf(`${ORIGIN}${PAGE}`));
  if (cached) found.push(await cached.text());
  return found;
}

async function expectOnlyPublished(stored: string[], held: string[]): Promise<void> {
  for (const html of stored) {
    for (const text of held) expect(html).not.toContain(text);
    expect(html).not.toContain("Awaiting moderation");
    expect((await commentsIn(html)).filter((c) => c.held)).toEqual([]);
  }
}

const only = (cookie: string, ...names: string[]) =>
  cookie
    .split("; ")
    .filter((pair) => names.includes(pair.split("=")[0] ?? ""))
    .join("; ");

/** The commenter cookie with its signature changed: not theirs any more. */
const forged = (cookie: string) => only(cookie, "commenter").replace(/.$/, (last) => (last === "A" ? "B" : "A"));

async function forgetEverything(): Promise<void> {
  forgetPages();
  await caches.default.delete(pages.keyOf(`${ORIGIN}${PAGE}`));
}

beforeEach(forgetEverything);

describe("viewer-specific content and the shared cache", () => {
  it("the issue's sequence: held, then published with the same cookies, then a load with only the commenter cookie", async () => {
    const secret = marker("spam link held");
    const held = await postJson(SLUG, { name: "Spammer", body: `${secret} https://spam.example/` });
    expect(held.status).toBe(201);
    const cookie = cookiesOf(held);
    const plain = await postJson(SLUG, { name: "Spammer", body: marker("plain") }, { cookie });
    expect(plain.status).toBe(201);

    const own = await request(PAGE, only(cookie, "commenter"));
    expect(await own.text()).toContain(secret);
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    expect(own.headers.get("cache-status")).toBe("our-kpop; fwd=request; detail=personal");

    await expectOnlyPublished(await storedPages(), [secret]);
  });

  it("every viewer state, alone and together, expired or forged: nothing stored holds a held comment", async () => {
    const secret = marker("held for review");
    const posted = await postJson(SLUG, { name: "Holder", body: `${secret} https://example.com/x` });
    const cookie = cookiesOf(posted);
    expect(cookie).toMatch(/commenter=.*comments_bookmark=.*comments_held=/);
    const states: Record<string, string> = {
      none: "",
      "commenter alone (held and bookmark cookies expired)": only(cookie, "commenter"),
      "bookmark alone": only(cookie, "comments_bookmark"),
      "held alone": only(cookie, "comments_held"),
      "commenter + bookmark": only(cookie, "commenter", "comments_bookmark"),
      "commenter + held": only(cookie, "commenter", "comments_held"),
      all: cookie,
      "forged commenter": forged(cookie),
      "forged commenter + held": `${forged(cookie)}; ${only(cookie, "comments_held")}`,
    };
    for (const [state, sent] of Object.entries(states)) {
      await forgetEverything();
      const res = await request(PAGE, sent || undefined);
      const html = await res.text();
      if (html.includes(secret)) expect(res.headers.get("cache-control"), state).toBe("private, no-store");
      await expectOnlyPublished(await storedPages(), [secret]);
      // And the other order: a shared copy first, then this viewer, then a stranger.
      await forgetEverything();
      await request(PAGE);
      await request(PAGE, sent || undefined);
      await expectOnlyPublished(await storedPages(), [secret]);
    }
  });

  it("a published comment the admin sets back to pending is shown to its author only, never stored", async () => {
    const text = marker("was published");
    const posted = await postJson(SLUG, { name: "Author", body: text });
    const { comment } = await posted.json<{ comment: { id: number } }>();
    const commenter = only(cookiesOf(posted), "commenter");
    const moderated = await fetchApp("/admin/api/comments/moderate", {
      method: "POST",
      headers: { authorization: "Bearer test-admin-token", "content-type": "application/json" },
      body: JSON.stringify({ ids: [comment.id], status: "pending" }),
    });
    expect(moderated.status).toBe(200);
    await forgetEverything();

    const own = await request(PAGE, commenter);
    expect(await own.text()).toContain(text);
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    await expectOnlyPublished(await storedPages(), [text]);
  });

  it("a reply form aimed at the viewer's own held comment is personal too", async () => {
    const secret = marker("held parent");
    const posted = await postJson(SLUG, { name: "Parent", body: `${secret} https://example.com/p` });
    const { comment } = await posted.json<{ comment: { id: number } }>();
    const res = await request(`${PAGE}?reply=${comment.id}`, only(cookiesOf(posted), "commenter"));
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    await expectOnlyPublished(await storedPages(), [secret]);
  });
});
