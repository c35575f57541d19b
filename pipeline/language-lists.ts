/**
 * Per-language lists (`/ko`, `/ko/feed.xml`): each language's posts, oldest first, as the release
 * index stores its other lists. The build does not know the site's language (each Worker
 * environment has its own `SITE_LANG`), so posts that name none are kept under `""`, and each
 * language also gets the list with them added, for the site whose language it is.
 */
import type { PostSummary } from "../src/articles/record.ts";
import { languageOf } from "../src/articles/translations.ts";
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

/** The language among `languages` whose own addresses (`/ko`, under it) take the alias `path`, if one does. */
export function languagePathOf(path: string, languages: Iterable<string>): string | undefined {
  const first = (path.split(/[/?]/)[1] ?? "").toLowerCase();
  return first !== "" && [...languages].includes(first) ? first : undefined;
}

/** Each language's home and feed are the blog's own addresses: no alias may take `/<lang>` or one under it. */
export function checkLanguagePaths(sources: readonly PostFile[], languages: Iterable<string>): void {
  const taken = [...languages].filter((lang) => lang !== "");
  for (const { file, meta } of sources) {
    for (const path of meta.aliases ?? []) {
      const lang = languagePathOf(path, taken);
      if (lang)
        throw new ContentError(
          file,
          "aliases",
          `"${path}" is under /${path.split(/[/?]/)[1]}, the blog's list of posts in that language`,
        );
    }
  }
}
