import type { PostSummary } from "../articles/record.ts";
import { otherLang, strings } from "../i18n/index.ts";
import { homePath, postPath, tagPath } from "../lib/paths.ts";
import { formatDate } from "./format.ts";
import { NoBreak } from "./no-break.tsx";

/** Date, reading time and (on lists) the comment count of a post, as one line of metadata. */
export function PostMeta({ post, lang, comments }: { post: PostSummary; lang: string; comments?: number }) {
  const t = strings(lang);
  return (
    <p class="meta">
      <time datetime={post.date}>{formatDate(post.date, lang)}</time> · {t.minRead(post.readingMinutes)}
      {comments !== undefined && (
        <>
          {" · "}
          <a class="comment-count" href={`${postPath(post.slug)}#comments`}>
            {t.commentCount(comments)}
          </a>
        </>
      )}
      {post.draft && ` · ${t.draft}`}
      {/* Only a preview build (npm start) lets a post reach a page before its date. */}
      {Date.parse(post.date) > Date.now() && ` · ${t.scheduled}`}
    </p>
  );
}

export function TagList({ tags, lang }: { tags: string[]; lang: string }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tags" aria-label={strings(lang).tags}>
      {tags.map((tag) => (
        <li>
          <a href={tagPath(tag)}>#{tag}</a>
        </li>
      ))}
    </ul>
  );
}

/** Summaries of posts, newest first, as on the home and tag pages. */
export function PostList({
  posts,
  lang,
  counts,
}: {
  posts: PostSummary[];
  lang: string;
  /** Published comments per slug; a post missing from a present map has none. */
  counts?: Map<string, number> | undefined;
}) {
  return (
    <ol class="post-list">
      {posts.map((post) => (
        <li>
          <PostMeta post={post} lang={lang} comments={counts ? (counts.get(post.slug) ?? 0) : undefined} />
          <h2 lang={otherLang(post.lang, lang, lang)}>
            <a href={postPath(post.slug)}>
              <NoBreak text={post.title} />
            </a>
          </h2>
          <p lang={otherLang(post.lang, lang, lang)}>
            <NoBreak text={post.summary} />
          </p>
          <TagList tags={post.tags} lang={lang} />
        </li>
      ))}
    </ol>
  );
}

/** Newer/older links; `pathOf` builds the URL of page n. */
export function Pager({
  page,
  pages,
  lang,
  pathOf = homePath,
}: {
  page: number;
  pages: number;
  lang: string;
  pathOf?: (n: number) => string;
}) {
  if (pages <= 1) return null;
  const t = strings(lang);
  return (
    <nav class="pager" aria-label={t.pages}>
      {page > 1 ? (
        <a href={pathOf(page - 1)} rel="prev">
          {t.newerPosts}
        </a>
      ) : (
        <span />
      )}
      <span class="meta">{t.pageOf(page, pages)}</span>
      {page < pages ? (
        <a href={pathOf(page + 1)} rel="next">
          {t.olderPosts}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
