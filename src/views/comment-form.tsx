import type { Child } from "hono/jsx";
import { type Catalog, type Message, strings } from "../i18n/index.ts";
import { BODY_MAX, NAME_MAX } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";

/**
 * The comment form: works without JavaScript, keeps what the reader typed, errors by the field.
 * Its state is built by src/comments/section.ts; the article's comment section composes it.
 */

/** Formatted once: `toLocaleString` builds a number formatter on every call, on every article render. */
const BODY_MAX_TEXT = BODY_MAX.toLocaleString("en");

/** The moderation line's key in the catalog. */
export type ModerationNote = keyof Catalog["moderationNotes"];

export type FormField = "name" | "body" | "parent" | "form";

/** What the comment form shows: the reader's text (kept through every error) and the messages. */
export interface CommentFormState {
  values: { name: string; body: string; parent: string };
  errors: Partial<Record<FormField, Message>>;
  /** One-time token: a double-clicked or retried submission stores one comment. */
  token: string;
  /** The comment being replied to, when the reader chose one. */
  replyTo: { id: number; author: string } | null;
  /** Turnstile's public site key, when the challenge is on. */
  turnstileSiteKey: string | null;
  /** A line under the form about moderation ("comments with links are held"). */
  moderationNote: ModerationNote | null;
  /** The id of the reader's own comment the form edits (`?edit=`), or null for a new comment. */
  editing?: number | null;
}

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
export function CommentForm({ slug, form, lang }: { slug: string; form: CommentFormState; lang: string }) {
  const t = strings(lang);
  const { values, errors, replyTo } = form;
  const focus = errors.name ? "name" : errors.body ? "body" : errors.form ? "form" : errors.parent ? "parent" : null;
  return (
    <form id="comment-form" class="comment-form" method="post" action={`${postPath(slug)}/comments`}>
      <h3>{replyTo ? t.replyTo(replyTo.author) : t.leaveComment}</h3>
      {errors.form && (
        <p id="comment-form-error" class="form-error" role="alert" {...focusable(focus === "form")}>
          {errors.form(t)}
        </p>
      )}
      {replyTo && (
        <p class="meta">
          {t.replyingTo} <a href={`#comment-${replyTo.id}`}>{replyTo.author}</a> ·{" "}
          <a href={`${postPath(slug)}#comment-form`}>{t.cancelReply}</a>
        </p>
      )}
      {errors.parent && (
        <p id="comment-parent-error" class="field-error" role="alert" {...focusable(focus === "parent")}>
          {errors.parent(t)}
        </p>
      )}
      <input type="hidden" name="parent" value={replyTo ? String(replyTo.id) : values.parent} />
      <input type="hidden" name="token" value={form.token} />
      <NameField value={values.name} error={errors.name} focus={focus === "name"} lang={lang} />
      <BodyField value={values.body} error={errors.body} focus={focus === "body"} lang={lang} />
      <p class="hp" aria-hidden="true">
        <label for="comment-website">{t.honeypot}</label>
        <input id="comment-website" name="website" tabindex={-1} autocomplete="off" />
      </p>
      {form.turnstileSiteKey && (
        <>
          <div class="cf-turnstile" data-sitekey={form.turnstileSiteKey} />
          <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer />
        </>
      )}
      <p>
        <button type="submit">{t.postComment}</button>
      </p>
      {form.moderationNote && <p class="meta">{t.moderationNotes[form.moderationNote]}</p>}
    </form>
  );
}

interface FieldProps {
  value: string;
  error: Message | undefined;
  focus: boolean;
  lang: string;
}

type Control = "name" | "body";

/** What the name and body controls share: id and name, required, their state for assistive tech. */
const controlProps = (field: Control, error: Message | undefined, focus: boolean) => ({
  id: `comment-${field}`,
  name: field,
  required: true,
  "aria-invalid": error ? "true" : undefined,
  // The message first, then the hint it refers to: both are read with the field.
  "aria-describedby": error ? `comment-${field}-error comment-${field}-hint` : `comment-${field}-hint`,
  autofocus: focus || undefined,
});

/** A labelled control (the child, with `controlProps`), its hint and its error message. */
function Field(props: { field: Control; label: string; hint: string; error: string | undefined; children: Child }) {
  const id = `comment-${props.field}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children}
      <span id={`${id}-hint`} class="hint">
        {props.hint}
      </span>
      <FieldError id={`${id}-error`} message={props.error} />
    </div>
  );
}

export function NameField({ value, error, focus, lang }: FieldProps) {
  const t = strings(lang);
  return (
    <Field field="name" label={t.name} hint={t.nameHint(NAME_MAX)} error={error?.(t)}>
      <input {...controlProps("name", error, focus)} value={value} autocomplete="nickname" />
    </Field>
  );
}

export function BodyField({ value, error, focus, lang }: FieldProps) {
  const t = strings(lang);
  return (
    <Field field="body" label={t.comment} hint={t.bodyHint(BODY_MAX_TEXT)} error={error?.(t)}>
      <textarea {...controlProps("body", error, focus)} rows={6}>
        {value}
      </textarea>
    </Field>
  );
}
