import { guardedSession } from "../../lib/d1-session.ts";
import { CommentsUnavailable } from "./rows.ts";

/**
 * The handle reads go through: anywhere ("first-unconstrained", the nearest replica) for readers
 * who wrote nothing lately, and the primary for a reader holding a write's `bookmark` (they wrote
 * in the last few minutes). Starting such a reader's session at the bookmark would be correct too,
 * but the nearest replica then waits until replication reaches the write: in the simulated global
 * deployment (docs/regions.md) the poster's next load waited the whole replica lag (about 1 s)
 * instead of one round trip to the primary. The primary is always at least as new as the
 * bookmark. With read replication off both are the primary. A session that hangs falls back to
 * the primary (src/lib/d1-session.ts).
 */
export function readSession(db: D1Database, bookmark?: string | null): D1DatabaseSession {
  try {
    return guardedSession(db, bookmark ? "first-primary" : null);
  } catch (error) {
    throw new CommentsUnavailable("D1 session failed", { cause: error });
  }
}

/** The handle writes go through: the primary, with a bookmark to hand to the writer's next reads. */
export function writeSession(db: D1Database): D1DatabaseSession {
  try {
    return db.withSession("first-primary");
  } catch (error) {
    throw new CommentsUnavailable("D1 session failed", { cause: error });
  }
}
