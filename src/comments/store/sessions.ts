import { guardedSession } from "../../lib/d1-session.ts";
import { CommentsUnavailable } from "./rows.ts";

/**
 * The handle reads go through: anywhere ("first-unconstrained", the nearest replica) for readers
 * who wrote nothing lately, and the primary, every query of it, for a reader holding a write's
 * `bookmark` (they wrote in the last few minutes). Starting such a reader's session at the
 * bookmark would be correct too, but the nearest replica then waits until replication reaches
 * the write; and a `first-primary` session sends only its first query to the primary ("Subsequent
 * queries in the Session may use read replicas", D1 docs, `withSession`), which wait in turn for
 * the primary's newer bookmark. The plain binding runs every query on the primary ("otherwise all
 * queries will continue to be executed only by the primary database"), always at least as new as
 * the bookmark; the page reads the view in one batch, so that is one round trip to the primary
 * (docs/regions.md). With read replication off both are the primary. A session that hangs falls
 * back to the primary (src/lib/d1-session.ts).
 */
export function readSession(db: D1Database, bookmark?: string | null): D1DatabaseSession {
  if (bookmark) return onPrimary(db);
  try {
    return guardedSession(db, null);
  } catch (error) {
    throw new CommentsUnavailable("D1 session failed", { cause: error });
  }
}

/** The plain binding (the primary) with a session's shape; it has no bookmark to give. */
const onPrimary = (db: D1Database): D1DatabaseSession => ({
  prepare: (sql) => db.prepare(sql),
  batch: (statements) => db.batch(statements),
  getBookmark: () => null,
});

/** The handle writes go through: the primary, with a bookmark to hand to the writer's next reads. */
export function writeSession(db: D1Database): D1DatabaseSession {
  try {
    return db.withSession("first-primary");
  } catch (error) {
    throw new CommentsUnavailable("D1 session failed", { cause: error });
  }
}
