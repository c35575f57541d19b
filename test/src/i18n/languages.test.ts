import { describe, expect, it } from "vitest";
import { en } from "../../../src/i18n/en.ts";
import { chromeLang, strings } from "../../../src/i18n/index.ts";
import { ko } from "../../../src/i18n/ko.ts";
import { formatDate, formatTime } from "../../../src/views/format.ts";
import { get } from "../fetch.ts";
import { cookiesOf, fetchApp, marker, postForm } from "../helpers.ts";
import { chromeText, fragments } from "./chrome.ts";

const KOREAN = `/posts/${encodeURIComponent("케이팝이란")}`;
const SEED = "/posts/kpop-in-north-korea";
describe("the interface in the page's language", () => {
  it("gives a Korean post Korean chrome: no string of the English catalog outside the post's text", async () => {
    const res = await get(KOREAN);
    expect(res.status).toBe(200);
    const html = await res.clone().text();
    expect(html.startsWith('<!DOCTYPE html><html lang="ko">')).toBe(true);
    const text = await chromeText(res);
    for (const phrase of [
      "본문으로 건너뛰기",
      "블로그로 돌아가기",
      "검색",
      "댓글 남기기",
      "이름",
      "분 분량",
      "전체 글 보기",
    ]) {
      expect(text, phrase).toContain(phrase);
    }
    expect(text).toMatch(/\d{4}년 \d{1,2}월 \d{1,2}일/);
    const leaks = fragments(en, 3).filter((phrase) => text.includes(phrase));
    expect(leaks, text).toEqual([]);
  });

  it("keeps the comments of a Korean post in Korean: times, replies, the writer's own actions, the order", async () => {
    const first = await postForm("케이팝이란", { name: marker("독자"), body: "좋은 글 감사합니다." });
    expect(first.status).toBe(303);
    const cookie = cookiesOf(first);
    const id = /comment-(\d+)/.exec(first.headers.get("location") ?? "")?.[1];
    const reply = await postForm(
      "케이팝이란",
      { name: marker("독자"), body: "저도요!", parent: String(id) },
      { cookie },
    );
    expect(reply.status).toBe(303);
    const res = await get(KOREAN, { headers: { cookie: cookiesOf(reply, cookie) } });
    const text = await chromeText(res);
    for (const phrase of ["답글", "수정", "삭제", "최신순", "공감순", "댓글 남기기"])
      expect(text, phrase).toContain(phrase);
    expect(text).toMatch(/\d{4}년 \d{1,2}월 \d{1,2}일 오[전후] \d{2}:\d{2}/);
    const leaks = fragments(en, 3).filter((phrase) => text.includes(phrase));
    expect(leaks, text).toEqual([]);
  });

  it("gives an English page no Korean chrome", async () => {
    for (const path of [SEED, "/", "/archive"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const text = await chromeText(res);
      expect(text, path).toContain("Skip to content");
      const leaks = fragments(ko, 2).filter((phrase) => text.includes(phrase));
      expect(leaks, `${path}\n${text}`).toEqual([]);
    }
  });

  it("gives a site with SITE_LANG = ko a Korean home, archive, search and error page", async () => {
    const paths = ["/", "/archive", `/search?q=${encodeURIComponent("케이팝")}`, "/search?q=zzzzqqq", "/no-such-page"];
    for (const path of paths) {
      const res = await fetchApp(path, {}, { SITE_LANG: "ko" });
      const html = await res.clone().text();
      expect(html.startsWith('<!DOCTYPE html><html lang="ko">'), path).toBe(true);
      const text = await chromeText(res);
      expect(text, path).toContain("본문으로 건너뛰기");
      const leaks = fragments(en, 3).filter((phrase) => text.includes(phrase));
      expect(leaks, `${path}\n${text}`).toEqual([]);
    }
  });

  it("counts in each language's way: 1 comment, 2 comments; 댓글 1개, 댓글 2개", () => {
    expect([0, 1, 2].map((n) => strings("en").commentCount(n))).toEqual(["0 comments", "1 comment", "2 comments"]);
    expect([1, 2].map((n) => strings("ko").commentCount(n))).toEqual(["댓글 1개", "댓글 2개"]);
    expect(strings("ko").minRead(2)).toBe("2분 분량");
    expect(strings("en").minRead(2)).toBe("2 min read");
  });

  it("serves a regional tag by its language's catalog and an unknown language in English", () => {
    expect(chromeLang("ko-KR")).toBe("ko");
    expect(chromeLang("fr")).toBe("en");
    expect(strings(undefined)).toBe(en);
  });

  it("writes dates and comment times as each language does", () => {
    expect(formatDate("2025-05-20T00:00:00.000Z", "en")).toBe("May 20, 2025");
    expect(formatDate("2025-05-20T00:00:00.000Z", "ko")).toBe("2025년 5월 20일");
    // English readers are everywhere: UTC, saying so; Korean readers read Seoul time, unlabelled as Korean sites do.
    expect(formatTime("2025-05-20T08:36:00.000Z", "en")).toBe("May 20, 2025 at 08:36 AM UTC");
    expect(formatTime("2025-05-20T08:36:00.000Z", "ko")).toBe("2025년 5월 20일 오후 05:36");
  });
});
