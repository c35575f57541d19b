import { raw } from "hono/html";
import type { ModeratedComment } from "../comments/store/moderation.ts";
import type { CommentStatus } from "../comments/store/rows.ts";
import { type Catalog, type Message, strings } from "../i18n/index.ts";
import { renderCommentBody } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { EarlierVersions } from "./comment-versions.tsx";
import { Layout } from "./layout.tsx";

const FILTERS: { label: keyof Catalog["admin"]["filters"]; status: CommentStatus | null }[] = [
  { label: "pending", status: "pending" },
  { label: "all", status: null },
  { label: "published", status: "published" },
  { label: "spam", status: "spam" },
  { label: "deleted", status: "deleted" },
];

const adminPath = (status: CommentStatus | null, from?: number | null) => {
  const query = new URLSearchParams({ status: status ?? "all" });
  if (from) query.set("from", String(from));
  return `/admin?${query}`;
};

/** The admin sign-in form (a token, no user accounts). */
export function AdminLoginPage({ site, error }: { site: Site; error?: Message }) {
  const t = strings(site.lang);
  return (
    <Layout site={site} meta={{ title: t.admin.title, description: t.admin.moderation, path: "/admin", noindex: true }}>
      <h1>{t.admin.moderation}</h1>
      <form class="comment-form" method="post" action="/admin/login">
        {error && (
          <p class="form-error" role="alert" id="login-error">
            {error(t)}
          </p>
        )}
        <p>
          <label for="admin-token">{t.admin.token}</label>
          <input
            id="admin-token"
            name="token"
            type="password"
            required
            autocomplete="current-password"
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "login-error" : undefined}
          />
        </p>
        <p>
          <button type="submit">{t.admin.signIn}</button>
        </p>
      </form>
    </Layout>
  );
}

/** Pending and recent comments with bulk approve / spam / delete. */
export function AdminPage(props: {
  site: Site;
  status: CommentStatus | null;
  /** Comments waiting for approval, in all: shown in the title (and so in the browser tab). */
  pending: number;
  comments: ModeratedComment[];
  next: number | null;
  csrf: string;
  notice?: Message | undefined;
}) {
  const { site, status, pending, comments, next, csrf, notice } = props;
  const t = strings(site.lang);
  const title = pending > 0 ? t.admin.pending(pending) : t.admin.moderation;
  return (
    <Layout site={site} meta={{ title, description: t.admin.moderation, path: "/admin", noindex: true }}>
      <h1>{t.admin.moderation}</h1>
      <nav class="admin-filters" aria-label={t.admin.filter}>
        {FILTERS.map((f) =>
          f.status === status ? (
            <strong aria-current="page">{t.admin.filters[f.label]}</strong>
          ) : (
            <a href={adminPath(f.status)}>{t.admin.filters[f.label]}</a>
          ),
        )}
      </nav>
      {notice && (
        <p class="notice" role="status">
          {notice(t)}
        </p>
      )}
      {comments.length === 0 ? (
        <p>{t.admin.nothing}</p>
      ) : (
        <ModerationForm comments={comments} csrf={csrf} back={adminPath(status)} t={t} />
      )}
      {next !== null && (
        <p>
          <a href={adminPath(status, next)}>{t.admin.more}</a>
        </p>
      )}
      <form method="post" action="/admin/logout">
        <input type="hidden" name="csrf" value={csrf} />
        <button type="submit">{t.admin.signOut}</button>
      </form>
      <form method="post" action="/admin/logout-everywhere">
        <input type="hidden" name="csrf" value={csrf} />
        <p>
          <button type="submit">{t.admin.signOutEverywhere}</button>
          {t.admin.everywhereHint}
        </p>
      </form>
    </Layout>
  );
}

/** The list of comments with the bulk actions, one form. */
function ModerationForm(props: { comments: ModeratedComment[]; csrf: string; back: string; t: Catalog }) {
  const { comments, csrf, back, t } = props;
  return (
    <form method="post" action="/admin/moderate" class="admin-list">
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="back" value={back} />
      <p class="admin-actions">
        {t.admin.withSelected}{" "}
        <button type="submit" name="action" value="published">
          {t.admin.approve}
        </button>{" "}
        <button type="submit" name="action" value="spam">
          {t.admin.spam}
        </button>{" "}
        <button type="submit" name="action" value="deleted">
          {t.delete}
        </button>
      </p>
      <ol class="comment-list">
        {comments.map((comment) => (
          <ModeratedItem comment={comment} t={t} />
        ))}
      </ol>
    </form>
  );
}

/** One comment as the moderator sees it: who, when, where, the sender's tag, the text. */
function ModeratedItem({ comment, t }: { comment: ModeratedComment; t: Catalog }) {
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <p class="meta">
        <input type="checkbox" name="ids" value={String(comment.id)} id={`select-${comment.id}`} />{" "}
        <label for={`select-${comment.id}`}>
          <strong class="comment-author">{comment.author}</strong> · {t.admin.statuses[comment.status]}
        </label>{" "}
        · <time datetime={comment.createdAt}>{comment.createdAt.slice(0, 16).replace("T", " ")} UTC</time> ·{" "}
        {t.admin.on} <a href={`${postPath(comment.postSlug)}#comment-${comment.id}`}>{comment.postSlug}</a>
        {comment.parentId !== null && t.admin.replyTo(comment.parentId)} · {t.admin.sender} {comment.ipTag}
      </p>
      <div class="comment-body">{raw(renderCommentBody(comment.body))}</div>
      <EarlierVersions versions={comment.versions} t={t} />
    </li>
  );
}
