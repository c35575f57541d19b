/**
 * Translations: posts whose front matter names the same `translationKey` tell the same story in
 * different languages. The build checks every set (drafts included: they will be published one
 * day) and gives each post of the release the other members it has, stored in its record and its
 * list summaries, so the Worker links them without reading anything more.
 */
import type { PostSummary, TranslationLink } from "../src/articles/record.ts";
import { languageOf } from "../src/articles/translations.ts";
import type { PostFile } from "./assemble-release.ts";
import { ContentError } from "./content-error.ts";

/**
 * Checks the translation sets of `sources`: every post naming a key has a `lang` (front-matter.ts
 * checks that), a key is used by at least two posts (one alone is a misspelling or a missing
 * translation), and by at most one post per language.
 * @throws {ContentError} naming the file and `translationKey`.
 */
export function checkTranslations(sources: readonly PostFile[]): void {
  const sets = new Map<string, PostFile[]>();
  for (const source of sources) {
    const key = source.meta.translationKey;
    if (key === undefined) continue;
    const set = sets.get(key) ?? [];
    const lang = languageOf(source.meta.lang ?? "");
    const same = set.find((other) => languageOf(other.meta.lang ?? "") === lang);
    if (same)
      throw new ContentError(
        source.file,
        "translationKey",
        `"${key}" is already the key of ${same.file}, also in ${lang}: a set has one post per language`,
      );
    set.push(source);
    sets.set(key, set);
  }
  for (const [key, set] of sets) {
    const [only] = set;
    if (only && set.length === 1)
      throw new ContentError(
        only.file,
        "translationKey",
        `"${key}" is the key of no other post: a translation set needs two posts or more (is it spelt the same in both?)`,
      );
  }
}

/**
 * For each post of the release (`posts`, with the front matter of every source), the other
 * members of its set that are in the release, by language; posts without a set are left out.
 */
export function translationsOf(
  posts: readonly PostSummary[],
  keyOf: (slug: string) => string | undefined,
): Map<string, TranslationLink[]> {
  const sets = new Map<string, PostSummary[]>();
  for (const post of posts) {
    const key = keyOf(post.slug);
    if (key === undefined) continue;
    const set = sets.get(key);
    if (set) set.push(post);
    else sets.set(key, [post]);
  }
  const out = new Map<string, TranslationLink[]>();
  for (const set of sets.values()) {
    if (set.length < 2) continue;
    const links = set
      .map(({ slug, lang, date }): TranslationLink => ({ slug, lang: lang ?? "", date }))
      .sort((a, b) => (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0));
    for (const post of set)
      out.set(
        post.slug,
        links.filter((link) => link.slug !== post.slug),
      );
  }
  return out;
}
