import type { PostSummary } from "../articles/record.ts";
import { strings } from "../i18n/index.ts";
import { homePath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { Layout } from "./layout.tsx";
import { NoBreak } from "./no-break.tsx";
import { Pager, PostList } from "./post-list.tsx";
import { LanguageNav, languageItems } from "./translations.tsx";

/** The home page and its older pages (/page/:n). */
export function HomePage({
  site,
  posts,
  page,
  pages,
  counts,
  languages = [],
}: {
  site: Site;
  /** Languages with posts out, for the links to each one's list. */
  languages?: readonly string[];
  posts: PostSummary[];
  page: number;
  pages: number;
  /** Published comments per slug (absent when unknown). */
  counts?: Map<string, number> | undefined;
}) {
  const t = strings(site.lang);
  return (
    <Layout
      site={site}
      meta={{
        ...(page > 1 && { title: t.pageTitle(page) }),
        description: site.description,
        path: homePath(page),
        jsonLd:
          page === 1
            ? { "@context": "https://schema.org", "@type": "Blog", name: site.title, url: `${site.url}/` }
            : undefined,
      }}
    >
      <h1 class={page === 1 ? "visually-hidden" : undefined}>
        {page === 1 ? site.title : t.siteTitlePage(site.title, page)}
      </h1>
      {page === 1 && (
        <p class="lede">
          <NoBreak text={site.description} />
        </p>
      )}
      <LanguageNav items={languageItems(languages, site.lang)} lang={site.lang} />
      {posts.length === 0 ? <p>{t.noPosts}</p> : <PostList posts={posts} lang={site.lang} counts={counts} />}
      <Pager page={page} pages={pages} lang={site.lang} />
    </Layout>
  );
}
