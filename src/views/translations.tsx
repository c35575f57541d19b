import type { ArticleRecord, TranslationLink } from "../articles/record.ts";
import { languageOf, translationSet } from "../articles/translations.ts";
import { ogLocale, strings } from "../i18n/index.ts";
import { languageFeedPath, languagePath, postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import type { PageFeed } from "./layout.tsx";

/** The language of a tag named in itself, as a switcher shows it ("한국어", "English", "Français"); the tag when unknown. */
export function languageName(lang: string): string {
  try {
    const primary = languageOf(lang);
    const name = new Intl.DisplayNames([primary], { type: "language" }).of(primary) ?? lang;
    return name.charAt(0).toLocaleUpperCase(primary) + name.slice(1);
  } catch {
    return lang;
  }
}

/** A language's feed as readers' feed lists name it: "OUR K-POP (한국어)". */
export const languageFeedTitle = (site: Site, lang: string): string => `${site.title} (${languageName(lang)})`;

/**
 * The feed to offer a reader of a page in `lang` when that is not the site's language and the
 * release has posts out in it (`languages`, as `Published.languageNames` gives them); else none.
 */
export function languageFeed(site: Site, lang: string | undefined, languages: readonly string[]): PageFeed | undefined {
  const code = lang && languageOf(lang);
  if (!code || code === languageOf(site.lang) || !languages.includes(code)) return undefined;
  return { title: languageFeedTitle(site, code), path: languageFeedPath(code) };
}

/**
 * The head of a page with translations (`links`: the others, as the Worker shows them now):
 * `<link rel="alternate" hreflang>` for every member, itself included, and `x-default`, and
 * og:locale:alternate for the others. Nothing when the post has none.
 */
export function TranslationHead({
  site,
  article,
  links,
}: {
  site: Site;
  article: ArticleRecord;
  links: readonly TranslationLink[];
}) {
  const set = translationSet(article, links, site.lang);
  if (!set) return null;
  const url = (slug: string) => `${site.url}${postPath(slug)}`;
  return (
    <>
      {set.members.map((m) => (
        <link rel="alternate" hreflang={m.lang} href={url(m.slug)} />
      ))}
      <link rel="alternate" hreflang="x-default" href={url(set.fallback.slug)} />
      {links.map((m) => (
        <meta property="og:locale:alternate" content={ogLocale(m.lang)} />
      ))}
    </>
  );
}

/** A link of a language nav: the current page's is no link. */
export interface NavItem {
  href: string;
  text: string;
  /** The language the text is in, when it is named in itself. */
  lang?: string | undefined;
  current?: boolean;
}

/**
 * A row of plain links (no script) between pages in different languages: a post's translations
 * (each language named in itself and marked with its `lang`), or the blog's lists by language.
 * The current page is marked, not linked. Nothing when there is no other page to go to.
 */
export function LanguageNav({ items, lang }: { items: readonly NavItem[]; lang: string }) {
  if (items.length < 2) return null;
  return (
    <nav class="meta languages" aria-label={strings(lang).languages}>
      {items.map((item, i) => (
        <>
          {i > 0 && " "}
          {item.current ? (
            <span aria-current="page" lang={item.lang}>
              {item.text}
            </span>
          ) : (
            <a href={item.href} hreflang={item.lang} lang={item.lang}>
              {item.text}
            </a>
          )}
        </>
      ))}
    </nav>
  );
}

/** A post's language switcher: every member of its set, by language, itself marked. */
export const translationItems = (article: ArticleRecord, links: readonly TranslationLink[], siteLang: string) =>
  [{ slug: article.slug, lang: article.lang ?? siteLang }, ...links]
    .sort((a, b) => (a.lang < b.lang ? -1 : 1))
    .map((m) => ({
      href: postPath(m.slug),
      text: languageName(m.lang),
      lang: m.lang,
      current: m.slug === article.slug,
    }));

/** The blog's lists: all posts, then each language's (`current`: the one shown, none on the home page). */
export const languageItems = (languages: readonly string[], lang: string, current?: string): NavItem[] =>
  languages.length < 2
    ? []
    : [
        { href: "/", text: strings(lang).allPosts, current: !current },
        ...languages.map((code) => ({
          href: languagePath(code),
          text: languageName(code),
          lang: code,
          current: code === current,
        })),
      ];
