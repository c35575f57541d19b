import { Hono } from "hono";
import * as hono from "hono/cookie";
import { describe, expect, it } from "vitest";
import { deleteCookie, getSignedCookie, setCookie, setSignedCookie } from "../../../src/lib/cookies.ts";

const SECRET = "a-secret";
const options = { path: "/", httpOnly: true, secure: true, sameSite: "Lax", maxAge: 300 } as const;

/** Sets a cookie with one implementation and reads it back with the other (cookies from before this one stay valid). */
const app = new Hono()
  .get("/ours", async (c) => {
    await setSignedCookie(c, "s", "tok.en/+=", SECRET, options);
    setCookie(c, "p", "a b;c", options);
    deleteCookie(c, "gone", { path: "/admin", secure: true });
    return c.text("ok");
  })
  .get("/theirs", async (c) => {
    await hono.setSignedCookie(c, "s", "tok.en/+=", SECRET, options);
    hono.setCookie(c, "p", "a b;c", options);
    hono.deleteCookie(c, "gone", { path: "/admin", secure: true });
    return c.text("ok");
  })
  .get("/read-ours", async (c) => c.json({ ours: (await getSignedCookie(c, SECRET, "s")) ?? null }))
  .get("/read-theirs", async (c) => c.json({ theirs: (await hono.getSignedCookie(c, SECRET, "s")) ?? null }));

const cookieHeader = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((h) => h.split(";")[0])
    .join("; ");

describe("signed cookies", () => {
  it("are written as hono/cookie writes them, attribute for attribute", async () => {
    const ours = (await app.request("/ours")).headers.getSetCookie();
    const theirs = (await app.request("/theirs")).headers.getSetCookie();
    expect(ours).toEqual(theirs);
  });

  it("are read as hono/cookie reads them: valid, forged, unsigned, absent", async () => {
    const cookie = cookieHeader(await app.request("/theirs"));
    for (const [path, key] of [
      ["/read-ours", "ours"],
      ["/read-theirs", "theirs"],
    ] as const) {
      const read = async (header?: string) =>
        (
          (await (await app.request(path, { headers: header ? { cookie: header } : {} })).json()) as Record<
            string,
            unknown
          >
        )[key];
      expect(await read(cookie)).toBe("tok.en/+=");
      expect(await read(cookie.replace("tok.en", "tok.EN"))).toBe(false);
      expect(await read("s=plain")).toBeNull();
      expect(await read()).toBeNull();
    }
  });
});
