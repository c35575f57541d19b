/**
 * D1 reads through the Sessions API, guarded against sessions that do not answer.
 *
 * A session read that does not settle within the timeout is run again on the plain binding (the
 * primary): that read only, so a replica that is slow for a moment (a lag spike, a starved
 * machine) costs one read's detour, not the isolate's replicas for good. Where the Sessions API
 * blocks for good (EmDash PR #1716: a compatibility flag made every session query hang until the
 * Worker was killed), every read would wait the timeout first: after `STRIKES` timeouts in a row
 * (no session read settled in between) this isolate reads from the primary for `PAUSE_MS`, then
 * tries sessions again. Each pause is logged.
 */
const TIMED_OUT = Symbol("timed out");
/** Session reads timing out in a row before sessions pause. */
const STRIKES = 3;
/** How long sessions pause after that; then they are tried again. */
const PAUSE_MS = 60_000;
let strikes = 0;
let pausedUntil = 0;
/** What the guard did in this isolate: reads re-run on the primary, and pauses. */
const counts = { fallbacks: 0, pauses: 0 };

/** Forgets what the guard saw in this isolate (tests). */
export function resetSessionGuard(): void {
  strikes = 0;
  pausedUntil = 0;
  counts.fallbacks = 0;
  counts.pauses = 0;
}

/** How many reads fell back to the primary after a timeout, and how many pauses followed (tests). */
export const sessionGuardCounts = (): Readonly<typeof counts> => ({ ...counts });

const paused = () => Date.now() < pausedUntil;

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

  /** The statement on the session, or on the primary while sessions pause. */
  statement(): D1PreparedStatement {
    return paused() ? this.#primary() : this.#session;
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
  if (paused()) return fallback();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    const result = await Promise.race([attempt(), timeout]);
    if (result !== TIMED_OUT) {
      strikes = 0;
      return result;
    }
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
  counts.fallbacks++;
  if (++strikes >= STRIKES && !paused()) {
    strikes = 0;
    pausedUntil = Date.now() + PAUSE_MS;
    counts.pauses++;
    console.error(
      `D1 session queries did not settle within ${timeoutMs} ms ${STRIKES} times in a row: reading from the primary for ${PAUSE_MS / 1000} s`,
    );
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
        () => (paused() ? db : session).batch(statements.map((s) => s.statement())),
        () => db.batch(statements.map((s) => s.primary())),
        timeoutMs,
      ),
    getBookmark: () => session.getBookmark(),
  };
  // The handle mirrors D1DatabaseSession's methods; its statements are GuardedStatements.
  return handle as unknown as D1DatabaseSession;
}
