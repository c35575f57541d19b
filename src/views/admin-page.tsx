import { raw } from "hono/html";
import type { ModeratedComment } from "../comments/store/moderation.ts";
import type { CommentStatus } from "../comments/store/rows.ts";
import { renderCommentBody } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { EarlierVersions } from "./comment-versions.tsx";
import { Layout } from "./layout.tsx";

const FILTERS: { label: string; status: CommentStatus | null }[] = [
  { label: "Pending", status: "pending" },
  { label: "All recent", status: null },
  { label: "Published", status: "published" },
  { label: "Spam", status: "spam" },
  { label: "Deleted", status: "deleted" },
];

const adminPath = (status: CommentStatus | null, from?: number | null) => {
  const query = new URLSearchParams({ status: status ?? "all" });
  if (from) query.set("from", String(from));
  return `/admin?${query}`;
};

/** The admin sign-in form (a token, no user accounts). */
export function AdminLoginPage({ site, error }: { site: Site; error?: string }) {
  return (
    <Layout site={site} meta={{ title: "Admin", description: "Moderation", path: "/admin", noindex: true }}>
      <h1>Moderation</h1>
      <form class="comment-form" method="post" action="/admin/login">
        {error && (
          <p class="form-error" role="alert" id="login-error">
            {error}
          </p>
        )}
        <p>
          <label for="admin-token">Admin token</label>
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
          <button type="submit">Sign in</button>
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
  notice?: string | undefined;
}) {
  const { site, status, pending, comments, next, csrf, notice } = props;
  const title = pending > 0 ? `Moderation (${pending} pending)` : "Moderation";
  return (
    <Layout site={site} meta={{ title, description: "Moderation", path: "/admin", noindex: true }}>
      <h1>Moderation</h1>
      <nav class="admin-filters" aria-label="Filter">
        {FILTERS.map((f) =>
          f.status === status ? (
            <strong aria-current="page">{f.label}</strong>
          ) : (
            <a href={adminPath(f.status)}>{f.label}</a>
          ),
        )}
      </nav>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {comments.length === 0 ? (
        <p>Nothing here.</p>
      ) : (
        <ModerationForm comments={comments} csrf={csrf} back={adminPath(status)} />
      )}
      {next !== null && (
        <p>
          <a href={adminPath(status, next)}>More →</a>
        </p>
      )}
      <form method="post" action="/admin/logout">
        <input type="hidden" name="csrf" value={csrf} />
        <button type="submit">Sign out</button>
      </form>
      <form method="post" action="/admin/logout-everywhere">
        <input type="hidden" name="csrf" value={csrf} />
        <p>
          <button type="submit">Sign out everywhere</button> ends every admin session, in every browser.
        </p>
      </form>
    </Layout>
  );
}

/** The list of comments with the bulk actions, one form. */
function ModerationForm({ comments, csrf, back }: { comments: ModeratedComment[]; csrf: string; back: string }) {
  return (
    <form method="post" action="/admin/moderate" class="admin-list">
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="back" value={back} />
      <p class="admin-actions">
        With the selected comments:{" "}
        <button type="submit" name="action" value="published">
          Approve
        </button>{" "}
        <button type="submit" name="action" value="spam">
          Spam
        </button>{" "}
        <button type="submit" name="action" value="deleted">
          Delete
        </button>
      </p>
      <ol class="comment-list">
        {comments.map((comment) => (
          <ModeratedItem comment={comment} />
        ))}
      </ol>
    </form>
  );
}

/** One comment as the moderator sees it: who, when, where, the sender's tag, the text. */
function ModeratedItem({ comment }: { comment: ModeratedComment }) {
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <p class="meta">
        <input type="checkbox" name="ids" value={String(comment.id)} id={`select-${comment.id}`} />{" "}
        <label for={`select-${comment.id}`}>
          <strong class="comment-author">{comment.author}</strong> · {comment.status}
        </label>{" "}
        · <time datetime={comment.createdAt}>{comment.createdAt.slice(0, 16).replace("T", " ")} UTC</time> · on{" "}
        <a href={`${postPath(comment.postSlug)}#comment-${comment.id}`}>{comment.postSlug}</a>
        {comment.parentId !== null && ` · reply to #${comment.parentId}`} · sender {comment.ipTag}
      </p>
      <div class="comment-body">{raw(renderCommentBody(comment.body))}</div>
      <EarlierVersions versions={comment.versions} />
    </li>
  );
}
