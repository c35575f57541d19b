import type { TranslationLink } from "./record.ts";

/**
 * A post's translations as a reader sees them now: one still scheduled is linked only from its
 * date (`isOut`: the release's, or the Worker's clock). Empty when the post has none out.
 */
export const visibleTranslations = (
  links: readonly TranslationLink[] | undefined,
  isOut = (date: string) => Date.parse(date) <= Date.now(),
): TranslationLink[] => links?.filter((link) => isOut(link.date)) ?? [];

/** The language a tag is of: its primary subtag, lower-cased (`ko-KR` is `ko`), as the release's lists are named. */
export const languageOf = (lang: string): string => (lang.split("-")[0] ?? lang).toLowerCase();

/** A translation set as pages, sitemaps and feeds name it: every member (the post first), and the one `x-default` names. */
export interface TranslationSet {
  members: TranslationLink[];
  /** The member in the site's language, else the oldest (the original). */
  fallback: TranslationLink;
}

/** The set of `post` and its translations out now (`links`); null when it has none. */
export function translationSet(
  post: { slug: string; lang?: string | undefined; date: string },
  links: readonly TranslationLink[],
  siteLang: string,
): TranslationSet | null {
  if (links.length === 0) return null;
  const self: TranslationLink = { slug: post.slug, lang: post.lang ?? siteLang, date: post.date };
  const members = [self, ...links];
  const site = languageOf(siteLang);
  const oldest = members.reduce((a, b) => (b.date < a.date ? b : a));
  return { members, fallback: members.find((m) => languageOf(m.lang) === site) ?? oldest };
}
