import { describe, expect, it } from "vitest";
import { encodeWords, plainTextMime } from "../../../src/notify/mime.ts";
import { created, marker, postJson, SLUG } from "../helpers.ts";
import { consume, envWith, recordingQueue } from "./notify-helpers.ts";

const utf8 = (bytes: number[]) => new TextDecoder().decode(Uint8Array.from(bytes));
const bytesOf = (b64: string) => Array.from(atob(b64), (c) => c.charCodeAt(0));

/** The text of a header's RFC 2047 encoded words (UTF-8, base64), joined as a mail reader joins them. */
const decodeWords = (header: string) =>
  utf8([...header.matchAll(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/g)].flatMap((m) => bytesOf(m[1] ?? "")));

function parse(raw: string) {
  const [head = "", body = ""] = raw.split("\r\n\r\n");
  const headers = new Map<string, string>();
  for (const field of head.split(/\r\n(?! )/)) {
    const colon = field.indexOf(":");
    headers.set(field.slice(0, colon).toLowerCase(), field.slice(colon + 1).trim());
  }
  const text = utf8(bytesOf(body.replace(/\r\n/g, "")));
  return { head, headers, text };
}

describe("the e-mail", () => {
  it("is plain-text MIME whose Korean subject, sender name and text survive", () => {
    const subject = '[우리 케이팝] 새 댓글: 김민지 on "북한의 케이팝" — 승인 대기 중입니다 정말로 긴 제목';
    const raw = plainTextMime({
      from: { name: "우리 케이팝", address: "blog@example.com" },
      to: "owner@example.com",
      subject,
      text: "안녕하세요!\n두 번째 줄 😀",
      date: new Date("2026-12-01T10:00:00Z"),
    });
    const { head, headers, text } = parse(raw);
    expect(head.split("\r\n").every((line) => line.length <= 78)).toBe(true);
    expect(decodeWords(headers.get("subject") ?? "")).toBe(subject);
    expect(decodeWords(headers.get("from") ?? "")).toBe("우리 케이팝");
    expect(headers.get("from")).toMatch(/ <blog@example\.com>$/);
    expect(headers.get("to")).toBe("<owner@example.com>");
    expect(headers.get("date")).toBe("Tue, 01 Dec 2026 10:00:00 +0000");
    expect(headers.get("message-id")).toMatch(/^<[A-Za-z0-9_-]{22}@example\.com>$/);
    expect(headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    expect(text).toBe("안녕하세요!\r\n두 번째 줄 😀");
  });

  it("never splits a character between two encoded words", () => {
    const long = "가".repeat(40); // 120 bytes: twelve characters (30 bytes) a word
    const words = encodeWords(long).split("\r\n ");
    expect(words.length).toBe(4);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(encodeWords(long))).toBe(long);
    expect(encodeWords("plain ASCII")).toBe("plain ASCII");
  });

  it("goes out through the real send_email binding for a held comment, with its links", async () => {
    const { queue, sent } = recordingQueue();
    const overrides = {
      NOTIFY_WEBHOOK_URL: "",
      NOTIFY_EMAIL_TO: "owner@example.com",
      NOTIFY_EMAIL_FROM: "blog@example.com",
      NOTIFY_QUEUE: queue,
    };
    const name = marker("김민지");
    await created(await postJson(SLUG, { name, body: "링크 https://example.com" }, { envOverrides: overrides }));
    expect(sent.map((m) => m.channel)).toEqual(["email"]);
    // Miniflare's binding parses the message and refuses it without a Message-ID or with a From
    // that is not the envelope sender: acknowledged means it was taken.
    const result = await consume(envWith(overrides), sent[0] as (typeof sent)[0]);
    expect(result.explicitAcks).toEqual(["message-1"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("keeps what a commenter typed out of the headers", () => {
    const raw = plainTextMime({
      from: { name: "Blog", address: "blog@example.com" },
      to: "owner@example.com",
      subject: "New comment: evil\r\nBcc: victim@example.com",
      text: "x",
    });
    const { headers } = parse(raw);
    expect(headers.has("bcc")).toBe(false);
    expect(decodeWords(headers.get("subject") ?? "")).toBe("New comment: evil\r\nBcc: victim@example.com");
  });
});
