import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, elementsOf, fetchApp, freshIp, marker, postForm, postJson, SLUG, textOf } from "../helpers.ts";

const rowsWithBody = async (body: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE body = ?1").bind(body).first<{ n: number }>())?.n ??
  0;

/** A comment POST with exactly these bytes, as a browser (form types) or an API client (JSON) sends it. */
function postRaw(contentType: string, body: Uint8Array) {
  return fetchApp(`/posts/${SLUG}/comments`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      accept: contentType.includes("json") ? "application/json" : "text/html",
      origin: BASE,
      "sec-fetch-site": "same-origin",
      "cf-connecting-ip": freshIp(),
    },
    body,
  });
}

const ascii = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...ascii(part)] : part)));

function multipart(fields: [string, string | number[]][]) {
  const boundary = "----b0undary";
  const parts = fields.flatMap(([name, value]) => [
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`,
    value,
    "\r\n",
  ]);
  return { type: `multipart/form-data; boundary=${boundary}`, body: concat(...parts, `--${boundary}--\r\n`) };
}

describe("text that is not valid UTF-8 is refused, never stored as U+FFFD", () => {
  it("urlencoded: 422, the message by the name field, the other text kept", async () => {
    const body = marker("kept text");
    const res = await postRaw(
      "application/x-www-form-urlencoded",
      ascii(`name=%FF%FE%FD&body=${encodeURIComponent(body)}`),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect((await textOf(html, "#comment-name-error"))[0]).toMatch(/name holds bytes that are not valid UTF-8/);
    expect(await textOf(html, "#comment-body")).toEqual([body]);
    expect(await rowsWithBody(body)).toBe(0);
  });

  it("urlencoded: a Latin-1 byte in the body is named as the body's problem", async () => {
    const name = marker("Jin");
    const res = await postRaw("application/x-www-form-urlencoded", ascii(`name=${name}&body=caf%E9+au+lait`));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect((await textOf(html, "#comment-body-error"))[0]).toMatch(/comment holds bytes that are not valid UTF-8/);
    const [field] = await elementsOf(html, "#comment-name");
    expect(Object.fromEntries(field?.attributes ?? []).value).toBe(name);
  });

  it("multipart: raw bad bytes in a part are refused the same way", async () => {
    const body = marker("multipart kept");
    const form = multipart([
      ["name", [0xff, 0xfe, 0xfd]],
      ["body", body],
    ]);
    const res = await postRaw(form.type, form.body);
    expect(res.status).toBe(422);
    expect((await textOf(await res.text(), "#comment-name-error"))[0]).toMatch(/not valid UTF-8/);
    expect(await rowsWithBody(body)).toBe(0);
  });

  it("JSON: 422 with the usual error shape naming the field; an escaped lone surrogate too", async () => {
    const body = marker("json kept");
    const res = await postRaw(
      "application/json",
      concat('{"name":"Ji', [0xc3, 0x28], `n","body":${JSON.stringify(body)}}`),
    );
    expect(res.status).toBe(422);
    const error = (await res.json<{ error: { status: number; message: string; fields: Record<string, string> } }>())
      .error;
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/name holds bytes that are not valid UTF-8/);
    expect(Object.keys(error.fields)).toEqual(["name"]);
    const lone = await postJson(SLUG, `{"name":"Jin","body":"half \\ud800 a pair ${body}"}`);
    expect(lone.status).toBe(422);
    expect(Object.keys((await lone.json<{ error: { fields: object } }>()).error.fields)).toEqual(["body"]);
    expect(await rowsWithBody(body)).toBe(0);
  });

  it("a U+FFFD the commenter really typed (valid UTF-8) is kept, in a form and in JSON", async () => {
    const body = marker("replacement \uFFFD typed");
    expect(
      (await postRaw("application/x-www-form-urlencoded", ascii(`name=J%EF%BF%BDn&body=${encodeURIComponent(body)}`)))
        .status,
    ).toBe(303);
    expect((await postJson(SLUG, { name: "J\uFFFDn", body })).status).toBe(201);
    expect(await rowsWithBody(body)).toBe(2);
  });
});

describe("a name or body with no visible character counts as empty", () => {
  const invisible = "\u200B\u200C\u200D\u2060\uFEFF\u00AD\u200E\u2067\uFE0F\u3164 \u00A0";

  it("form: the required-field message and nothing stored", async () => {
    const body = marker("invisible name");
    const res = await postForm(SLUG, { name: invisible, body });
    expect(res.status).toBe(422);
    expect((await textOf(await res.text(), "#comment-name-error"))[0]).toMatch(/enter your name/);
    expect(await rowsWithBody(body)).toBe(0);
  });

  it("JSON: an invisible body is an empty one", async () => {
    const res = await postJson(SLUG, { name: marker("Jin"), body: "\u200B\n\uFEFF\u2800" });
    expect(res.status).toBe(422);
    expect((await res.json<{ error: { fields: Record<string, string> } }>()).error.fields).toEqual({
      body: "Please write your comment.",
    });
  });
});
