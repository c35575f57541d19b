import type { Context } from "hono";
import { randomToken } from "../lib/crypto.ts";
import type { AppEnv } from "../types.ts";
import type { CommentFormState, CommentSectionProps } from "../views/comments.tsx";
import { type CommentConfig, commentConfig } from "./config.ts";
import { formatCursor, parseCursor, parseId } from "./cursor.ts";
import { articleComments, type Comment, CommentsUnavailable, getVisibleComment, readSession } from "./store.ts";
import { readBookmark, readViewer } from "./viewer.ts";

/** Comments shown per article page (threads continue on `?comments=<cursor>`). */
export const COMMENTS_PER_PAGE = 50;

/** The line under the form telling commenters what happens to their comment. */
export function moderationNote(config: CommentConfig): string | null {
  if (config.moderation === "hold-all") return "Comments appear once the site owner approves them.";
  if (config.moderation === "hold-links") return "Comments with links wait for the site owner's approval.";
  return null;
}

/**
 * Everything the article page's comment section shows for this request: the page of comments
 * the viewer may see (their own held ones included), the reply target from `?reply=`, and the
 * form (fresh, or as the reader sent it with `form`'s errors). When D1 fails, `list` is null and
 * the article still renders.
 */
export async function loadCommentSection(
  c: Context<AppEnv>,
  slug: string,
  form?: Pick<CommentFormState, "values" | "errors"> & { token?: string },
): Promise<CommentSectionProps> {
  const config = commentConfig(c.env);
  const after = parseCursor(c.req.query("comments") ?? "");
  const replyId = form ? parseId(form.values.parent) : parseId(c.req.query("reply"));
  let list: CommentSectionProps["list"] = null;
  let replyTo: Comment | null = null;
  try {
    const viewer = await readViewer(c);
    const db = readSession(c.env.DB, readBookmark(c));
    const { state, page } = await articleComments(db, slug, {
      after,
      limit: COMMENTS_PER_PAGE,
      authorHash: viewer?.authorHash,
    });
    c.set("etagBasis", `comments:${state.version}:${after ? formatCursor(after) : ""}`);
    list = {
      comments: page.comments,
      count: state.count,
      next: page.next ? formatCursor(page.next) : null,
      paged: after !== null,
    };
    if (replyId !== null && !form?.errors.parent) {
      replyTo =
        page.comments.find((comment) => comment.id === replyId) ??
        (await getVisibleComment(db, slug, replyId, viewer?.authorHash ?? null));
    }
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    console.error(error.message, error.cause);
    c.set("etagBasis", "comments:unavailable");
  }
  return {
    slug,
    lang: c.var.site.lang,
    list,
    form: {
      values: form?.values ?? { name: "", body: "", parent: "" },
      errors: form?.errors ?? {},
      token: form?.token ?? randomToken(),
      replyTo: replyTo ? { id: replyTo.id, author: replyTo.author } : null,
      turnstileSiteKey: config.turnstileSecret ? config.turnstileSiteKey : null,
      moderationNote: moderationNote(config),
    },
  };
}
