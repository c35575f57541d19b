import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cookiesOf, elementsOf, fetchApp, marker, postForm, SLUG } from "../helpers.ts";

/**
 * The poster's next load reads their whole view (the comments, their editable ones, their name)
 * in one D1 call, on the plain binding (the primary): no session, so no replica to wait at for
 * their write (docs/regions.md).
 */

/** The real local D1, counting the sessions started on it. */
function countingSessions() {
  const counts = { sessions: 0 };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== "withSession" || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        counts.sessions++;
        return value.apply(target, args);
      };
    },
  });
  return { db, counts };
}

const d1Calls = (res: Response) => res.headers.get("server-timing")?.match(/d1;dur=[\d.]+;desc="(\d+) calls"/)?.[1];

describe("the poster's next load", () => {
  it("is one D1 call on the primary, and shows their comment, its edit link and their name", async () => {
    const { db, counts } = countingSessions();
    const overrides = { DB: db, PAGE_CACHE: "off" };
    const name = marker("Poster");
    const body = marker("Seen at once");
    const posted = await postForm(SLUG, { name, body }, { envOverrides: overrides });
    expect(posted.status, await posted.clone().text()).toBe(303);
    const sessionsOfPost = counts.sessions;

    const next = await fetchApp(
      posted.headers.get("location") ?? "",
      { headers: { cookie: cookiesOf(posted) } },
      overrides,
    );
    expect(next.status).toBe(200);
    const html = await next.text();
    expect(html).toContain(body);
    expect(html).toContain("?edit=");
    const [field] = await elementsOf(html, "#comment-name");
    expect(Object.fromEntries(field?.attributes ?? []).value).toBe(name);
    expect(d1Calls(next)).toBe("1");
    expect(counts.sessions - sessionsOfPost).toBe(0);

    // A reader without a bookmark: the same one call, through a session (any replica).
    const anonymous = await fetchApp(`/posts/${SLUG}`, {}, overrides);
    expect(d1Calls(anonymous)).toBe("1");
    expect(counts.sessions - sessionsOfPost).toBe(1);
  });
});
