import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import worker, { pages } from "../../../src/index.ts";
import { cookiesOf, elementsOf, marker, postJson, SLUG } from "../helpers.ts";

/**
 * The commenter's name is back in the form on the renders that are theirs anyway (right after
 * posting, a reply form, a page showing their held comment), from the cookie they already have;
 * a stranger never gets it, from a render or from either cache.
 */

const ORIGIN = "http://localhost";
const PAGE = `/posts/${SLUG}`;

async function request(path: string, cookie?: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, cookie ? { headers: { cookie } } : {}), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The value of the form's name field. */
async function nameIn(res: Response): Promise<string> {
  const [field] = await elementsOf(await res.text(), "#comment-name");
  expect(field, "the page has the comment form").toBeDefined();
  return Object.fromEntries(field?.attributes ?? []).value ?? "";
}

const only = (cookie: string, ...names: string[]) =>
  cookie
    .split("; ")
    .filter((pair) => names.includes(pair.split("=")[0] ?? ""))
    .join("; ");

async function forgetEverything(): Promise<void> {
  forgetPages();
  await caches.default.delete(pages.keyOf(`${ORIGIN}${PAGE}`));
}

/** A published comment (no link: not held) by `name`; its id and all the cookies it set. */
async function commentBy(name: string, cookie?: string): Promise<{ id: number; cookie: string }> {
  const res = await postJson(SLUG, { name, body: marker("Hello") }, cookie ? { cookie } : {});
  expect(res.status).toBe(201);
  const { comment } = await res.json<{ comment: { id: number } }>();
  return { id: comment.id, cookie: cookiesOf(res, cookie) };
}

beforeEach(forgetEverything);

describe("the commenter's remembered name", () => {
  it("fills the form right after posting and on their reply forms, on pages never stored", async () => {
    const name = marker("Mina");
    const { id, cookie } = await commentBy(name);

    const next = await request(PAGE, cookie); // within the bookmark's minutes: rendered for them
    expect(next.headers.get("cache-control")).toBe("private, no-store");
    expect(await nameIn(next)).toBe(name);

    const reply = await request(`${PAGE}?reply=${id}`, only(cookie, "commenter")); // days later
    expect(reply.headers.get("cache-control")).toBe("private, no-store");
    expect(await nameIn(reply)).toBe(name);

    // Their latest name is the one remembered.
    const renamed = marker("Mina P.");
    await commentBy(renamed, cookie);
    expect(await nameIn(await request(`${PAGE}?reply=${id}`, only(cookie, "commenter")))).toBe(renamed);
  });

  it("leaves a page that is shared shared: no name in it, and it is stored as before", async () => {
    const name = marker("Jin");
    const { id, cookie } = await commentBy(name);
    // Past the edit window: a comment its author may still edit shows them Edit links, a page of their own.
    await env.DB.prepare("UPDATE comments SET created_at = created_at - 3600000 WHERE id = ?1").bind(id).run();
    const shared = await request(PAGE, only(cookie, "commenter"));
    expect(await nameIn(shared)).toBe("");
    expect(shared.headers.get("cache-status")).toBe("our-kpop; fwd=miss; stored");
  });

  it("never reaches a stranger, whatever the commenter's cookies and whichever came first", async () => {
    const name = marker("Secret name");
    const { id, cookie } = await commentBy(name);
    const states = {
      all: cookie,
      "commenter alone": only(cookie, "commenter"),
      "commenter + bookmark": only(cookie, "commenter", "comments_bookmark"),
      "bookmark alone": only(cookie, "comments_bookmark"),
    };
    for (const [state, sent] of Object.entries(states)) {
      for (const path of [PAGE, `${PAGE}?reply=${id}`]) {
        await forgetEverything();
        await request(path, sent);
        // A stranger: their own render, this isolate's memory, the Cache API.
        expect(await nameIn(await request(path)), `${state} ${path}`).toBe("");
        expect(await nameIn(await request(PAGE)), `${state} ${path}`).toBe("");
        const cached = await caches.default.match(pages.keyOf(`${ORIGIN}${PAGE}`));
        if (cached) expect(await nameIn(cached), `${state} ${path}`).toBe("");
      }
    }
  });
});
