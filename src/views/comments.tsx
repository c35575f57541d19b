import { raw } from "hono/html";
import type { Comment } from "../comments/store/rows.ts";
import { strings } from "../i18n/index.ts";
import { renderCommentBody } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";
import { CommentActions, CommentMarks, CommentOrder, EditForm } from "./comment-edit.tsx";
import { CommentForm, type CommentFormState } from "./comment-form.tsx";
import { formatTime } from "./format.ts";

/** Replies nest this deep; deeper replies are listed at this depth, in order, under their thread. */
export const MAX_NESTING = 4;

export type { CommentFormState, FormField } from "./comment-form.tsx";

export interface CommentListState {
  comments: Comment[];
  /** Published comments on the post (all pages). */
  count: number;
  /** Query value (`?comments=`) of the next page, or null on the last page. */
  next: string | null;
  /** True when this is not the first page. */
  paged: boolean;
  /** Newest threads first (paged), or the most liked threads first (`?order=best`, one page). */
  order?: "newest" | "best";
}

export interface CommentSectionProps {
  slug: string;
  lang: string;
  /** null when the comments could not be read (D1 down): the section says so and keeps the form. */
  list: CommentListState | null;
  form: CommentFormState;
  /** The reader's own comments they may still edit or delete (a page showing them is personal). */
  editable?: ReadonlySet<number>;
}

interface Node {
  comment: Comment;
  children: Node[];
  /** The parent is not on this page (removed, or on an earlier page). */
  orphan: boolean;
}

/** Threads from a page of comments in thread order; a reply whose parent is absent starts a branch. */
function threads(comments: Comment[]): Node[] {
  const nodes = new Map<number, Node>();
  const roots: Node[] = [];
  for (const comment of comments) {
    const parent = comment.parentId === null ? undefined : nodes.get(comment.parentId);
    const node: Node = { comment, children: [], orphan: comment.parentId !== null && !parent };
    nodes.set(comment.id, node);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** A node and all its descendants in reading order (for replies past the nesting cap). */
function flatten(node: Node): Node[] {
  return [node, ...node.children.flatMap(flatten)];
}

interface ItemProps {
  node: Node;
  slug: string;
  lang: string;
  level: number;
  editable: ReadonlySet<number>;
}

function CommentItem({ node, slug, lang, level, editable }: ItemProps) {
  const { comment } = node;
  const replies = level < MAX_NESTING ? node.children : [];
  const flattened = level < MAX_NESTING ? [] : node.children.flatMap(flatten);
  const t = strings(lang);
  return (
    <>
      <li id={`comment-${comment.id}`} class={comment.status === "pending" ? "comment held" : "comment"}>
        <article>
          <header class="comment-meta">
            <strong class="comment-author">{comment.author}</strong>
            <CommentMarks comment={comment} lang={lang} />{" "}
            <a class="comment-link" href={`#comment-${comment.id}`}>
              <time datetime={comment.createdAt} data-tz={t.timeZone}>
                {formatTime(comment.createdAt, lang)}
              </time>
            </a>
            {node.orphan && <span class="meta">{t.inReplyToEarlier}</span>}
            {comment.status === "pending" && <span class="comment-held-note">{t.awaitingModeration}</span>}
          </header>
          <div class="comment-body">{raw(renderCommentBody(comment.body))}</div>
          <a class="comment-reply" href={`${postPath(slug)}?reply=${comment.id}#comment-form`}>
            {t.reply}
            <span class="visually-hidden">{t.replyToHidden(comment.author)}</span>
          </a>
          <CommentActions comment={comment} slug={slug} editable={editable.has(comment.id)} lang={lang} />
        </article>
        {replies.length > 0 && (
          <ol class="comment-replies">
            {replies.map((child) => (
              <CommentItem node={child} slug={slug} lang={lang} level={level + 1} editable={editable} />
            ))}
          </ol>
        )}
      </li>
      {flattened.map((descendant) => (
        <CommentItem node={{ ...descendant, children: [] }} slug={slug} lang={lang} level={level} editable={editable} />
      ))}
    </>
  );
}

/** `autofocus` (and `tabindex`, which a message needs to take focus) when `on`. */
/** The comments of an article (threaded, paged) and the form; composed into the article page. */
export function CommentSection({ slug, lang, list, form, editable = new Set() }: CommentSectionProps) {
  const t = strings(lang);
  return (
    <section id="comments" class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {t.comments}
        {list && list.count > 0 ? <span class="meta"> ({list.count})</span> : null}
      </h2>
      {list === null ? (
        <p class="notice" role="status">
          {t.commentsUnavailable}
        </p>
      ) : list.comments.length === 0 ? (
        <p class="meta">{list.paged ? t.noMoreComments : t.noComments}</p>
      ) : (
        <>
          {list.count > 1 && !list.paged && <CommentOrder slug={slug} order={list.order ?? "newest"} lang={lang} />}
          <ol class="comment-list">
            {threads(list.comments).map((node) => (
              <CommentItem node={node} slug={slug} lang={lang} level={1} editable={editable} />
            ))}
          </ol>
        </>
      )}
      {list && (list.paged || list.next) && (
        <nav class="pager" aria-label={t.commentPages}>
          {list.paged ? <a href={`${postPath(slug)}#comments`}>{t.firstComments}</a> : <span />}
          {list.next ? (
            <a href={`${postPath(slug)}?comments=${encodeURIComponent(list.next)}#comments`} rel="next">
              {t.moreComments}
            </a>
          ) : (
            <span />
          )}
        </nav>
      )}
      {form.editing ? (
        <EditForm slug={slug} form={form} lang={lang} />
      ) : (
        <CommentForm slug={slug} form={form} lang={lang} />
      )}
    </section>
  );
}
