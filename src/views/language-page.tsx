import type { PostSummary } from "../articles/record.ts";
import { strings } from "../i18n/index.ts";
import { languageFeedPath, languagePath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { Layout } from "./layout.tsx";
import { Pager, PostList } from "./post-list.tsx";
import { LanguageNav, languageFeedTitle, languageItems, languageName } from "./translations.tsx";

/** One language's posts, newest first (`/ko`, `/ko/page/2`), with that language's chrome. */
export function LanguagePage(props: {
  site: Site;
  /** The language, as in the path (`ko`). */
  lang: string;
  /** Every language with posts out, for the links to the others. */
  languages: readonly string[];
  posts: PostSummary[];
  page: number;
  pages: number;
  /** Published comments per slug (absent when unknown). */
  counts?: Map<string, number> | undefined;
}) {
  const { site, lang, posts, page, pages, counts } = props;
  const t = strings(lang);
  const heading = t.postsIn(languageName(lang));
  return (
    <Layout
      site={site}
      meta={{
        title: page > 1 ? t.siteTitlePage(heading, page) : heading,
        description: site.description,
        path: languagePath(lang, page),
        lang,
        feed: { title: languageFeedTitle(site, lang), path: languageFeedPath(lang) },
      }}
    >
      <a class="back" href="/">
        {t.backToBlog}
      </a>
      <h1>{page > 1 ? t.siteTitlePage(heading, page) : heading}</h1>
      <LanguageNav items={languageItems(props.languages, lang, lang)} lang={lang} />
      <PostList posts={posts} lang={lang} counts={counts} />
      <Pager page={page} pages={pages} lang={lang} pathOf={(n) => languagePath(lang, n)} />
    </Layout>
  );
}
