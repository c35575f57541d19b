import { raw } from "hono/html";
import type { Comment } from "../comments/store/rows.ts";
import { type Catalog, type Message, strings } from "../i18n/index.ts";
import { renderCommentBody } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import type { LinkAction } from "../notify/links.ts";
import { Layout } from "./layout.tsx";

const meta = (t: Catalog) => ({
  title: t.admin.moderateOne,
  description: t.admin.moderation,
  path: "/admin/link",
  noindex: true,
});

/**
 * The page a notification's link opens: the comment and one button. The change happens only on
 * the POST, so a link fetched by a mail scanner or a chat preview changes nothing.
 */
export function LinkConfirmPage(props: {
  site: Site;
  comment: Comment;
  action: LinkAction;
  fields: Record<string, string>;
}) {
  const { site, comment, action, fields } = props;
  const t = strings(site.lang);
  const verb = action === "approve" ? t.admin.approve : t.admin.reject;
  return (
    <Layout site={site} meta={meta(t)}>
      <h1>{t.admin.confirm(verb)}</h1>
      <article class="comment">
        <p class="meta">
          <strong class="comment-author">{comment.author}</strong> · {t.admin.statuses[comment.status]} · {t.admin.on}{" "}
          <a href={postPath(comment.postSlug)}>{comment.postSlug}</a>
        </p>
        <div class="comment-body">{raw(renderCommentBody(comment.body))}</div>
      </article>
      <form method="post" action="/admin/link">
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p>
          <button type="submit">{verb}</button> <a href="/admin">{t.admin.openInstead}</a>
        </p>
      </form>
    </Layout>
  );
}

/** What became of the link: done, or why not. */
export function LinkResultPage({ site, message }: { site: Site; message: Message }) {
  const t = strings(site.lang);
  return (
    <Layout site={site} meta={meta(t)}>
      <h1>{t.admin.moderation}</h1>
      <p role="status">{message(t)}</p>
      <p>
        <a href="/admin">{t.admin.open}</a>
      </p>
    </Layout>
  );
}
