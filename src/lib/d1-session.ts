/**
 * D1 reads through the Sessions API, guarded against sessions that never answer.
 *
 * Where the Sessions API silently blocks (EmDash PR #1716: a compatibility flag made every
 * session query hang until the Worker was killed), a read that does not settle within the
 * timeout is run again on the plain binding (the primary), and this isolate stops racing
 * sessions: it reads from the primary from then on and logs the cause once.
 */
const TIMED_OUT = Symbol("timed out");
let sessionsHang = false;

/** Forgets that sessions hung in this isolate (tests). */
export function resetSessionGuard(): void {
  sessionsHang = false;
}

type Terminal = "first" | "all" | "raw" | "run";

/** A prepared statement that knows how to re-create itself on the primary. */
class GuardedStatement {
  readonly #session: D1PreparedStatement;
  readonly #primary: () => D1PreparedStatement;
  readonly #timeoutMs: number;

  constructor(session: D1PreparedStatement, primary: () => D1PreparedStatement, timeoutMs: number) {
    this.#session = session;
    this.#primary = primary;
    this.#timeoutMs = timeoutMs;
  }

  bind(...values: unknown[]): GuardedStatement {
    return new GuardedStatement(this.#session.bind(...values), () => this.#primary().bind(...values), this.#timeoutMs);
  }

  first(column?: string): Promise<unknown> {
    return this.#call("first", column === undefined ? [] : [column]);
  }
  all(): Promise<unknown> {
    return this.#call("all", []);
  }
  raw(options?: unknown): Promise<unknown> {
    return this.#call("raw", options === undefined ? [] : [options]);
  }
  run(): Promise<unknown> {
    return this.#call("run", []);
  }

  /** The statement on the session, or on the primary once sessions are known to hang. */
  statement(): D1PreparedStatement {
    return sessionsHang ? this.#primary() : this.#session;
  }
  primary(): D1PreparedStatement {
    return this.#primary();
  }

  #call(method: Terminal, args: unknown[]): Promise<unknown> {
    const invoke = (s: D1PreparedStatement) => (s[method] as (...a: unknown[]) => Promise<unknown>).apply(s, args);
    return guarded(
      () => invoke(this.statement()),
      () => invoke(this.#primary()),
      this.#timeoutMs,
    );
  }
}

async function guarded<T>(attempt: () => Promise<T>, fallback: () => Promise<T>, timeoutMs: number): Promise<T> {
  if (sessionsHang) return fallback();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    const result = await Promise.race([attempt(), timeout]);
    if (result !== TIMED_OUT) return result;
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
  if (!sessionsHang) {
    sessionsHang = true;
    console.error(`D1 session query did not settle within ${timeoutMs} ms: reading from the primary from now on`);
  }
  return fallback();
}

/**
 * A read handle on a D1 session that starts at `bookmark` (the reader's last write, so they see
 * at least that) or anywhere ("first-unconstrained", any replica) when there is none. It has the
 * session's API (`prepare`, `batch`, `getBookmark`), so storage code cannot tell the difference.
 */
export function guardedSession(db: D1Database, bookmark?: string | null, timeoutMs = 3000): D1DatabaseSession {
  const session = db.withSession(bookmark || "first-unconstrained");
  const handle = {
    prepare: (sql: string) => new GuardedStatement(session.prepare(sql), () => db.prepare(sql), timeoutMs),
    batch: (statements: GuardedStatement[]) =>
      guarded(
        () => (sessionsHang ? db : session).batch(statements.map((s) => s.statement())),
        () => db.batch(statements.map((s) => s.primary())),
        timeoutMs,
      ),
    getBookmark: () => session.getBookmark(),
  };
  // The handle mirrors D1DatabaseSession's methods; its statements are GuardedStatements.
  return handle as unknown as D1DatabaseSession;
}
