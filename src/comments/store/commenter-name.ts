import type { Db } from "./rows.ts";

/**
 * The name the commenter signed their latest comment with (any status: it is their own), found by
 * the hash their cookie gives (`readViewer`), or null when they have none or D1 cannot say. A
 * convenience for their next comment, so a failure is logged and never fails the page.
 */
export async function lastNameOf(db: Db, authorHash: string): Promise<string | null> {
  try {
    const row = await lastNameStatement(db, authorHash).first<{ author: string }>();
    return row?.author ?? null;
  } catch (error) {
    console.error("D1 reading the commenter's last name failed", error);
    return null;
  }
}

/** The query behind `lastNameOf`, for a caller that sends it in its own batch (one round trip); its one row's `author`. */
export const lastNameStatement = (db: Db, authorHash: string) =>
  db.prepare("SELECT author FROM comments WHERE author_hash = ?1 ORDER BY id DESC LIMIT 1").bind(authorHash);
