import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { guardedSession, resetSessionGuard, sessionGuardCounts } from "../../../src/lib/d1-session.ts";

afterEach(() => {
  resetSessionGuard();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

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

  it("re-runs a read that does not settle on the primary, that read only: the next one uses the session again", async () => {
    const { db, counts } = flakySessions();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    counts.hang = true;
    expect(await guardedSession(db, null, 20).prepare("select ?1 as n").bind(7).first("n")).toBe(7);
    expect(sessionGuardCounts()).toEqual({ fallbacks: 1, pauses: 0 });

    counts.hang = false;
    const session = guardedSession(db, null, 20);
    expect(await session.prepare("select 8 as n").first("n")).toBe(8);
    const [r] = await session.batch([session.prepare("select 9 as n")]);
    expect(r?.results).toEqual([{ n: 9 }]);
    expect(counts.sessionCalls).toBe(3); // the timed-out read, then both reads on a working session
    expect(sessionGuardCounts()).toEqual({ fallbacks: 1, pauses: 0 });
    expect(errors).not.toHaveBeenCalled();
  });

  it("after three timeouts in a row reads from the primary for a minute, then tries sessions again", async () => {
    const { db, counts } = flakySessions();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    counts.hang = true;
    for (const n of [1, 2, 3])
      expect(await guardedSession(db, null, 20).prepare(`select ${n} as n`).first("n")).toBe(n);
    expect(sessionGuardCounts()).toEqual({ fallbacks: 3, pauses: 1 });
    expect(errors).toHaveBeenCalledOnce();

    // Paused: reads and batches go straight to the primary, the session is not asked.
    const asked = counts.sessionCalls;
    const session = guardedSession(db, null, 10_000);
    expect(await session.prepare("select 4 as n").first("n")).toBe(4);
    const [r] = await session.batch([session.prepare("select 5 as n")]);
    expect(r?.results).toEqual([{ n: 5 }]);
    expect(counts.sessionCalls).toBe(asked);
    expect(sessionGuardCounts()).toEqual({ fallbacks: 3, pauses: 1 });

    // A minute later sessions are tried again (and work again).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    counts.hang = false;
    expect(await guardedSession(db, null, 20).prepare("select 6 as n").first("n")).toBe(6);
    expect(counts.sessionCalls).toBe(asked + 1);
    expect(sessionGuardCounts()).toEqual({ fallbacks: 3, pauses: 1 });
  });
});

/**
 * The real local D1 whose sessions hang while `counts.hang` is set (the one stand-in: a Sessions
 * API that hangs cannot be produced locally), counting the calls made on sessions.
 */
const QUERIES = ["first", "all", "raw", "run", "batch"];

function flakySessions() {
  const counts = { hang: false, sessionCalls: 0 };
  const never = () => new Promise(() => {});
  const hangingStatement = { bind: () => hangingStatement, first: never, all: never, raw: never, run: never };
  const counted = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, p) {
        const value = Reflect.get(t, p, t);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const out = value.apply(t, args);
          if (typeof p === "string" && QUERIES.includes(p)) counts.sessionCalls++;
          return out !== null && typeof out === "object" && p !== "batch" ? counted(out) : out;
        };
      },
    });
  const hanging = counted({ prepare: () => hangingStatement, batch: never, getBookmark: () => null });
  const db = new Proxy(env.DB, {
    get: (t, p) =>
      p === "withSession"
        ? (constraint: string) => (counts.hang ? hanging : counted(t.withSession(constraint)))
        : Reflect.get(t, p, t),
  });
  return { db, counts };
}
