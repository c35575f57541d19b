import { describe, expect, it } from "vitest";
import { invalidTextFields, isUtf8 } from "../../../src/lib/utf8.ts";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...new TextEncoder().encode(part)] : part)))
    .buffer;
const FORM = "application/x-www-form-urlencoded";

describe("invalidTextFields", () => {
  it("urlencoded: checks percent-decoded bytes per field, and raw bytes too", () => {
    expect(invalidTextFields(bytes("name=%FF%FE%FD&body=ok"), FORM, null)).toEqual(["name"]);
    expect(invalidTextFields(bytes("name=ok&body=caf%e9"), FORM, null)).toEqual(["body"]);
    expect(invalidTextFields(bytes("name=", [0xc3], "&body=x"), FORM, null)).toEqual(["name"]);
    expect(invalidTextFields(bytes("b%FFd=1"), FORM, null)).toEqual(["b\uFFFDd"]);
    // Valid: UTF-8 sequences, a typed U+FFFD, plus signs, stray or incomplete percent signs.
    expect(invalidTextFields(bytes("name=%EA%B0%80%EF%BF%BD+x&body=100%+%F&&=&x"), FORM, null)).toEqual([]);
  });

  it("multipart: text parts checked, file parts left alone, quoted boundary understood", () => {
    const type = 'multipart/form-data; boundary="xx"';
    const body = bytes(
      '--xx\r\nContent-Disposition: form-data; name="name"\r\n\r\nJin\r\n',
      '--xx\r\nContent-Disposition: form-data; name="body"\r\n\r\n',
      [0xed, 0xa0, 0x80],
      "\r\n",
      '--xx\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n',
      [0xff],
      "\r\n--xx--\r\n",
    );
    expect(invalidTextFields(body, type, null)).toEqual(["body"]);
  });

  it("JSON: the whole body is checked; fields named by their replacement characters or lone surrogates", () => {
    const type = "application/json; charset=utf-8";
    expect(invalidTextFields(bytes('{"name":"ok"}'), type, { name: "ok" })).toEqual([]);
    expect(invalidTextFields(bytes('{"name":"', [0xff], '"}'), type, { name: "\uFFFD", body: "x" })).toEqual(["name"]);
    expect(invalidTextFields(bytes('{"x', [0xff], '":1}'), type, { name: "a" })).toEqual([""]);
    expect(invalidTextFields(bytes('{"body":"\\ud800"}'), type, { body: "\ud800" })).toEqual(["body"]);
  });

  it("isUtf8 refuses overlongs, surrogates and truncation", () => {
    expect(isUtf8(new Uint8Array([0xc0, 0xaf]))).toBe(false);
    expect(isUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(false);
    expect(isUtf8(new Uint8Array([0xe2, 0x82]))).toBe(false);
    expect(isUtf8(new Uint8Array([0xe2, 0x82, 0xac]))).toBe(true);
  });
});
