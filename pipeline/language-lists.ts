/**
 * Per-language lists (`/ko`, `/ko/feed.xml`): each language's posts, oldest first, as the release
 * index stores its other lists. The build does not know the site's language (each Worker
 * environment has its own `SITE_LANG`), so posts that name none are kept under `""`, and each
 * language also gets the list with them added, for the site whose language it is.
 */
import type { PostSummary } from "../src/articles/record.ts";
import { languageOf } from "../src/articles/translations.ts";
import { LANGUAGE, READ_ONLY } from "../src/lib/routes.ts";
import type { PostFile } from "./assemble-release.ts";
import { ContentError } from "./content-error.ts";

export interface LanguageLists {
  /** By language (primary subtag, lower-cased), and `""` for posts naming none. */
  languages: Map<string, PostSummary[]>;
  /** Per named language, its posts and the unmarked ones; empty unless there are both. */
  withUnmarked: Map<string, PostSummary[]>;
}

/** `summaries` (oldest first) split by language, each list oldest first. */
export function languageLists(summaries: readonly PostSummary[]): LanguageLists {
  const languages = new Map<string, PostSummary[]>();
  const byLanguage = summaries.map((post) => (post.lang ? languageOf(post.lang) : ""));
  summaries.forEach((post, i) => {
    const lang = byLanguage[i] as string;
    const list = languages.get(lang);
    if (list) list.push(post);
    else languages.set(lang, [post]);
  });
  const withUnmarked = new Map<string, PostSummary[]>();
  if (languages.has("") && languages.size > 1) {
    for (const lang of languages.keys()) {
      if (lang !== "")
        withUnmarked.set(
          lang,
          summaries.filter((_, i) => byLanguage[i] === lang || byLanguage[i] === ""),
        );
    }
  }
  return { languages, withUnmarked };
}

/**
 * What each language route answers under `/<lang>` ("", "/page/:n", "/feed.xml"), from the route
 * table, so a route added there is reserved here too.
 */
const LANGUAGE_ROUTES = READ_ONLY.filter((pattern) => pattern.startsWith(`/:lang${LANGUAGE}`)).map((pattern) =>
  pattern.slice(`/:lang${LANGUAGE}`.length),
);

/**
 * The language among `languages` whose own addresses take the alias `path`, if one does: `/ko`
 * (with any query: the list answers every one), `/ko/feed.xml`, and `/ko/page` and all under it
 * (a parameter owns what follows it, as for every route: src/lib/routes.ts). Other addresses
 * under `/ko` are no route of the blog and stay old addresses of posts, such as the
 * `/ko/2025/05/02/post/` a WordPress blog with Polylang gave its Korean posts.
 */
export function languagePathOf(path: string, languages: Iterable<string>): string | undefined {
  const pathname = path.split("?")[0] ?? path;
  const first = pathname.split("/")[1] ?? "";
  const lang = first.toLowerCase();
  if (lang === "" || ![...languages].includes(lang)) return undefined;
  const rest = pathname.slice(1 + first.length);
  const taken = LANGUAGE_ROUTES.some((route) => {
    const param = route.indexOf("/:");
    if (param === -1) return rest === route;
    const prefix = route.slice(0, param);
    return rest === prefix || rest.startsWith(`${prefix}/`);
  });
  return taken ? lang : undefined;
}

/** Each language's list, its pages and feed are the blog's own addresses: no alias may take one. */
export function checkLanguagePaths(sources: readonly PostFile[], languages: Iterable<string>): void {
  const taken = [...languages].filter((lang) => lang !== "");
  for (const { file, meta } of sources) {
    for (const path of meta.aliases ?? []) {
      const lang = languagePathOf(path, taken);
      if (lang)
        throw new ContentError(
          file,
          "aliases",
          `"${path}" is an address of /${lang}, the blog's list of posts in that language`,
        );
    }
  }
}
