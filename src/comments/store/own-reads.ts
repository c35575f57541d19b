import { lastNameOf, lastNameStatement } from "./commenter-name.ts";
import { editableIds, editableStatement, toEditable } from "./edits.ts";
import type { Db } from "./rows.ts";

/**
 * What the article page reads of a reader's own (the comments they may still edit, the name they
 * signed their last one with), sent in the page's comments batch when there is one
 * (`statements`, then `take` with their results), so a commenter's view is one D1 round trip:
 * on the primary for a reader who just wrote (src/comments/store/sessions.ts), that is one round
 * trip to it rather than three. Read on their own only when no batch carried them (the "best"
 * order's page).
 */
export class OwnReads {
  readonly #db: Db;
  readonly #slug: string;
  readonly #authorHash: string;
  readonly #editableSince: number | null;
  readonly #name: boolean;
  #taken: D1Result[] | null = null;

  /** `editableSince`: the edit window's start (ms), null when comments cannot be edited; `name`: the last name goes in the batch. */
  constructor(db: Db, slug: string, authorHash: string, options: { editableSince: number | null; name: boolean }) {
    this.#db = db;
    this.#slug = slug;
    this.#authorHash = authorHash;
    this.#editableSince = options.editableSince;
    this.#name = options.name;
  }

  /** The statements to add to a batch, in the order `take` expects their results. */
  statements(): D1PreparedStatement[] {
    const out: D1PreparedStatement[] = [];
    if (this.#editableSince !== null)
      out.push(editableStatement(this.#db, this.#slug, this.#authorHash, this.#editableSince));
    if (this.#name) out.push(lastNameStatement(this.#db, this.#authorHash));
    return out;
  }

  /** The results of `statements()` as the batch returned them. */
  take(results: D1Result[]): void {
    this.#taken = results;
  }

  /** The ids of the reader's comments on the post they may still edit (empty when editing is off). */
  async editable(): Promise<Set<number>> {
    if (this.#editableSince === null) return new Set();
    if (this.#taken) return toEditable((this.#taken[0]?.results ?? []) as { id: number }[]);
    return editableIds(this.#db, this.#slug, this.#authorHash, this.#editableSince);
  }

  /** The name they signed their last comment with, or null: from the batch when `name` put it there, else read now. */
  async lastName(): Promise<string | null> {
    if (!this.#taken || !this.#name) return lastNameOf(this.#db, this.#authorHash);
    const row = this.#taken[this.#editableSince === null ? 0 : 1]?.results[0] as { author?: string } | undefined;
    return row?.author ?? null;
  }
}
