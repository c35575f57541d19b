import { lastNameOf, lastNameStatement } from "./commenter-name.ts";
import { editableIds, editableStatement, toEditable } from "./edits.ts";
import type { Db } from "./rows.ts";

/** What `ownReads` gives: statements for the page's batch, and the answers. */
export interface OwnReads {
  /** To add to the comments batch; their results go to `take`, in the same order. */
  statements: D1PreparedStatement[];
  take(results: D1Result[]): void;
  /** The ids of the reader's comments on the post they may still edit (empty when editing is off). */
  editable(): Promise<Set<number>>;
  /** The name they signed their last comment with, or null. */
  lastName(): Promise<string | null>;
}

/**
 * What the article page reads of a reader's own (the comments they may still edit, and with
 * `name` the name they signed their last one with), sent in the page's comments batch, so a
 * commenter's view is one D1 round trip: on the primary for a reader who just wrote
 * (src/comments/store/sessions.ts), one round trip to it rather than three. Each is read on its
 * own only when no batch carried it (the "best" order's page, or a name wanted only once the
 * page turned out to be theirs). `editableSince`: the edit window's start (ms), null when
 * comments cannot be edited.
 */
export function ownReads(
  db: Db,
  slug: string,
  authorHash: string,
  { editableSince, name }: { editableSince: number | null; name: boolean },
): OwnReads {
  const editing = editableSince !== null;
  const statements: D1PreparedStatement[] = [];
  if (editing) statements.push(editableStatement(db, slug, authorHash, editableSince));
  if (name) statements.push(lastNameStatement(db, authorHash));
  let taken: D1Result[] | null = null;
  return {
    statements,
    take: (results) => {
      taken = results;
    },
    editable: async () =>
      !editing
        ? new Set()
        : taken
          ? toEditable((taken[0]?.results ?? []) as { id: number }[])
          : editableIds(db, slug, authorHash, editableSince),
    lastName: async () =>
      taken && name
        ? ((taken[editing ? 1 : 0]?.results[0] as { author?: string } | undefined)?.author ?? null)
        : lastNameOf(db, authorHash),
  };
}
