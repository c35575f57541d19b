import type { Comment } from "../comments/store/rows.ts";
import { type Catalog, strings } from "../i18n/index.ts";
import { postPath } from "../lib/paths.ts";
import { BodyField, type CommentFormState, focusable, NameField } from "./comment-form.tsx";

/**
 * What issue 16 adds to a comment on the page: the owner's "Author" badge and the "edited" mark
 * (both from server-set columns), the like button (a plain form: no JavaScript), the reader's own
 * Edit and Delete links while they may still use them, the edit form and the delete confirmation.
 */

const commentPath = (slug: string, id: number) => `${postPath(slug)}/comments/${id}`;

/** The badge and the "edited" mark after the commenter's name. */
export function CommentMarks({ comment, lang }: { comment: Comment; lang: string }) {
  const t = strings(lang);
  return (
    <>
      {comment.byOwner && <span class="badge"> {t.authorBadge}</span>}
      {comment.editedAt && (
        <span class="meta">
          {" "}
          · <span title={comment.editedAt}>{t.edited}</span>
        </span>
      )}
    </>
  );
}

interface ActionsProps {
  comment: Comment;
  slug: string;
  editable: boolean;
  lang: string;
}

/** The like button of a published comment, and Edit / Delete for its writer within the window. */
export function CommentActions({ comment, slug, editable, lang }: ActionsProps) {
  const t = strings(lang);
  return (
    <div class="comment-actions">
      {comment.status === "published" && (
        <form class="comment-like" method="post" action={`${commentPath(slug, comment.id)}/like`}>
          <button type="submit">
            <span aria-hidden="true">♥</span> <span class="like-count">{comment.likes}</span>
            <span class="visually-hidden"> {t.likeLabel(comment.likes, comment.author)}</span>
          </button>
        </form>
      )}
      {comment.status === "published" && comment.parentId === null && (
        <a href={`${postPath(slug)}/comments.xml?thread=${comment.id}`} type="application/atom+xml">
          {t.followReplies}
          <span class="visually-hidden">{t.followRepliesHidden(comment.author)}</span>
        </a>
      )}
      {editable && (
        <>
          <a href={`${postPath(slug)}?edit=${comment.id}#comment-form`}>
            {t.edit}
            <span class="visually-hidden">{t.yourCommentHidden}</span>
          </a>
          <a href={`${commentPath(slug, comment.id)}/delete`}>
            {t.delete}
            <span class="visually-hidden">{t.yourCommentHidden}</span>
          </a>
        </>
      )}
    </div>
  );
}

/** Links between the two orders of the comments: newest threads first, or most liked first. */
export function CommentOrder({ slug, order, lang }: { slug: string; order: "newest" | "best"; lang: string }) {
  const t = strings(lang);
  return (
    <p class="meta">
      {t.sortBy}{" "}
      {order === "newest" ? (
        <strong aria-current="true">{t.newest}</strong>
      ) : (
        <a href={`${postPath(slug)}#comments`}>{t.newest}</a>
      )}{" "}
      ·{" "}
      {order === "best" ? (
        <strong aria-current="true">{t.mostLiked}</strong>
      ) : (
        <a href={`${postPath(slug)}?order=best#comments`} rel="nofollow">
          {t.mostLiked}
        </a>
      )}
    </p>
  );
}

/** The form filled in with the reader's own comment; it posts to the comment's edit address. */
export function EditForm({ slug, form, lang }: { slug: string; form: CommentFormState; lang: string }) {
  const { values, errors } = form;
  const id = form.editing ?? 0;
  // As on the comment form: no #fragment in the action, so that the field in error can take focus.
  const focus = errors.name ? "name" : errors.body ? "body" : errors.form ? "form" : null;
  const t = strings(lang);
  return (
    <form id="comment-form" class="comment-form" method="post" action={`${commentPath(slug, id)}/edit`}>
      <h3>{t.editYourComment}</h3>
      {errors.form && (
        <p id="comment-form-error" class="form-error" role="alert" {...focusable(focus === "form")}>
          {errors.form(t)}
        </p>
      )}
      <NameField value={values.name} error={errors.name} focus={focus === "name"} lang={lang} />
      <BodyField value={values.body} error={errors.body} focus={focus === "body"} lang={lang} />
      <p>
        <button type="submit">{t.saveChanges}</button> <a href={`${postPath(slug)}#comment-${id}`}>{t.cancel}</a>
      </p>
      {form.moderationNote && <p class="meta">{t.moderationNotes[form.moderationNote]}</p>}
    </form>
  );
}

/** The delete confirmation: the comment as it stands and one button that removes it. */
export function DeleteConfirm({ slug, comment, t }: { slug: string; comment: Comment; t: Catalog }) {
  return (
    <section class="comment-form" aria-labelledby="delete-title">
      <h1 id="delete-title">{t.deleteTitle}</h1>
      <blockquote class="comment-body">
        <p>{comment.body}</p>
      </blockquote>
      <p>{t.deleteNote}</p>
      <form method="post" action={`${commentPath(slug, comment.id)}/delete`}>
        <button type="submit">{t.deleteComment}</button>{" "}
        <a href={`${postPath(slug)}#comment-${comment.id}`}>{t.keepIt}</a>
      </form>
    </section>
  );
}
