import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  allComments,
  brokenDb,
  type CommentJson,
  cookiesOf,
  countRows,
  created,
  elementsOf,
  fetchApp,
  freshIp,
  marker,
  OTHER_SLUG,
  postForm,
  postJson,
  SLUG,
  textOf,
} from "../helpers.ts";

describe("posting with the HTML form", () => {
  it("answers 303 to the new comment's anchor, and the comment is on that very next load", async () => {
    const name = marker("Mina");
    const res = await postForm(SLUG, { name, body: "Loved this piece.\nSecond line.\n\nNew paragraph." });
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/posts\/kpop-in-north-korea#comment-(\d+)$/);
    const id = location.split("#comment-")[1];

    const page = await fetchApp(location.split("#")[0] ?? "", { headers: { cookie: cookiesOf(res) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(await elementsOf(html, `li#comment-${id}`)).toHaveLength(1);
    expect(html).toContain("<p>Loved this piece.<br>Second line.</p><p>New paragraph.</p>");
    expect(await textOf(html, `li#comment-${id} .comment-author`)).toEqual([name]);
    const [time] = await elementsOf(html, `li#comment-${id} time`);
    expect(new Date(Object.fromEntries(time?.attributes ?? []).datetime ?? "").getTime()).toBeGreaterThan(
      Date.now() - 60_000,
    );
    // Another reader (no cookie) sees it too: it had no link, so it was published at once.
    const other = await (await fetchApp(`/posts/${SLUG}`)).text();
    expect(other).toContain(`id="comment-${id}"`);
  });

  it("accepts multipart/form-data", async () => {
    const name = marker("Multi");
    const form = new FormData();
    form.set("name", name);
    form.set("body", "Sent as multipart.");
    const res = await fetchApp(`/posts/${SLUG}/comments`, {
      method: "POST",
      headers: { origin: "http://localhost", "cf-connecting-ip": freshIp() },
      body: form,
    });
    expect(res.status).toBe(303);
    expect(await countRows(name)).toBe(1);
  });

  it("sets a signed, HttpOnly commenter cookie", async () => {
    const res = await postForm(SLUG, { name: marker("Cookie"), body: "hi" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("commenter="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(decodeURIComponent(cookie?.split(";")[0] ?? "")).toMatch(/^commenter=[\w-]{22}\.[\w+/=]+$/);
  });

  it("404s for an unknown post and stores nothing", async () => {
    const name = marker("Nobody");
    const res = await postForm("no-such-post", { name, body: "hello" });
    expect(res.status).toBe(404);
    const json = await postJson("no-such-post", { name, body: "hello" });
    expect(json.status).toBe(404);
    expect(await countRows(name)).toBe(0);
  });
});

describe("posting JSON", () => {
  it("answers 201 with the stored comment", async () => {
    const name = marker("Api");
    const comment = await created(await postJson(SLUG, { name, body: "From the API" }));
    expect(comment).toMatchObject({
      post: SLUG,
      parent: null,
      depth: 0,
      author: name,
      body: "From the API",
      html: "<p>From the API</p>",
      status: "published",
    });
    expect(comment.url).toBe(`/posts/${SLUG}#comment-${comment.id}`);
    expect(comment).not.toHaveProperty("ip_hash");
    expect(comment).not.toHaveProperty("ipHash");
    const listed = await allComments(SLUG);
    expect(listed.find((c) => c.id === comment.id)?.author).toBe(name);
  });

  it("refuses other content types with 415 and malformed JSON with 400", async () => {
    const name = marker("Types");
    const text = await fetchApp(`/posts/${SLUG}/comments`, {
      method: "POST",
      headers: { "content-type": "text/plain", "cf-connecting-ip": freshIp() },
      body: `name=${name}&body=x`,
    });
    expect(text.status).toBe(415);
    const none = await fetchApp(`/posts/${SLUG}/comments`, { method: "POST", body: "x" });
    expect(none.status).toBe(415);
    expect((await postJson(SLUG, "{not json")).status).toBe(400);
    expect((await postJson(SLUG, "[1,2]")).status).toBe(400);
    expect((await postJson(SLUG, { name: ["a"], body: "x" })).status).toBe(400);
    expect((await postJson(SLUG, { name, body: 42 })).status).toBe(400);
    const twice = await postForm(SLUG, { name, body: "x" }, {});
    expect(twice.status).toBe(303);
    const dup = await fetchApp(`/posts/${SLUG}/comments`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": freshIp() },
      body: `name=${name}&body=one&body=two`,
    });
    expect(dup.status).toBe(400);
    expect(await countRows(name)).toBe(1);
  });

  it("limits the request size before parsing: 413", async () => {
    const name = marker("Big");
    const res = await postJson(SLUG, { name, body: "x".repeat(70_000) });
    expect(res.status).toBe(413);
    // Without Content-Length (streamed) the limit holds too.
    const stream = new Blob([JSON.stringify({ name, body: "y".repeat(70_000) })]).stream();
    const streamed = await fetchApp(`/posts/${SLUG}/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": freshIp() },
      body: stream,
      // @ts-expect-error: workerd accepts a streamed body with duplex "half".
      duplex: "half",
    });
    expect(streamed.status).toBe(413);
    expect(await countRows(name)).toBe(0);
  });
});

describe("validation", () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ["empty name", { name: "", body: "text" }, "name", /enter your name/],
    ["whitespace-only name", { name: " \t\n ", body: "text" }, "name", /enter your name/],
    ["control-characters-only name", { name: "\u0000\u0007\u202e", body: "text" }, "name", /enter your name/],
    ["name over 80 characters", { name: "가".repeat(81), body: "text" }, "name", /81 characters.*limit is 80/],
    ["empty body", { name: "Jin", body: "" }, "body", /write your comment/],
    ["whitespace-only body", { name: "Jin", body: "\n\n   \n" }, "body", /write your comment/],
    ["body over 5000 characters", { name: "Jin", body: "😀".repeat(5001) }, "body", /5,001 characters.*5,000/],
    ["parent that is not an id", { name: "Jin", body: "text", parent: "abc" }, "parent", /not valid/],
    ["negative parent", { name: "Jin", body: "text", parent: "-3" }, "parent", /not valid/],
  ];

  for (const [label, fields, field, message] of cases) {
    it(`refuses ${label} with 422, the message by the field, and the text kept`, async () => {
      const before = await countRows(fields.name ?? "");
      const res = await postForm(SLUG, fields);
      expect(res.status).toBe(422);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const html = await res.text();
      const [error] = await textOf(html, `#comment-${field}-error`);
      expect(error).toMatch(message);
      if (field !== "parent") {
        const [input] = await elementsOf(html, `#comment-${field}`);
        expect(Object.fromEntries(input?.attributes ?? [])).toMatchObject({
          "aria-invalid": "true",
          // The message, and the hint it refers to, still read with the field.
          "aria-describedby": `comment-${field}-error comment-${field}-hint`,
          // Focus is there when the page loads (no JavaScript), which also scrolls it into view.
          autofocus: "",
        });
        // The message sits in the field's group (a <div>: a <p> there would be closed early by
        // the browser's parser at the message's own <p>, leaving the message outside the group).
        expect(await elementsOf(html, `div.field #comment-${field}-error`)).toHaveLength(1);
      }
      // Exactly one element takes focus on load; no fragment in the action, or browsers would ignore autofocus.
      expect(await elementsOf(html, "[autofocus]")).toHaveLength(1);
      const [form] = await elementsOf(html, "form#comment-form");
      expect(Object.fromEntries(form?.attributes ?? []).action).toBe(`/posts/${SLUG}/comments`);
      // What the reader typed is back in the form, exactly.
      const [name] = await elementsOf(html, "#comment-name");
      expect(Object.fromEntries(name?.attributes ?? []).value ?? "").toBe(fields.name);
      expect(await textOf(html, "#comment-body")).toEqual([fields.body]);
      expect(await countRows(fields.name ?? "")).toBe(before);

      const json = await postJson(SLUG, fields);
      expect(json.status).toBe(422);
      const body = await json.json<{ error: { fields: Record<string, string> } }>();
      expect(body.error.fields[field]).toMatch(message);
    });
  }

  it("accepts the limits exactly: an 80-character name and a 5,000-character body (code points)", async () => {
    const name = `${marker("L")}${"가".repeat(70)}`.slice(0, 80);
    const comment = await created(await postJson(SLUG, { name: name.padEnd(80, "ㅋ"), body: "😀".repeat(5000) }));
    expect([...comment.author]).toHaveLength(80);
    expect([...comment.body]).toHaveLength(5000);
  });

  it("normalizes names: NFC, no control or bidi characters, spaces collapsed, trimmed", async () => {
    const id = marker("n");
    const comment = await created(
      await postJson(SLUG, { name: `  Ha\u0301n\u0000  \u202eso\n ${id} `, body: "e\u0301\r\nline" }),
    );
    expect(comment.author).toBe(`Hán so ${id}`);
    expect(comment.body).toBe("é\nline");
  });
});

describe("replies", () => {
  it("threads a reply under its parent, with a reply link that works without JavaScript", async () => {
    const root = await created(await postJson(SLUG, { name: marker("Root"), body: "root" }));
    const page = await (await fetchApp(`/posts/${SLUG}?reply=${root.id}`)).text();
    const [parentField] = await elementsOf(page, '#comment-form input[name="parent"]');
    expect(Object.fromEntries(parentField?.attributes ?? []).value).toBe(String(root.id));
    expect(page).toContain(`href="/posts/${SLUG}?reply=${root.id}#comment-form"`);

    const res = await postForm(SLUG, { name: marker("Child"), body: "child", parent: String(root.id) });
    expect(res.status).toBe(303);
    const childId = (res.headers.get("location") ?? "").split("#comment-")[1];
    const html = await (await fetchApp(`/posts/${SLUG}`)).text();
    expect(await elementsOf(html, `li#comment-${root.id} > ol.comment-replies > li#comment-${childId}`)).toHaveLength(
      1,
    );
    const reply = (await allComments(SLUG)).find((c) => String(c.id) === childId);
    expect(reply).toMatchObject({ parent: root.id, thread: root.id, depth: 1 });
  });

  it("caps the nesting: deep replies are listed at the deepest level, still in order", async () => {
    let parent = await created(await postJson(SLUG, { name: marker("Deep"), body: "level 0" }));
    const ids = [parent.id];
    for (let level = 1; level <= 6; level++) {
      parent = await created(await postJson(SLUG, { name: marker("Deep"), body: `level ${level}`, parent: parent.id }));
      ids.push(parent.id);
    }
    const html = await (await fetchApp(`/posts/${SLUG}`)).text();
    // Four nested lists at most inside the thread's top-level item.
    const nested = await elementsOf(html, `li#comment-${ids[0]} ol ol ol ol`);
    expect(nested.length).toBe(0);
    for (const id of ids) expect(html).toContain(`id="comment-${id}"`);
    const order = ids.map((id) => html.indexOf(`id="comment-${id}"`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("refuses a reply to a comment of another post, to a hidden comment, or to none; stores nothing", async () => {
    const elsewhere = await created(await postJson(OTHER_SLUG, { name: marker("Else"), body: "other post" }));
    const held = await created(await postJson(SLUG, { name: marker("Held"), body: "see https://spam.example" }));
    expect(held.status).toBe("pending");
    const name = marker("BadReply");
    for (const parent of [elsewhere.id, held.id, 999_999_999]) {
      const res = await postForm(SLUG, { name, body: "my reply", parent: String(parent) });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect((await textOf(html, "#comment-parent-error"))[0]).toMatch(/not available/);
      expect(await textOf(html, "#comment-body")).toEqual(["my reply"]);
      // The re-rendered form posts as a new comment next time.
      const [field] = await elementsOf(html, '#comment-form input[name="parent"]');
      expect(Object.fromEntries(field?.attributes ?? []).value).toBe("");
      const json = await postJson(SLUG, { name, body: "my reply", parent });
      expect(json.status).toBe(422);
    }
    expect(await countRows(name)).toBe(0);
  });

  it("lets the author reply to their own held comment (they can see it)", async () => {
    const first = await postForm(SLUG, { name: marker("Own"), body: "held http://example.com" });
    const cookie = cookiesOf(first);
    const heldId = Number((first.headers.get("location") ?? "").split("#comment-")[1]);
    const reply = await postJson(SLUG, { name: marker("Own"), body: "me again", parent: heldId }, { cookie });
    expect((await created(reply)).parent).toBe(heldId);
  });
});

describe("paging", () => {
  it("pages through every visible comment with a cursor: newest thread first, oldest first within, no gaps or repeats", async () => {
    const slug = OTHER_SLUG;
    const a = await created(await postJson(slug, { name: marker("P"), body: "a" }));
    const b = await created(await postJson(slug, { name: marker("P"), body: "b" }));
    const a1 = await created(await postJson(slug, { name: marker("P"), body: "a1", parent: a.id }));
    const b1 = await created(await postJson(slug, { name: marker("P"), body: "b1", parent: b.id }));
    const a2 = await created(await postJson(slug, { name: marker("P"), body: "a2", parent: a.id }));
    const seen: CommentJson[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await fetchApp(`/posts/${slug}/comments?limit=2${after ? `&after=${after}` : ""}`);
      expect(res.status).toBe(200);
      const page = await res.json<{ comments: CommentJson[]; next: string | null }>();
      expect(page.comments.length).toBeLessThanOrEqual(2);
      seen.push(...page.comments);
      after = page.next;
      pages++;
    } while (after && pages < 10_000);
    const ids = seen.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const mine = ids.filter((id) => [a.id, b.id, a1.id, b1.id, a2.id].includes(id));
    expect(mine).toEqual([b.id, b1.id, a.id, a1.id, a2.id]);
    expect((await allComments(slug)).map((c) => c.id)).toEqual(ids);
  });

  it("a reply deep in a long discussion lands on the page that holds its thread", async () => {
    const oldest = await created(await postJson(SLUG, { name: marker("Old"), body: "an early thread" }));
    for (let i = 0; i < 51; i++) await created(await postJson(SLUG, { name: marker("Newer"), body: `newer ${i}` }));
    const res = await postForm(SLUG, { name: marker("Late"), body: "late reply", parent: String(oldest.id) });
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^/posts/${SLUG}\\?comments=${oldest.id}-0#comment-\\d+$`));
    const html = await (await fetchApp(location.split("#")[0] ?? "")).text();
    expect(html).toContain(`id="comment-${location.split("#comment-")[1]}"`);
  });

  it("refuses a malformed cursor or limit with 400", async () => {
    for (const query of ["after=abc", "after=1-", "after=0-0", "limit=0", "limit=101", "limit=x"]) {
      const res = await fetchApp(`/posts/${SLUG}/comments?${query}`);
      expect(res.status, query).toBe(400);
    }
    expect((await fetchApp("/posts/nope/comments")).status).toBe(404);
  });

  it("pages the article's comment section too, with a link to the next page", async () => {
    // The section shows 50; make sure this post has more than that.
    const existing = (await allComments(SLUG)).length;
    for (let i = existing; i < 55; i++)
      await created(await postJson(SLUG, { name: marker("Fill"), body: `fill ${i}` }));
    const html = await (await fetchApp(`/posts/${SLUG}`)).text();
    const [next] = await elementsOf(html, 'nav[aria-label="Comment pages"] a[rel="next"]');
    const href = Object.fromEntries(next?.attributes ?? []).href ?? "";
    expect(href).toMatch(/\?comments=\d+-\d+#comments$/);
    const second = await (await fetchApp(href.split("#")[0] ?? "")).text();
    const firstIds = (await elementsOf(html, "li.comment")).map((e) => Object.fromEntries(e.attributes).id);
    const secondIds = (await elementsOf(second, "li.comment")).map((e) => Object.fromEntries(e.attributes).id);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
  });
});

describe("idempotency", () => {
  it("a double-clicked form (same token, same text) stores one comment and both land on it", async () => {
    const page = await (await fetchApp(`/posts/${SLUG}`)).text();
    const [tokenField] = await elementsOf(page, '#comment-form input[name="token"]');
    const token =
      Object.fromEntries(tokenField?.attributes ?? []).token ??
      Object.fromEntries(tokenField?.attributes ?? []).value ??
      "";
    expect(token).toMatch(/^[\w-]{22}$/);
    const name = marker("Double");
    const ip = freshIp();
    const fields = { name, body: "clicked twice", token };
    const [one, two] = await Promise.all([postForm(SLUG, fields, { ip }), postForm(SLUG, fields, { ip })]);
    expect(one.status).toBe(303);
    expect(two.status).toBe(303);
    expect(one.headers.get("location")).toBe(two.headers.get("location"));
    const three = await postForm(SLUG, fields, { ip });
    expect(three.headers.get("location")).toBe(one.headers.get("location"));
    expect(await countRows(name)).toBe(1);
  });

  it("the same form token from a cached page does not merge different readers' comments", async () => {
    const token = "AAAAAAAAAAAAAAAAAAAAAA";
    const name = marker("Shared");
    const one = await postForm(SLUG, { name, body: "same words", token });
    const two = await postForm(SLUG, { name, body: "same words", token });
    expect(one.headers.get("location")).not.toBe(two.headers.get("location"));
    expect(await countRows(name)).toBe(2);
  });

  it("Idempotency-Key: a retry returns the first comment; concurrent requests with one key store one", async () => {
    const name = marker("Key");
    const key = crypto.randomUUID();
    // One client (a key is scoped to its sender, see comment-idempotency.test.ts), and no more
    // requests than its rate limit: requests in flight together are each charged.
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        postJson(SLUG, { name, body: "once" }, { ip, headers: { "idempotency-key": key } }),
      ),
    );
    const comments = await Promise.all(results.map(created));
    expect(new Set(comments.map((c) => c.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(4);
    expect(await countRows(name)).toBe(1);

    const reused = await postJson(SLUG, { name, body: "different" }, { ip, headers: { "idempotency-key": key } });
    expect(reused.status).toBe(422);
    expect(await countRows(name)).toBe(1);
    const bad = await postJson(SLUG, { name, body: "x" }, { headers: { "idempotency-key": "has space" } });
    expect(bad.status).toBe(400);
  });
});

describe("many concurrent posts", () => {
  it("stores every one exactly once and each got its own id", async () => {
    const name = marker("Crowd");
    const bodies = Array.from({ length: 40 }, (_, i) => `comment number ${i}`);
    const results = await Promise.all(
      bodies.map((body, i) =>
        i % 2
          ? postJson(SLUG, { name, body })
          : postForm(SLUG, { name, body, token: crypto.randomUUID().slice(0, 22).replace(/-/g, "_") }),
      ),
    );
    const ids = await Promise.all(
      results.map(async (res) =>
        res.status === 303
          ? Number((res.headers.get("location") ?? "").split("#comment-")[1])
          : (await created(res)).id,
      ),
    );
    expect(results.every((r) => r.status === 303 || r.status === 201)).toBe(true);
    expect(new Set(ids).size).toBe(40);
    const rows = await env.DB.prepare("SELECT id, body FROM comments WHERE author = ?1 ORDER BY id")
      .bind(name)
      .all<{ id: number; body: string }>();
    expect(rows.results.map((r) => r.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(rows.results.map((r) => r.body).sort()).toEqual([...bodies].sort());
  });
});

describe("spam defences", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("honeypot: a filled hidden field is refused with a message and nothing is stored", async () => {
    const name = marker("Bot");
    const res = await postForm(SLUG, { name, body: "buy now", website: "http://spam.example" });
    expect(res.status).toBe(422);
    expect((await textOf(await res.text(), "#comment-form-error"))[0]).toMatch(/must stay empty/);
    expect(await countRows(name)).toBe(0);
  });

  it("rate limit: the sixth comment in a minute from one sender gets 429 + Retry-After, text kept", async () => {
    // Windows are aligned to the clock; start a fresh one rather than straddle a boundary.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    const ip = freshIp();
    const name = marker("Fast");
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postForm(SLUG, { name, body: `n${i}` }, { ip })).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303]);
    const limited = await postForm(SLUG, { name, body: "the sixth, kept" }, { ip });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    const html = await limited.text();
    expect((await textOf(html, "#comment-form-error"))[0]).toMatch(/too fast/);
    expect(await textOf(html, "#comment-body")).toEqual(["the sixth, kept"]);
    const json = await postJson(SLUG, { name, body: "api too" }, { ip });
    expect(json.status).toBe(429);
    expect(json.headers.get("retry-after")).toBe("60");
    // Another sender is not affected.
    expect((await postForm(SLUG, { name, body: "other sender" })).status).toBe(303);
    expect(await countRows(name)).toBe(6);
  }, 70_000);

  it("Turnstile: verified server-side when configured; failure and an unreachable verifier refuse", async () => {
    const turnstile = { TURNSTILE_SECRET: "ts-secret", TURNSTILE_SITE_KEY: "ts-site" };
    const calls: string[] = [];
    const answers: (Response | Error)[] = [
      Response.json({ success: true }),
      Response.json({ success: false, "error-codes": ["invalid-input-response"] }),
      new Error("network down"),
    ];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      calls.push(`${new Request(input).url} ${String(init?.body)}`);
      const answer = answers.shift();
      if (!answer || answer instanceof Error) throw answer ?? new Error("unexpected fetch");
      return answer;
    });
    const name = marker("Human");
    const page = await (await fetchApp(`/posts/${SLUG}`, {}, turnstile)).text();
    expect(await elementsOf(page, '.cf-turnstile[data-sitekey="ts-site"]')).toHaveLength(1);

    const ok = await postForm(
      SLUG,
      { name, body: "real", "cf-turnstile-response": "good" },
      { envOverrides: turnstile },
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get("content-security-policy")).toContain("https://challenges.cloudflare.com");
    const failed = await postForm(
      SLUG,
      { name, body: "bot", "cf-turnstile-response": "bad" },
      { envOverrides: turnstile },
    );
    expect(failed.status).toBe(422);
    const down = await postForm(
      SLUG,
      { name, body: "later", "cf-turnstile-response": "x" },
      { envOverrides: turnstile },
    );
    expect(down.status).toBe(503);
    expect(await textOf(await down.text(), "#comment-body")).toEqual(["later"]);
    const missing = await postForm(SLUG, { name, body: "no answer" }, { envOverrides: turnstile });
    expect(missing.status).toBe(422);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatch(
      /^https:\/\/challenges\.cloudflare\.com\/turnstile\/v0\/siteverify secret=ts-secret&response=good/,
    );
    expect(await countRows(name)).toBe(1);
  });
});

describe("CSRF", () => {
  it("refuses a form posted from another site with 403 and stores nothing", async () => {
    const name = marker("Csrf");
    const cases: Record<string, string>[] = [
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of cases) {
      const res = await fetchApp(`/posts/${SLUG}/comments`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": freshIp(), ...headers },
        body: new URLSearchParams({ name, body: "forged" }),
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toMatch(/another site/);
    }
    expect(await countRows(name)).toBe(0);
  });

  it("accepts a form POST with neither Origin nor Sec-Fetch-Site (curl, scripts), and same-origin or typed-in ones", async () => {
    const name = marker("NoOrigin");
    const cases: Record<string, string>[] = [
      {},
      { "sec-fetch-site": "none" },
      { origin: "http://localhost" },
      { origin: "http://localhost", "sec-fetch-site": "same-origin" },
    ];
    for (const headers of cases) {
      const res = await fetchApp(`/posts/${SLUG}/comments`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": freshIp(), ...headers },
        body: new URLSearchParams({ name, body: `sent with ${JSON.stringify(headers)}` }),
      });
      expect(res.status, JSON.stringify(headers)).toBe(303);
    }
    expect(await countRows(name)).toBe(cases.length);
  });

  it("refuses a same-site (not same-origin) post without our Origin, and a JSON post from another origin", async () => {
    const name = marker("SameSite");
    const sameSite = await fetchApp(`/posts/${SLUG}/comments`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "cf-connecting-ip": freshIp(),
        "sec-fetch-site": "same-site",
      },
      body: new URLSearchParams({ name, body: "from a sibling subdomain" }),
    });
    expect(sameSite.status).toBe(403);
    const json = await postJson(
      SLUG,
      { name, body: "cross-origin JSON" },
      { headers: { origin: "https://evil.example" } },
    );
    expect(json.status).toBe(403);
    expect(await json.json()).toEqual({ error: { status: 403, message: expect.stringMatching(/another site/) } });
    expect(await countRows(name)).toBe(0);
  });
});

describe("moderation states and who sees what", () => {
  it("hold-links: a comment with a link is held, shown only to its author, with a note", async () => {
    const name = marker("Linker");
    const res = await postForm(SLUG, { name, body: "see www.example.com/page" });
    expect(res.status).toBe(303);
    const id = (res.headers.get("location") ?? "").split("#comment-")[1];
    const mine = await (await fetchApp(`/posts/${SLUG}`, { headers: { cookie: cookiesOf(res) } })).text();
    expect(await elementsOf(mine, `li#comment-${id}.held`)).toHaveLength(1);
    expect((await textOf(mine, `li#comment-${id} .comment-held-note`))[0]).toMatch(/only you can see/);
    const theirs = await (await fetchApp(`/posts/${SLUG}`)).text();
    expect(theirs).not.toContain(`comment-${id}"`);
    expect((await allComments(SLUG)).some((c) => String(c.id) === id)).toBe(false);
    expect((await allComments(SLUG, cookiesOf(res))).find((c) => String(c.id) === id)?.status).toBe("pending");
    // A forged cookie shows nothing.
    const forged = cookiesOf(res).replace(/commenter=[^.]+/, "commenter=AAAAAAAAAAAAAAAAAAAAAA");
    expect(await (await fetchApp(`/posts/${SLUG}`, { headers: { cookie: forged } })).text()).not.toContain(
      `comment-${id}"`,
    );
  });

  it("publish and hold-all modes", async () => {
    const publish = await created(
      await postJson(
        SLUG,
        { name: marker("M"), body: "link https://ok.example" },
        { envOverrides: { COMMENT_MODERATION: "publish" } },
      ),
    );
    expect(publish.status).toBe("published");
    const holdAll = await created(
      await postJson(SLUG, { name: marker("M"), body: "plain" }, { envOverrides: { COMMENT_MODERATION: "hold-all" } }),
    );
    expect(holdAll.status).toBe("pending");
    const page = await (await fetchApp(`/posts/${SLUG}`, {}, { COMMENT_MODERATION: "hold-all" })).text();
    expect(page).toContain("Comments appear once the site owner approves them.");
  });

  it("spam and deleted comments are shown to no one, not even their author", async () => {
    const res = await postForm(SLUG, { name: marker("Gone"), body: "will be removed" });
    const id = Number((res.headers.get("location") ?? "").split("#comment-")[1]);
    const cookie = cookiesOf(res);
    for (const status of ["spam", "deleted"]) {
      await env.DB.prepare("UPDATE comments SET status = ?1 WHERE id = ?2").bind(status, id).run();
      expect(await (await fetchApp(`/posts/${SLUG}`, { headers: { cookie } })).text()).not.toContain(`comment-${id}"`);
      expect((await allComments(SLUG, cookie)).some((c) => c.id === id)).toBe(false);
    }
  });
});

describe("comment counts", () => {
  it("home and tag pages show each post's published count", async () => {
    const countOf = async (path: string) => {
      const html = await (await fetchApp(path)).text();
      const [link] = await elementsOf(html, `a.comment-count[href="/posts/${SLUG}#comments"]`);
      expect(link).toBeDefined();
      return Number((await textOf(html, `a.comment-count[href="/posts/${SLUG}#comments"]`))[0]?.split(" ")[0]);
    };
    const before = await countOf("/");
    await created(await postJson(SLUG, { name: marker("Count"), body: "counted" }));
    await created(await postJson(SLUG, { name: marker("Count"), body: "held http://x.example" }));
    expect(await countOf("/")).toBe(before + 1);
    expect(await countOf("/tags/k-pop")).toBe(before + 1);
  });
});

describe("when D1 fails", () => {
  const down = { envOverrides: { DB: brokenDb } };

  it("the article still renders (200) with a notice instead of comments", async () => {
    const res = await fetchApp(`/posts/${SLUG}`, {}, down.envOverrides);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("in North Korea: What’s Really Going On?");
    expect((await textOf(html, "#comments .notice"))[0]).toMatch(/cannot be loaded/);
    expect(await elementsOf(html, "#comment-form")).toHaveLength(1);
    expect((await fetchApp("/", {}, down.envOverrides)).status).toBe(200);
  });

  it("a form POST answers 503 with Retry-After and the text still in the form; JSON says 503", async () => {
    const res = await postForm(SLUG, { name: "Kept Name", body: "kept text\nline two" }, down);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    const html = await res.text();
    expect((await textOf(html, "#comment-form-error"))[0]).toMatch(/could not be saved/);
    expect(await textOf(html, "#comment-body")).toEqual(["kept text\nline two"]);
    const [name] = await elementsOf(html, "#comment-name");
    expect(Object.fromEntries(name?.attributes ?? []).value).toBe("Kept Name");

    const json = await postJson(SLUG, { name: "Kept", body: "x" }, down);
    expect(json.status).toBe(503);
    expect(json.headers.get("retry-after")).toBe("30");
    const list = await fetchApp(
      `/posts/${SLUG}/comments`,
      { headers: { accept: "application/json" } },
      down.envOverrides,
    );
    expect(list.status).toBe(503);
    expect(list.headers.get("retry-after")).toBe("30");
    expect(list.headers.get("cache-control")).toBe("no-store");
    expect(await list.json()).toEqual({
      error: { status: 503, message: "Comments cannot be read right now. Please try again in a minute." },
    });
  });

  it("without IP_HASH_SALT nothing is stored (no raw IP, ever): 503", async () => {
    const name = marker("NoSalt");
    const res = await postForm(SLUG, { name, body: "x" }, { envOverrides: { IP_HASH_SALT: undefined } });
    expect(res.status).toBe(503);
    expect(await countRows(name)).toBe(0);
  });
});

describe("privacy", () => {
  it("stores a keyed hash of the IP, never the IP", async () => {
    const ip = "203.0.113.77";
    const name = marker("Private");
    await postForm(SLUG, { name, body: "x" }, { ip });
    const row = await env.DB.prepare("SELECT * FROM comments WHERE author = ?1").bind(name).first();
    expect(JSON.stringify(row)).not.toContain(ip);
    expect(row?.ip_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
