import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { ArticleRecord, ReadingOn, TranslationLink } from "../articles/record.ts";
import { ASSETS } from "../generated/assets.ts";
import { strings } from "../i18n/index.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { Layout } from "./layout.tsx";
import { NoBreak } from "./no-break.tsx";
import { PostMeta, TagList } from "./post-list.tsx";
import { ReadingOnNav } from "./reading-on.tsx";
import { articleImage, blogPosting } from "./structured-data.ts";
import { LanguageNav, languageFeed, TranslationHead, translationItems } from "./translations.tsx";

/** One article: the build's trusted HTML, what to read next (`end`), then whatever `comments` holds. */
export function ArticlePage({
  site,
  article,
  end,
  translations = [],
  languages = [],
  comments,
}: {
  site: Site;
  article: ArticleRecord;
  end?: ReadingOn | undefined;
  /** Its translations out now (`visibleTranslations`). */
  translations?: readonly TranslationLink[];
  /** Languages with posts out (`Published.languageNames`): a post in another than the site's offers its language's feed. */
  languages?: readonly string[];
  comments?: Child;
}) {
  const image = articleImage(site, article);
  const lang = article.lang ?? site.lang;
  const t = strings(lang);
  return (
    <Layout
      site={site}
      meta={{
        title: article.title,
        description: article.summary,
        path: postPath(article.slug),
        lang: article.lang,
        type: "article",
        head: <ArticleHead site={site} article={article} translations={translations} />,
        feed: languageFeed(site, article.lang, languages),
        jsonLd: blogPosting(site, article),
        ...(image && { image }),
      }}
    >
      <a class="back" href="/">
        {t.backToBlog}
      </a>
      <article>
        <header>
          <h1>
            <NoBreak text={article.title} />
          </h1>
          <PostMeta post={article} lang={lang} />
          <TagList tags={article.tags} lang={lang} />
          <LanguageNav items={translationItems(article, translations, site.lang)} lang={lang} />
        </header>
        <div class="content">{raw(article.html)}</div>
      </article>
      {end && <ReadingOnNav end={end} lang={lang} site={site.lang} />}
      {comments}
    </Layout>
  );
}

/** What an article adds to `<head>`: its comment feeds, Open Graph article fields, translations. */
function ArticleHead({
  site,
  article,
  translations,
}: {
  site: Site;
  article: ArticleRecord;
  translations: readonly TranslationLink[];
}) {
  const t = strings(article.lang ?? site.lang);
  return (
    <>
      <link
        rel="alternate"
        type="application/atom+xml"
        title={t.commentsOn(article.title)}
        href={`${postPath(article.slug)}/comments.xml`}
      />
      <link rel="alternate" type="application/atom+xml" title={t.recentComments} href="/comments.xml" />
      <meta property="article:published_time" content={article.date} />
      {article.updated && <meta property="article:modified_time" content={article.updated} />}
      {article.tags.map((tag) => (
        <meta property="article:tag" content={tag} />
      ))}
      <TranslationHead site={site} article={article} links={translations} />
      {/* Comment times in the reader's zone (assets/local-time.js); without it they stay as written. */}
      <script src={ASSETS.localTime} defer />
    </>
  );
}
