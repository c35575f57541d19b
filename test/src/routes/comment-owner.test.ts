import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, adminForm, signIn } from "../admin-session.ts";
import {
  type CommentJson,
  cookiesOf,
  created,
  elementsOf,
  fetchApp,
  freshIp,
  marker,
  postJson,
  SLUG,
} from "../helpers.ts";

const owner = async (res: Response) => (await created(res)) as CommentJson & { owner: boolean };

describe("the Author badge", () => {
  it("marks what the owner posts while signed in to /admin (published at once); nobody else can get it", async () => {
    const { cookie, csrf } = await signIn();
    expect(cookie).toMatch(/admin_author=/);
    const mine = await owner(
      await postJson(SLUG, { name: "OUR K-POP", body: marker("owner says https://x.example") }, { cookie }),
    );
    expect(mine.owner).toBe(true);
    expect(mine.status).toBe("published");
    const html = await (await fetchApp(`/posts/${SLUG}`)).text();
    expect(await elementsOf(html, `li#comment-${mine.id} .badge`)).toHaveLength(1);

    const pretender = await owner(
      await postJson(SLUG, { name: "OUR K-POP (Author)", body: marker("fake"), owner: true, by_owner: 1 }),
    );
    expect(pretender.owner).toBe(false);
    const forged = cookie.replace(/admin_author=[^;]+/, "admin_author=abc.def");
    expect(
      (await owner(await postJson(SLUG, { name: "Forger", body: marker("forged") }, { cookie: forged }))).owner,
    ).toBe(false);
    const page = await (await fetchApp(`/posts/${SLUG}`)).text();
    expect(await elementsOf(page, `li#comment-${pretender.id} .badge`)).toHaveLength(0);

    expect((await adminForm("/admin/logout", { csrf }, cookie)).status).toBe(303);
    const after = await owner(await postJson(SLUG, { name: "Old cookie", body: marker("signed out") }, { cookie }));
    expect(after.owner).toBe(false);
  });

  it("the admin sees an edited comment's earlier versions", async () => {
    const res = await postJson(SLUG, { name: "Versioned", body: "first words here" });
    const comment = await created(res);
    const edit = await fetchApp(`/posts/${SLUG}/comments/${comment.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", cookie: cookiesOf(res), "cf-connecting-ip": freshIp() },
      body: JSON.stringify({ body: "second words here" }),
    });
    expect(edit.status).toBe(200);
    const { cookie } = await signIn();
    const api = await fetchApp("/admin/api/comments?status=published&limit=100", {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const listed = (await api.json<{ comments: { id: number; versions: { body: string }[] }[] }>()).comments;
    expect(listed.find((c) => c.id === comment.id)?.versions.map((v) => v.body)).toEqual(["first words here"]);
    const page = await (await fetchApp("/admin?status=published", { headers: { cookie } })).text();
    expect(page).toContain("first words here");
    expect(page).toMatch(/1 earlier version/);
  });
});
