import { describe, expect, it } from "vitest";
import { en } from "../../../src/i18n/en.ts";
import { strings } from "../../../src/i18n/index.ts";
import { ko } from "../../../src/i18n/ko.ts";
import { cookiesOf, elementsOf, fetchApp, marker, postForm, postJson, SLUG } from "../helpers.ts";
import { chromeText, fragments } from "./chrome.ts";

const KO_SLUG = "케이팝이란";
const KOREAN = `/posts/${encodeURIComponent(KO_SLUG)}`;
/** What readers wrote (shown on admin and comment pages): not the interface. */
const READERS = [".comment-body", ".comment-author", "q", ".meta a"];
const json = { accept: "application/json" };
const same = { origin: "http://localhost", "sec-fetch-site": "same-origin" };

/** The page's language, and the English catalog's phrases its chrome holds (none, for a Korean page). */
async function koreanPage(res: Response) {
  const html = await res.clone().text();
  // A parameter named in a message ("?comments=") is not English prose.
  const text = (await chromeText(res, READERS)).replaceAll("?comments=", "");
  return {
    lang: /^<!DOCTYPE html><html lang="([^"]+)">/.exec(html)?.[1],
    html,
    leaks: fragments(en, 3).filter((p) => text.includes(p)),
  };
}

async function expectKorean(res: Response, label: string, says?: string) {
  const page = await koreanPage(res);
  expect(page.lang, label).toBe("ko");
  expect(page.leaks, label).toEqual([]);
  if (says) expect(page.html, label).toContain(says);
  return page.html;
}

const metaOf = async (html: string, property: string) =>
  (await elementsOf(html, `meta[property="${property}"]`)).map((m) => Object.fromEntries(m.attributes).content);

describe("a Korean post on an English site: its pages and answers in Korean", () => {
  it("the article: og:locale, inLanguage, Content-Language, and lang on links to English posts", async () => {
    const res = await fetchApp(KOREAN);
    expect(res.headers.get("content-language")).toBe("ko");
    const html = await expectKorean(res, "article");
    expect(await metaOf(html, "og:locale")).toEqual(["ko_KR"]);
    const [ld] = await elementsOf(html, 'script[type="application/ld+json"]');
    expect(html).toContain('"inLanguage":"ko"');
    expect(ld).toBeDefined();
    const links = await elementsOf(html, '.reading-on a[href^="/posts/"]');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const { href, lang } = Object.fromEntries(link.attributes);
      // The sample's other Korean post (the seed's translation) is in the page's language too.
      const korean = [KO_SLUG, "북한의-케이팝"].some((slug) => href?.includes(encodeURIComponent(slug)));
      expect(lang, href).toBe(korean ? undefined : "en");
    }
  });

  it("the form refused, a bad comments page, a missing thread's feed: Korean pages", async () => {
    const refused = await postForm(KO_SLUG, { name: "", body: "" });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-language")).toBe("ko");
    await expectKorean(refused, "422 form", ko.says.nameMissing);
    const page = await fetchApp(`${KOREAN}?comments=not-a-cursor`);
    expect(page.status).toBe(400);
    await expectKorean(page, "400 comments page", ko.says.noCommentPage);
    const thread = await fetchApp(`${KOREAN}/comments.xml?thread=999999999`);
    expect(thread.status).toBe(404);
    await expectKorean(thread, "404 thread", ko.says.noThread);
    const like = await fetchApp(`${KOREAN}/comments/999999999/like`, { method: "POST", headers: same });
    expect(like.status).toBe(404);
    await expectKorean(like, "404 like", ko.says.noComment);
  });

  it("the writer's delete page, and their comment's JSON answers", async () => {
    const posted = await postForm(KO_SLUG, { name: marker("독자"), body: "지울 댓글입니다." });
    const cookie = cookiesOf(posted);
    const id = /comment-(\d+)/.exec(posted.headers.get("location") ?? "")?.[1];
    const page = await fetchApp(`${KOREAN}/comments/${id}/delete`, { headers: { cookie } });
    expect(page.status).toBe(200);
    await expectKorean(page, "delete page", ko.deleteTitle);
    const other = await fetchApp(`${KOREAN}/comments/${id}/delete`);
    expect(other.status).toBe(403);
    await expectKorean(other, "403 delete page", ko.says.notYoursDelete);
  });

  it("says every JSON message in Korean: validation, limits, media type, CSRF, missing comments", async () => {
    const message = async (res: Response) =>
      ((await res.json()) as { error: { message: string; fields?: object } }).error;
    const empty = await postJson(KO_SLUG, { name: "", body: "" });
    expect(empty.status).toBe(422);
    expect(await message(empty)).toEqual({
      status: 422,
      message: ko.says.nameMissing,
      fields: { name: ko.says.nameMissing, body: ko.says.bodyMissing },
    });
    const limit = await fetchApp(`${KOREAN}/comments?limit=0`, { headers: json });
    expect((await message(limit)).message).toBe(ko.says.badLimit(100));
    const typed = await fetchApp(`${KOREAN}/comments`, {
      method: "POST",
      headers: { ...json, ...same, "content-type": "text/plain" },
      body: "hi",
    });
    expect([typed.status, (await message(typed)).message]).toEqual([415, ko.says.mediaType]);
    const foreign = await postJson(KO_SLUG, { name: "x", body: "y" }, { headers: { origin: "https://evil.example" } });
    expect([foreign.status, (await message(foreign)).message]).toEqual([403, ko.says.crossSite]);
    const patch = await fetchApp(`${KOREAN}/comments/999999999`, {
      method: "PATCH",
      headers: { ...json, "content-type": "application/json" },
      body: JSON.stringify({ body: "x" }),
    });
    expect([patch.status, (await message(patch)).message]).toEqual([404, ko.says.noCommentId(999999999)]);
    const unreadable = await postJson(KO_SLUG, "[");
    expect([unreadable.status, (await message(unreadable)).message]).toEqual([400, ko.says.unreadable]);
    // The same request about an English post is answered in English.
    const english = await postJson(SLUG, { name: "", body: "" });
    expect((await message(english)).message).toBe(en.says.nameMissing);
  });

  it("gives the post's comment feed the post's language", async () => {
    const feed = await (await fetchApp(`${KOREAN}/comments.xml`)).text();
    expect(feed).toContain('xml:lang="ko"');
    expect(feed).toMatch(/<title>“케이팝이란[^<]*”에 달린 댓글<\/title>/);
  });

  it("marks a Korean post on the English home with its own lang, and the English pages en_US", async () => {
    const home = await (await fetchApp("/")).text();
    expect(await metaOf(home, "og:locale")).toEqual(["en_US"]);
    const titles = await elementsOf(home, ".post-list h2");
    const langs = titles.map((h) => Object.fromEntries(h.attributes).lang);
    expect(langs).toContain("ko");
    expect(langs).not.toContain("en");
    const seed = await (await fetchApp(`/posts/${SLUG}`)).text();
    expect(await metaOf(seed, "og:locale")).toEqual(["en_US"]);
    expect(seed).toContain('"inLanguage":"en"');
  });
});

describe("a site with SITE_LANG = ko: every page type in Korean", () => {
  const KO = { SITE_LANG: "ko" };
  const t = strings("ko");
  // Another host: the English site's pages cached by the tests above are not this site's.
  const HOST = "http://ko.localhost";
  const same = { origin: HOST, "sec-fetch-site": "same-origin" };

  it("home, archive, tag, search (results, none, refused), 404 and 405", async () => {
    const pages: [string, RequestInit, number, string?][] = [
      ["/", {}, 200],
      ["/archive", {}, 200, t.postCount(4)],
      ["/tags/k-pop", {}, 200],
      [`/search?q=${encodeURIComponent("케이팝")}`, {}, 200],
      ["/search?q=zzzzqqqxx", {}, 200],
      [`/search?q=${"가".repeat(101)}`, {}, 400, t.says.searchTooLong(100)],
      ["/no-such-page", {}, 404, t.says.notFound],
      ["/tags/no-such-tag/feed.xml", {}, 404, t.says.noTagFeed("no-such-tag")],
      ["/archive", { method: "POST", headers: same }, 405, t.says.readOnly("POST")],
    ];
    for (const [path, init, status, says] of pages) {
      const res = await fetchApp(`${HOST}${path}`, init, KO);
      expect(res.status, path).toBe(status);
      const html = await expectKorean(res, path, says);
      expect(await metaOf(html, "og:locale"), path).toEqual(["ko_KR"]);
    }
  });

  it("the admin: sign-in, moderation list, and its JSON refusals", async () => {
    await postForm(KO_SLUG, { name: marker("관리 대상"), body: "검토할 댓글" });
    await expectKorean(await fetchApp(`${HOST}/admin`, {}, KO), "admin sign-in", t.admin.signIn);
    const wrong = await fetchApp(
      `${HOST}/admin/login`,
      { method: "POST", headers: { ...same, "content-type": "application/x-www-form-urlencoded" }, body: "token=nope" },
      KO,
    );
    expect(wrong.status).toBe(401);
    await expectKorean(wrong, "admin wrong token", t.admin.wrongToken);
    const login = await fetchApp(
      `${HOST}/admin/login`,
      {
        method: "POST",
        headers: { ...same, "content-type": "application/x-www-form-urlencoded" },
        body: "token=test-admin-token",
      },
      KO,
    );
    const cookie = cookiesOf(login);
    for (const path of ["/admin", "/admin?status=all"])
      await expectKorean(await fetchApp(`${HOST}${path}`, { headers: { cookie } }, KO), path, t.admin.moderation);
    const api = await fetchApp(`${HOST}/admin/api/comments`, { headers: { authorization: "Bearer nope" } }, KO);
    expect(((await api.json()) as { error: { message: string } }).error.message).toBe(t.admin.tokenRequired);
  });

  it("the site's recent comments feed is titled in Korean", async () => {
    const feed = await (await fetchApp(`${HOST}/comments.xml`, {}, KO)).text();
    expect(feed).toContain('xml:lang="ko"');
    expect(feed).toContain(`<title>${t.feeds.recent("OUR K-POP")}</title>`);
  });
});
