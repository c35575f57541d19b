import { CommentsUnavailable } from "../comments/store/rows.ts";

/**
 * The admin's rows in D1 (migrations/0004_create_admin_sessions.sql): signed-in sessions and
 * locked-out addresses. Any D1 failure becomes `CommentsUnavailable` (the one database is down),
 * which the admin answers with a 503: without D1 it cannot tell a live session from a revoked one.
 */

async function d1<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new CommentsUnavailable(`D1 ${what} failed`, { cause: error });
  }
}

/** Records a new session (by the hash of its id) until `expiresAt`; drops sessions and lockouts that are over. */
export function saveSession(db: D1Database, idHash: string, now: number, expiresAt: number): Promise<unknown> {
  return d1("admin session insert", () =>
    db.batch([
      db.prepare("DELETE FROM admin_sessions WHERE expires_at <= ?1").bind(now),
      db.prepare("DELETE FROM admin_lockouts WHERE locked_until <= ?1").bind(now),
      db
        .prepare("INSERT INTO admin_sessions (id_hash, created_at, expires_at) VALUES (?1, ?2, ?3)")
        .bind(idHash, now, expiresAt),
    ]),
  );
}

/** Whether the session is signed in: its row exists and has not expired. */
export async function sessionLive(db: D1Database, idHash: string, now: number): Promise<boolean> {
  const row = await d1("admin session read", () =>
    db.prepare("SELECT 1 AS live FROM admin_sessions WHERE id_hash = ?1 AND expires_at > ?2").bind(idHash, now).first(),
  );
  return row !== null;
}

/** Ends one session. */
export function deleteSession(db: D1Database, idHash: string): Promise<unknown> {
  return d1("admin session delete", () =>
    db.prepare("DELETE FROM admin_sessions WHERE id_hash = ?1").bind(idHash).run(),
  );
}

/** Ends every session ("Sign out everywhere"). */
export function deleteAllSessions(db: D1Database): Promise<unknown> {
  return d1("admin session delete", () => db.prepare("DELETE FROM admin_sessions").run());
}

/** Until when (ms since the epoch) an address is locked out, or null when it is not. */
export async function lockedUntil(db: D1Database, ipHash: string, now: number): Promise<number | null> {
  const row = await d1("admin lockout read", () =>
    db
      .prepare("SELECT locked_until FROM admin_lockouts WHERE ip_hash = ?1 AND locked_until > ?2")
      .bind(ipHash, now)
      .first<{ locked_until: number }>(),
  );
  return row?.locked_until ?? null;
}

/** Locks an address out until `until`. */
export function lockOut(db: D1Database, ipHash: string, until: number): Promise<unknown> {
  return d1("admin lockout write", () =>
    db
      .prepare(
        "INSERT INTO admin_lockouts (ip_hash, locked_until) VALUES (?1, ?2) ON CONFLICT (ip_hash) DO UPDATE SET locked_until = max(locked_until, excluded.locked_until)",
      )
      .bind(ipHash, until)
      .run(),
  );
}
