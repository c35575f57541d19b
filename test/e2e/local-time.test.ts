import { describe, expect, it } from "vitest";
import { SEED_PATH, useChromium } from "./browser.ts";
import { postComment, uniqueText } from "./comment-form.ts";

const chromium = useChromium();

/** The seed's Korean translation (content/posts/북한의-케이팝.md). */
const TRANSLATION_PATH = `/posts/${encodeURIComponent("북한의-케이팝")}`;

/** How a comment time reads in `zone`, with the zone named: what assets/local-time.js writes. */
const inZone = (iso: string, lang: string, timeZone: string) =>
  new Intl.DateTimeFormat(lang, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(new Date(iso));

/** A comment's time element as the reader sees it: the instant, the text, and the server's text kept as a title. */
async function timeOf(path: string, id: number, options: { timezoneId: string; javaScriptEnabled?: boolean }) {
  const { page } = await chromium.open(path, options);
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.reload({ waitUntil: "load" });
  const time = page.locator(`#comment-${id} time`).first();
  const read = {
    datetime: (await time.getAttribute("datetime")) ?? "",
    text: (await time.textContent())?.trim() ?? "",
    title: await time.getAttribute("title"),
    errors,
  };
  await page.context().close();
  return read;
}

describe("comment times in the reader's own time zone, in Chromium", () => {
  it("an English page written in UTC reads in Seoul's time for a reader in Seoul, and stays UTC without JavaScript", async () => {
    const { page } = await chromium.open(SEED_PATH, { timezoneId: "UTC" });
    const id = await postComment(page, "Hana", uniqueText("What time is it in Seoul?"));
    await page.context().close();

    const utc = await timeOf(SEED_PATH, id, { timezoneId: "UTC" });
    expect(utc.text).toMatch(/ UTC$/);
    expect(utc.title).toBeNull(); // the reader's zone is the page's: nothing rewritten
    const seoul = await timeOf(SEED_PATH, id, { timezoneId: "Asia/Seoul" });
    expect(seoul.text).toBe(inZone(seoul.datetime, "en", "Asia/Seoul"));
    expect(seoul.text).toMatch(/GMT\+9$/);
    expect(seoul.title).toBe(utc.text);
    expect(seoul.errors).toEqual([]); // the CSP lets the script run: no refusal in the console
    const noScript = await timeOf(SEED_PATH, id, { timezoneId: "Asia/Seoul", javaScriptEnabled: false });
    expect(noScript.text).toBe(utc.text);
  });

  it("a Korean page written in Korea's time stays so in Seoul and reads in New York's time in New York", async () => {
    const { page } = await chromium.open(TRANSLATION_PATH, { timezoneId: "Asia/Seoul" });
    await page.getByRole("textbox", { name: "이름", exact: true }).fill("민준");
    await page.getByRole("textbox", { name: "댓글", exact: true }).fill(uniqueText("뉴욕에서는 몇 시일까요?"));
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.getByRole("button", { name: "댓글 등록" }).click()]);
    const id = Number(new URL(page.url()).hash.slice("#comment-".length));
    await page.context().close();

    const seoul = await timeOf(TRANSLATION_PATH, id, { timezoneId: "Asia/Seoul" });
    expect(seoul.title).toBeNull();
    const newYork = await timeOf(TRANSLATION_PATH, id, { timezoneId: "America/New_York" });
    expect(newYork.text).toBe(inZone(newYork.datetime, "ko", "America/New_York"));
    expect(newYork.title).toBe(seoul.text);
  });
});
