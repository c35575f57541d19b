import type { PostSummary } from "../articles/record.ts";
import { strings } from "../i18n/index.ts";
import { tagFeedPath, tagPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { Layout } from "./layout.tsx";
import { NoBreak } from "./no-break.tsx";
import { Pager, PostList } from "./post-list.tsx";

/** Posts with one tag, newest first. */
export function TagPage(props: {
  site: Site;
  tag: string;
  count: number;
  posts: PostSummary[];
  page: number;
  pages: number;
  /** Published comments per slug (absent when unknown). */
  counts?: Map<string, number> | undefined;
}) {
  const { site, tag, count, posts, page, pages, counts } = props;
  const t = strings(site.lang);
  return (
    <Layout
      site={site}
      meta={{
        title: page > 1 ? t.siteTitlePage(`#${tag}`, page) : `#${tag}`,
        description: t.tagDescription(count, tag, site.title),
        path: tagPath(tag, page),
        head: (
          <link
            rel="alternate"
            type="application/atom+xml"
            title={`#${tag} - ${site.title}`}
            href={`${site.url}${tagFeedPath(tag)}`}
          />
        ),
      }}
    >
      <a class="back" href="/">
        {t.backToBlog}
      </a>
      <h1>
        #<NoBreak text={tag} />
      </h1>
      <p class="meta">{t.postCount(count)}</p>
      <PostList posts={posts} lang={site.lang} counts={counts} />
      <Pager page={page} pages={pages} lang={site.lang} pathOf={(n) => tagPath(tag, n)} />
    </Layout>
  );
}
