import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readWithSession, resetSessionGuard, writeWithSession } from "../../../src/lib/d1-session.ts";

afterEach(resetSessionGuard);

const one = (db: { prepare(sql: string): D1PreparedStatement }) =>
  db.prepare("select 1 as n").first<{ n: number }>("n");

describe("D1 sessions", () => {
  it("reads through a session on the real local D1 and hands on a bookmark", async () => {
    const { value } = await readWithSession(env.DB, null, one);
    expect(value).toBe(1);
    const write = await writeWithSession(env.DB, one);
    expect(write.value).toBe(1);
    const read = await readWithSession(env.DB, write.bookmark, one);
    expect(read.value).toBe(1);
  });

  it("falls back to the primary when a session query never settles, and stops using sessions", async () => {
    // The one stand-in: a Sessions API that hangs cannot be produced locally.
    const hanging = {
      prepare: () => ({ first: () => new Promise(() => {}) }),
      getBookmark: () => null,
    } as unknown as D1DatabaseSession;
    const withSession = vi.fn(() => hanging);
    const db = new Proxy(env.DB, { get: (t, p) => (p === "withSession" ? withSession : Reflect.get(t, p, t)) });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});

    const { value } = await readWithSession(db, null, one, 20);
    expect(value).toBe(1);
    expect(errors).toHaveBeenCalledOnce();
    await readWithSession(db, null, one, 20);
    expect(withSession).toHaveBeenCalledOnce();
  });
});
