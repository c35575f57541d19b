import type { Context } from "hono";
import { markDegraded, markPersonal, noteModified } from "../cache/marks.ts";
import type { Message } from "../i18n/index.ts";
import { randomToken } from "../lib/crypto.ts";
import { Refused } from "../lib/refused.ts";
import type { AppEnv } from "../types.ts";
import type { ModerationNote } from "../views/comment-form.tsx";
import type { CommentFormState, CommentSectionProps } from "../views/comments.tsx";
import { type CommentConfig, commentConfig } from "./config.ts";
import { formatCursor, parseCursor, parseId } from "./cursor.ts";
import { isEditable, NOT_YOURS, windowClosed } from "./edit.ts";
import { bestComments } from "./store/best.ts";
import { ownedComment } from "./store/edits.ts";
import { type OwnReads, ownReads } from "./store/own-reads.ts";
import { articleComments, getVisibleComment } from "./store/pages.ts";
import { type Comment, CommentsUnavailable } from "./store/rows.ts";
import { readSession } from "./store/sessions.ts";
import { readBookmark, readViewer, wantsOwnView } from "./viewer.ts";

/** Comments shown per article page (threads continue on `?comments=<cursor>`). */
export const COMMENTS_PER_PAGE = 50;

/** Which line under the form tells commenters what happens to their comment (the catalog words it). */
export function moderationNote(config: CommentConfig): ModerationNote | null {
  if (config.moderation === "hold-all") return "holdAll";
  if (config.moderation === "hold-links") return "holdLinks";
  return null;
}

/**
 * Whether this render is one reader's own anyway, never stored in or served from a shared cache:
 * it shows them something unpublished, or it is a reply form (`?reply=`), or they posted in the
 * last minutes or have a held comment here (`wantsOwnView`, which the page cache checks too).
 * Only such a render gets the commenter's remembered name: a page that would otherwise be shared
 * stays shared, so the cache never holds one reader's name and hit rates do not change.
 */
function rendersForViewer(c: Context<AppEnv>): boolean {
  return c.get("personal") === true || c.req.query("reply") !== undefined || wantsOwnView(c);
}

/** Threads in the "best" order (`?order=best`): the most liked, with their replies, on one page. */
export const BEST_THREADS = 20;

/** The "best" order's one page, shaped as a page of the newest order (published comments only, no next page). */
async function bestList(db: Parameters<typeof bestComments>[0], slug: string) {
  const { state, comments } = await bestComments(db, slug, BEST_THREADS, COMMENTS_PER_PAGE * 2);
  return { state, page: { comments, next: null }, cursorFound: true };
}

/** The `?comments=` page cursor: null for the first page; a cursor that is not one of ours is a 400. */
function pageCursor(c: Context<AppEnv>) {
  const raw = c.req.query("comments");
  if (raw === undefined) return null;
  const after = parseCursor(raw);
  if (after === null) throw new Refused(400, NO_SUCH_PAGE);
  return after;
}

const NO_SUCH_PAGE: Message = (t) => t.says.noCommentPage;

/**
 * Everything the article page's comment section shows for this request: the page of comments
 * the viewer may see (their own held ones included), the reply target from `?reply=`, and the
 * form (fresh, or as the reader sent it with `form`'s errors). When D1 fails, `list` is null, the
 * article still renders, and the page is marked degraded. Showing the viewer anything that is not
 * published marks the response personal, so no cache ever keeps it for other readers.
 */
export async function loadCommentSection(
  c: Context<AppEnv>,
  slug: string,
  form?: Pick<CommentFormState, "values" | "errors"> & { token?: string; editing?: number },
): Promise<CommentSectionProps> {
  const config = commentConfig(c.env);
  const after = pageCursor(c);
  const replyId = form ? parseId(form.values.parent) : parseId(c.req.query("reply"));
  let list: CommentSectionProps["list"] = null;
  let replyTo: Comment | null = null;
  let rememberedName: string | null = null;
  let editable = new Set<number>();
  let edit: EditState = { editing: form?.editing ?? null };
  try {
    const viewer = await readViewer(c);
    const db = readSession(c.env.DB, readBookmark(c));
    // The reader's own reads go in the comments batch: one round trip for the whole view.
    const editableSince = config.editWindowMs > 0 ? Date.now() - config.editWindowMs : null;
    const own = viewer && ownReads(db, slug, viewer.authorHash, { editableSince, name: !form && rendersForViewer(c) });
    list = await readList(c, db, slug, after, viewer?.authorHash, own || undefined);
    if (replyId !== null && !form?.errors.parent) {
      replyTo =
        list.comments.find((comment) => comment.id === replyId) ??
        (await getVisibleComment(db, slug, replyId, viewer?.authorHash ?? null));
    }
    const shown = replyTo ? [...list.comments, replyTo] : list.comments;
    if (shown.some((comment) => comment.status !== "published")) markPersonal(c);
    if (viewer && config.editWindowMs > 0) {
      editable = await (own as OwnReads).editable();
      // Edit and Delete links are this reader's own: such a render is never shared.
      if (shown.some((comment) => editable.has(comment.id))) markPersonal(c);
    }
    if (viewer && !form && rendersForViewer(c)) {
      rememberedName = await (own as OwnReads).lastName();
      // Already personal; marked anyway, so the name can never reach a shared cache whatever changes upstream.
      if (rememberedName) markPersonal(c);
    }
    if (!form) edit = await editRequested(c, slug, viewer?.authorHash ?? null);
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    console.error(error.message, error.cause);
    c.set("etagBasis", "comments:unavailable");
    markDegraded(c);
  }
  return {
    slug,
    lang: c.get("site").lang,
    list,
    editable,
    form: {
      values: form?.values ?? edit.values ?? { name: rememberedName ?? "", body: "", parent: "" },
      errors: form?.errors ?? edit.errors ?? {},
      editing: edit.editing,
      token: form?.token ?? randomToken(),
      replyTo: replyTo ? { id: replyTo.id, author: replyTo.author } : null,
      turnstileSiteKey: config.turnstileSecret ? config.turnstileSiteKey : null,
      moderationNote: moderationNote(config),
    },
  };
}

type Section = NonNullable<CommentSectionProps["list"]>;

/** The page of comments this request shows (newest or "best" order), its validators noted for the cache. */
async function readList(
  c: Context<AppEnv>,
  db: ReturnType<typeof readSession>,
  slug: string,
  after: ReturnType<typeof pageCursor>,
  authorHash: string | undefined,
  own?: OwnReads,
): Promise<Section> {
  const best = after === null && c.req.query("order") === "best";
  const extra = own?.statements;
  const { state, page, cursorFound, ...rest } = best
    ? await bestList(db, slug)
    : await articleComments(db, slug, { after, limit: COMMENTS_PER_PAGE, authorHash, extra });
  if ("extra" in rest) own?.take(rest.extra);
  if (!cursorFound) throw new Refused(400, NO_SUCH_PAGE);
  c.set("etagBasis", `comments:${state.version}:${after ? formatCursor(after) : best ? "best" : ""}`);
  if (state.changedAt) noteModified(c, state.changedAt);
  return {
    comments: page.comments,
    count: state.count,
    next: page.next ? formatCursor(page.next) : null,
    paged: after !== null,
    order: best ? "best" : "newest",
  };
}

/** The form's editing state from `?edit=<id>`: the reader's own comment filled in, or why not. */
interface EditState {
  editing: number | null;
  values?: CommentFormState["values"];
  errors?: CommentFormState["errors"];
}

/**
 * `?edit=<id>` opens the form filled in with the reader's own comment while it may be edited
 * (the page is personal: `edit` is a personal parameter of the cache, and it is marked too);
 * otherwise the plain form says why it cannot be edited.
 */
async function editRequested(c: Context<AppEnv>, slug: string, authorHash: string | null): Promise<EditState> {
  const raw = c.req.query("edit");
  if (raw === undefined) return { editing: null };
  markPersonal(c);
  const id = parseId(raw);
  const owned = id === null ? null : await ownedComment(readSession(c.env.DB, readBookmark(c)), slug, id);
  const config = commentConfig(c.env);
  if (!owned || (owned.comment.status !== "published" && owned.comment.status !== "pending"))
    return { editing: null, errors: { form: (t) => t.says.commentGone } };
  if (authorHash === null || owned.authorHash !== authorHash) return { editing: null, errors: { form: NOT_YOURS } };
  if (!isEditable(owned.createdAt, { config, now: Date.now() }))
    return { editing: null, errors: { form: windowClosed(config) } };
  return { editing: owned.comment.id, values: { name: owned.comment.author, body: owned.comment.body, parent: "" } };
}
