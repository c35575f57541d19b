/**
 * Reads through D1's Sessions API, so turning on read replication in the dashboard needs no
 * code change: a reader without a bookmark may read any replica ("first-unconstrained"); a
 * reader with one (the commenter who just wrote) reads data at least as new as their write.
 *
 * Guard (after EmDash PR #1716): where the Sessions API silently blocks, session queries never
 * settle. A read that does not finish within the timeout is run again on the plain binding
 * (the primary), and this isolate stops using sessions.
 */
const TIMED_OUT = Symbol("timed out");
let sessionsHang = false;

export type Queryable = D1Database | D1DatabaseSession;

/** Forgets that sessions hung in this isolate (tests). */
export function resetSessionGuard(): void {
  sessionsHang = false;
}

/**
 * Runs `read` on a D1 session that starts at `bookmark` (or anywhere), falling back to the
 * primary when the session hangs. Returns the value and the session's bookmark to hand on.
 */
export async function readWithSession<T>(
  db: D1Database,
  bookmark: string | null | undefined,
  read: (db: Queryable) => Promise<T>,
  timeoutMs = 3000,
): Promise<{ value: T; bookmark: string | null }> {
  if (sessionsHang || typeof db.withSession !== "function")
    return { value: await read(db), bookmark: bookmark ?? null };
  const session = db.withSession(bookmark || "first-unconstrained");
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    const result = await Promise.race([read(session), timeout]);
    if (result !== TIMED_OUT) return { value: result, bookmark: session.getBookmark() };
  } finally {
    clearTimeout(timer);
  }
  sessionsHang = true;
  console.error(`D1 session query did not settle within ${timeoutMs} ms; reading from the primary from now on`);
  return { value: await read(db), bookmark: bookmark ?? null };
}

/**
 * Runs a write on a session that starts at the primary and returns the bookmark after it, so
 * the writer's next read (carrying the bookmark) sees the write even on a replica.
 */
export async function writeWithSession<T>(
  db: D1Database,
  write: (db: Queryable) => Promise<T>,
): Promise<{ value: T; bookmark: string | null }> {
  if (typeof db.withSession !== "function") return { value: await write(db), bookmark: null };
  const session = db.withSession("first-primary");
  const value = await write(session);
  return { value, bookmark: session.getBookmark() };
}
