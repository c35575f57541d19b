import { raw } from "hono/html";
import type { Comment } from "../comments/store/rows.ts";
import { renderCommentBody } from "../lib/comment-text.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import type { LinkAction } from "../notify/links.ts";
import { Layout } from "./layout.tsx";

const VERB: Record<LinkAction, string> = { approve: "Approve", reject: "Reject" };
const meta = { title: "Moderate a comment", description: "Moderation", path: "/admin/link", noindex: true };

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
  return (
    <Layout site={site} meta={meta}>
      <h1>{VERB[action]} this comment?</h1>
      <article class="comment">
        <p class="meta">
          <strong class="comment-author">{comment.author}</strong> · {comment.status} · on{" "}
          <a href={postPath(comment.postSlug)}>{comment.postSlug}</a>
        </p>
        <div class="comment-body">{raw(renderCommentBody(comment.body))}</div>
      </article>
      <form method="post" action="/admin/link">
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p>
          <button type="submit">{VERB[action]}</button> <a href="/admin">Open moderation instead</a>
        </p>
      </form>
    </Layout>
  );
}

/** What became of the link: done, or why not. */
export function LinkResultPage({ site, message }: { site: Site; message: string }) {
  return (
    <Layout site={site} meta={meta}>
      <h1>Moderation</h1>
      <p role="status">{message}</p>
      <p>
        <a href="/admin">Open moderation</a>
      </p>
    </Layout>
  );
}
