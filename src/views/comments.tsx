import { raw } from "hono/html";
import type { Comment } from "../comments/store/rows.ts";
import { BODY_MAX, NAME_MAX, renderCommentBody } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";
import { CommentActions, CommentMarks, CommentOrder, EditForm } from "./comment-edit.tsx";
import { formatTime } from "./format.ts";

/** Formatted once: `toLocaleString` builds a number formatter on every call, on every article render. */
const BODY_MAX_TEXT = BODY_MAX.toLocaleString("en");

/** Replies nest this deep; deeper replies are listed at this depth, in order, under their thread. */
export const MAX_NESTING = 4;

export type FormField = "name" | "body" | "parent" | "form";

/** What the comment form shows: the reader's text (kept through every error) and the messages. */
export interface CommentFormState {
  values: { name: string; body: string; parent: string };
  errors: Partial<Record<FormField, string>>;
  /** One-time token: a double-clicked or retried submission stores one comment. */
  token: string;
  /** The comment being replied to, when the reader chose one. */
  replyTo: { id: number; author: string } | null;
  /** Turnstile's public site key, when the challenge is on. */
  turnstileSiteKey: string | null;
  /** A line under the form about moderation ("comments with links are held"). */
  moderationNote: string | null;
  /** The id of the reader's own comment the form edits (`?edit=`), or null for a new comment. */
  editing?: number | null;
}

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
  return (
    <>
      <li id={`comment-${comment.id}`} class={comment.status === "pending" ? "comment held" : "comment"}>
        <article>
          <header class="comment-meta">
            <strong class="comment-author">{comment.author}</strong>
            <CommentMarks comment={comment} />{" "}
            <a class="comment-link" href={`#comment-${comment.id}`}>
              <time datetime={comment.createdAt}>{formatTime(comment.createdAt, lang)}</time>
            </a>
            {node.orphan && <span class="meta"> · in reply to an earlier comment</span>}
            {comment.status === "pending" && (
              <span class="comment-held-note"> · Awaiting moderation: only you can see this comment for now.</span>
            )}
          </header>
          <div class="comment-body">{raw(renderCommentBody(comment.body))}</div>
          <a class="comment-reply" href={`${postPath(slug)}?reply=${comment.id}#comment-form`}>
            Reply<span class="visually-hidden"> to {comment.author}</span>
          </a>
          <CommentActions comment={comment} slug={slug} editable={editable.has(comment.id)} />
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
export const focusable = (on: boolean) => (on ? { tabindex: -1, autofocus: true } : {});

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} class="field-error">
      {message}
    </p>
  ) : null;
}

/**
 * The comment form: works without JavaScript, keeps what the reader typed, errors by the field.
 * A refused comment's page comes back with the first field in error focused (`autofocus`, which
 * also scrolls it into view; without JavaScript), or the form's message when no field is at
 * fault. The action has no `#fragment` for that reason: browsers ignore `autofocus` on a page
 * whose address has one (a success redirects to the new comment's own anchor).
 */
export function CommentForm({ slug, form }: { slug: string; form: CommentFormState }) {
  const { values, errors, replyTo } = form;
  const focus = errors.name ? "name" : errors.body ? "body" : errors.form ? "form" : errors.parent ? "parent" : null;
  return (
    <form id="comment-form" class="comment-form" method="post" action={`${postPath(slug)}/comments`}>
      <h3>{replyTo ? `Reply to ${replyTo.author}` : "Leave a comment"}</h3>
      {errors.form && (
        <p id="comment-form-error" class="form-error" role="alert" {...focusable(focus === "form")}>
          {errors.form}
        </p>
      )}
      {replyTo && (
        <p class="meta">
          Replying to <a href={`#comment-${replyTo.id}`}>{replyTo.author}</a> ·{" "}
          <a href={`${postPath(slug)}#comment-form`}>Cancel reply</a>
        </p>
      )}
      {errors.parent && (
        <p id="comment-parent-error" class="field-error" role="alert" {...focusable(focus === "parent")}>
          {errors.parent}
        </p>
      )}
      <input type="hidden" name="parent" value={replyTo ? String(replyTo.id) : values.parent} />
      <input type="hidden" name="token" value={form.token} />
      <NameField value={values.name} error={errors.name} focus={focus === "name"} />
      <BodyField value={values.body} error={errors.body} focus={focus === "body"} />
      <p class="hp" aria-hidden="true">
        <label for="comment-website">Leave this field empty</label>
        <input id="comment-website" name="website" tabindex={-1} autocomplete="off" />
      </p>
      {form.turnstileSiteKey && (
        <>
          <div class="cf-turnstile" data-sitekey={form.turnstileSiteKey} />
          <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer />
        </>
      )}
      <p>
        <button type="submit">Post comment</button>
      </p>
      {form.moderationNote && <p class="meta">{form.moderationNote}</p>}
    </form>
  );
}

export function NameField({ value, error, focus }: { value: string; error: string | undefined; focus: boolean }) {
  return (
    <div class="field">
      <label for="comment-name">Name</label>
      <input
        id="comment-name"
        name="name"
        value={value}
        required
        autocomplete="nickname"
        aria-invalid={error ? "true" : undefined}
        // The message first, then the hint it refers to: both are read with the field.
        aria-describedby={error ? "comment-name-error comment-name-hint" : "comment-name-hint"}
        autofocus={focus || undefined}
      />
      <span id="comment-name-hint" class="hint">
        Shown with your comment, up to {NAME_MAX} characters. No email needed.
      </span>
      <FieldError id="comment-name-error" message={error} />
    </div>
  );
}

export function BodyField({ value, error, focus }: { value: string; error: string | undefined; focus: boolean }) {
  return (
    <div class="field">
      <label for="comment-body">Comment</label>
      <textarea
        id="comment-body"
        name="body"
        rows={6}
        required
        aria-invalid={error ? "true" : undefined}
        // The message first, then the hint it refers to: both are read with the field.
        aria-describedby={error ? "comment-body-error comment-body-hint" : "comment-body-hint"}
        autofocus={focus || undefined}
      >
        {value}
      </textarea>
      <span id="comment-body-hint" class="hint">
        Plain text, up to {BODY_MAX_TEXT} characters. Blank lines start a new paragraph; web addresses become links.
      </span>
      <FieldError id="comment-body-error" message={error} />
    </div>
  );
}

/** The comments of an article (threaded, paged) and the form; composed into the article page. */
export function CommentSection({ slug, lang, list, form, editable = new Set() }: CommentSectionProps) {
  return (
    <section id="comments" class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">Comments{list && list.count > 0 ? <span class="meta"> ({list.count})</span> : null}</h2>
      {list === null ? (
        <p class="notice" role="status">
          Comments cannot be loaded right now. Please try again in a minute.
        </p>
      ) : list.comments.length === 0 ? (
        <p class="meta">{list.paged ? "No more comments." : "No comments yet. Be the first!"}</p>
      ) : (
        <>
          {list.count > 1 && !list.paged && <CommentOrder slug={slug} order={list.order ?? "newest"} />}
          <ol class="comment-list">
            {threads(list.comments).map((node) => (
              <CommentItem node={node} slug={slug} lang={lang} level={1} editable={editable} />
            ))}
          </ol>
        </>
      )}
      {list && (list.paged || list.next) && (
        <nav class="pager" aria-label="Comment pages">
          {list.paged ? <a href={`${postPath(slug)}#comments`}>← First comments</a> : <span />}
          {list.next ? (
            <a href={`${postPath(slug)}?comments=${encodeURIComponent(list.next)}#comments`} rel="next">
              More comments →
            </a>
          ) : (
            <span />
          )}
        </nav>
      )}
      {form.editing ? <EditForm slug={slug} form={form} /> : <CommentForm slug={slug} form={form} />}
    </section>
  );
}
