import { guardedSession } from "../../lib/d1-session.ts";
import { CommentsUnavailable } from "./rows.ts";

/**
 * The handle reads go through: a D1 session that starts at `bookmark` (a write's bookmark, so
 * the reader sees at least that write) or anywhere when there is none. With read replication
 * off this is the primary, as before; turning replicas on needs no code change. A session that
 * hangs falls back to the primary (src/lib/d1-session.ts).
 */
export function readSession(db: D1Database, bookmark?: string | null): D1DatabaseSession {
  try {
    return guardedSession(db, bookmark);
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
