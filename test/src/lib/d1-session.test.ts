import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { guardedSession, resetSessionGuard } from "../../../src/lib/d1-session.ts";

afterEach(resetSessionGuard);

describe("guardedSession", () => {
  it("reads through a session on the real local D1 and hands on a bookmark", async () => {
    const session = guardedSession(env.DB, null);
    expect(await session.prepare("select ?1 + 1 as n").bind(1).first("n")).toBe(2);
    expect(await session.prepare("select 1 as n").all()).toMatchObject({ results: [{ n: 1 }] });
    const [a, b] = await session.batch([session.prepare("select 1 as n"), session.prepare("select 2 as n")]);
    expect([a?.results, b?.results]).toEqual([[{ n: 1 }], [{ n: 2 }]]);
    const bookmark = env.DB.withSession("first-primary").getBookmark();
    expect(await guardedSession(env.DB, bookmark).prepare("select 3 as n").first("n")).toBe(3);
  });

  it("falls back to the primary when session queries never settle, and stops using sessions", async () => {
    // The one stand-in: a Sessions API that hangs cannot be produced locally.
    const never = () => new Promise(() => {});
    const hangingStatement = { bind: () => hangingStatement, first: never, all: never, raw: never, run: never };
    const hanging = { prepare: () => hangingStatement, batch: never, getBookmark: () => null };
    const db = new Proxy(env.DB, { get: (t, p) => (p === "withSession" ? () => hanging : Reflect.get(t, p, t)) });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});

    const session = guardedSession(db, null, 20);
    expect(await session.prepare("select ?1 as n").bind(7).first("n")).toBe(7);
    expect(errors).toHaveBeenCalledOnce();
    // Latched: later reads go straight to the primary, batches included, without waiting.
    const started = Date.now();
    const [r] = await guardedSession(db, null, 10_000).batch([session.prepare("select 8 as n")]);
    expect(r?.results).toEqual([{ n: 8 }]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(errors).toHaveBeenCalledOnce();
  });
});
