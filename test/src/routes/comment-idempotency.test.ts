import { describe, expect, it } from "vitest";
import { cookiesOf, countRows, created, freshIp, marker, postForm, postJson, SLUG } from "../helpers.ts";

const formToken = () => crypto.randomUUID().replace(/-/g, "").slice(0, 22);

describe("Idempotency-Key is scoped to the client, not only to the post", () => {
  it("another client reusing a key gets its own comment; the first client's retries get theirs back", async () => {
    const name = marker("Scoped");
    const key = `order-${crypto.randomUUID()}`;
    const headers = { "idempotency-key": key };
    const ipA = freshIp();
    const first = await postJson(SLUG, { name, body: "same words" }, { ip: ipA, headers });
    const cookieA = cookiesOf(first);
    const mine = await created(first);

    // Another address, no cookie: its own comment, not a replay of A's.
    const other = await postJson(SLUG, { name, body: "same words" }, { headers });
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect((await created(other)).id).not.toBe(mine.id);

    // Another commenter (own cookie) behind A's address: its own comment too.
    const cookieC = cookiesOf(await postJson(SLUG, { name: marker("C"), body: "hello" }, { ip: ipA }));
    const behindSameIp = await postJson(SLUG, { name, body: "same words" }, { ip: ipA, cookie: cookieC, headers });
    expect(behindSameIp.headers.get("idempotent-replayed")).toBeNull();
    expect((await created(behindSameIp)).id).not.toBe(mine.id);

    // A retrying, without the cookie its lost answer set and with it: the same comment, replayed.
    for (const cookie of [undefined, cookieA]) {
      const retry = await postJson(SLUG, { name, body: "same words" }, { ip: ipA, headers, ...(cookie && { cookie }) });
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect((await created(retry)).id).toBe(mine.id);
    }
    expect(await countRows(name)).toBe(3);
  });

  it("a client with a cookie keeps its key across addresses (a phone changing networks)", async () => {
    const name = marker("Roaming");
    const cookie = cookiesOf(await postJson(SLUG, { name: marker("R"), body: "first" }));
    const headers = { "idempotency-key": crypto.randomUUID() };
    const one = await created(await postJson(SLUG, { name, body: "on wifi" }, { cookie, headers }));
    const retry = await postJson(SLUG, { name, body: "on wifi" }, { cookie, headers });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await created(retry)).id).toBe(one.id);
  });
});

describe("a retry is answered before the rate limiter", () => {
  it("past the limit, a JSON retry with its key and a resent form get their comments, a new comment 429", async () => {
    // Windows are aligned to the clock; start a fresh one rather than straddle a boundary.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    const ip = freshIp();
    const name = marker("Retry");
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await created(await postJson(SLUG, { name, body: "api, kept" }, { ip, headers }));
    const form = { name, body: "form, kept", token: formToken() };
    const sent = await postForm(SLUG, form, { ip });
    expect(sent.status).toBe(303);
    for (let i = 0; i < 3; i++) expect((await postJson(SLUG, { name, body: `filler ${i}` }, { ip })).status).toBe(201);
    expect((await postJson(SLUG, { name, body: "one too many" }, { ip })).status).toBe(429);

    const retry = await postJson(SLUG, { name, body: "api, kept" }, { ip, headers });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await created(retry)).id).toBe(first.id);
    const resent = await postForm(SLUG, form, { ip });
    expect(resent.status).toBe(303);
    expect(resent.headers.get("location")).toBe(sent.headers.get("location"));
    // A reused key with other text is not a retry: refused, and still nothing new stored.
    expect((await postJson(SLUG, { name, body: "other text" }, { ip, headers })).status).toBe(422);
    expect((await postJson(SLUG, { name, body: "still too many" }, { ip })).status).toBe(429);
    expect(await countRows(name)).toBe(5);
  }, 70_000);
});
