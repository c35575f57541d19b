import type { PostSummary } from "../articles/record.ts";
import { homePath, postPath, tagPath } from "../lib/paths.ts";
import { formatDate } from "./format.ts";

/** Date, reading time and (optionally) tags of a post, as one line of metadata. */
export function PostMeta({ post, lang }: { post: PostSummary; lang: string }) {
  return (
    <p class="meta">
      <time datetime={post.date}>{formatDate(post.date, lang)}</time> · {post.readingMinutes} min read
      {post.draft && " · draft"}
    </p>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tags" aria-label="Tags">
      {tags.map((tag) => (
        <li>
          <a href={tagPath(tag)}>#{tag}</a>
        </li>
      ))}
    </ul>
  );
}

/** Summaries of posts, newest first, as on the home and tag pages. */
export function PostList({ posts, lang }: { posts: PostSummary[]; lang: string }) {
  return (
    <ol class="post-list">
      {posts.map((post) => (
        <li>
          <PostMeta post={post} lang={lang} />
          <h2 lang={post.lang}>
            <a href={postPath(post.slug)}>{post.title}</a>
          </h2>
          <p lang={post.lang}>{post.summary}</p>
          <TagList tags={post.tags} />
        </li>
      ))}
    </ol>
  );
}

/** Newer/older links; `pathOf` builds the URL of page n. */
export function Pager({
  page,
  pages,
  pathOf = homePath,
}: {
  page: number;
  pages: number;
  pathOf?: (n: number) => string;
}) {
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={pathOf(page - 1)} rel="prev">
          ← Newer posts
        </a>
      ) : (
        <span />
      )}
      <span class="meta">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={pathOf(page + 1)} rel="next">
          Older posts →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
