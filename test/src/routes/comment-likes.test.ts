import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import {
  cookiesOf,
  created,
  elementsOf,
  fetchApp,
  freshIp,
  heldComment,
  marker,
  postJson,
  SLUG,
  textOf,
} from "../helpers.ts";

const PAGE = `/posts/${SLUG}`;
const same = { origin: "http://localhost", "sec-fetch-site": "same-origin" };

const like = (id: number, ip: string, cookie = "", json = false) =>
  fetchApp(`${PAGE}/comments/${id}/like`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": ip,
      ...same,
      ...(cookie && { cookie }),
      ...(json && { accept: "application/json" }),
    },
    body: "",
  });
const likesOf = async (id: number) =>
  (await env.DB.prepare("SELECT likes FROM comments WHERE id = ?1").bind(id).first<{ likes: number }>())?.likes;

beforeEach(() => forgetPages());

describe("likes (♥)", () => {
  it("count once per reader: the commenter cookie, else the IP hash; a plain form POST answered 303", async () => {
    const comment = await created(await postJson(SLUG, { name: "Likeable", body: marker("like me") }));
    const ip = freshIp();
    const first = await like(comment.id, ip);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`${PAGE}#comment-${comment.id}`);
    expect((await like(comment.id, ip)).status).toBe(303);
    expect(await likesOf(comment.id)).toBe(1);
    await like(comment.id, freshIp());
    expect(await likesOf(comment.id)).toBe(2);
    // A commenter is one reader whatever their address, and another reader than their address.
    const cookie = cookiesOf(await postJson(SLUG, { name: "Reader", body: marker("reader") }));
    const answer = await like(comment.id, ip, cookie, true);
    expect(await answer.json()).toEqual({ id: comment.id, likes: 3, liked: true });
    expect(await (await like(comment.id, freshIp(), cookie, true)).json()).toEqual({
      id: comment.id,
      likes: 3,
      liked: false,
    });
    const rows = await env.DB.prepare("SELECT reader FROM comment_likes WHERE comment_id = ?1")
      .bind(comment.id)
      .all<{ reader: string }>();
    expect(rows.results).toHaveLength(3);
    for (const { reader } of rows.results) expect(reader).toMatch(/^(ip|a):[0-9a-f]{64}$/);
  });

  it("the page shows the new count at once to everyone, and no reader's own like state", async () => {
    const comment = await created(await postJson(SLUG, { name: "Counted", body: marker("count me") }));
    await fetchApp(PAGE);
    expect((await fetchApp(PAGE)).headers.get("cache-status")).toMatch(/hit/);
    const liker = await like(comment.id, freshIp());
    const stranger = await fetchApp(PAGE);
    expect(stranger.headers.get("cache-status")).toMatch(/miss/);
    const html = await stranger.text();
    expect(await textOf(html, `li#comment-${comment.id} .comment-like .like-count`)).toEqual(["1"]);
    expect(html).not.toMatch(/aria-pressed|you liked/i);
    expect(cookiesOf(liker)).not.toMatch(/commenter=/);
  });

  it("a like drops only its post's page, not the home page or the feeds", async () => {
    const comment = await created(await postJson(SLUG, { name: "Only", body: marker("only page") }));
    for (const path of ["/", `${PAGE}/comments.xml`, "/comments.xml", PAGE]) await fetchApp(path);
    await like(comment.id, freshIp());
    for (const path of ["/", `${PAGE}/comments.xml`, "/comments.xml"])
      expect((await fetchApp(path)).headers.get("cache-status"), path).toMatch(/hit/);
    expect((await fetchApp(PAGE)).headers.get("cache-status")).toMatch(/miss/);
  });

  it("a held or unknown comment cannot be liked (404); likes are rate limited per address (429)", async () => {
    expect((await like(await heldComment(), freshIp())).status).toBe(404);
    expect((await like(999_999_999, freshIp())).status).toBe(404);
    const ip = freshIp();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await created(await postJson(SLUG, { name: "Many", body: marker("many") }))).id);
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) answers.push((await like(ids[i % 4] ?? 0, ip)).status);
    expect(answers.slice(0, 30).every((s) => s === 303)).toBe(true);
    expect(answers[30]).toBe(429);
  });

  it("?order=best puts the most liked threads first (then newest), replies under them; it is its own cache entry", async () => {
    const post = async (body: string, parent?: number) =>
      (await created(await postJson(SLUG, { name: "Ranked", body: marker(body), ...(parent && { parent }) }))).id;
    const a = await post("best a");
    const b = await post("best b");
    const reply = await post("reply to b", b);
    const c = await post("best c");
    for (let i = 0; i < 12; i++) await like(b, freshIp());
    for (let i = 0; i < 11; i++) await like(a, freshIp());
    const best = `${PAGE}?order=best`;
    const html = await (await fetchApp(best)).text();
    const order = (await elementsOf(html, "li.comment")).map((el) =>
      Number(Object.fromEntries(el.attributes).id?.slice(8)),
    );
    const at = (id: number) => order.indexOf(id);
    expect(at(b)).toBeGreaterThanOrEqual(0);
    expect(at(b)).toBeLessThan(at(reply));
    expect(at(reply)).toBeLessThan(at(a));
    expect(at(a)).toBeLessThan(at(c));
    expect(html).toContain('<strong aria-current="true">most liked</strong>');
    expect((await fetchApp(best)).headers.get("cache-status")).toMatch(/hit/);
    const newest = await (await fetchApp(PAGE)).text();
    const plain = (await elementsOf(newest, "li.comment")).map((el) =>
      Number(Object.fromEntries(el.attributes).id?.slice(8)),
    );
    expect(plain.indexOf(c)).toBeLessThan(plain.indexOf(a));
    await like(c, freshIp());
    expect((await fetchApp(best)).headers.get("cache-status")).toMatch(/miss/);
  });
});
