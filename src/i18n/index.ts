import { en } from "./en.ts";
import { ko } from "./ko.ts";

/** The keys of the interface, as the English catalog has them; every catalog must have them all. */
export type Catalog = typeof en;

/** Every catalog by primary language subtag. Adding a language is one file and one line here. */
const CATALOGS: Record<string, Catalog> = { en, ko };

/** The language whose catalog serves `lang` ("ko-KR" is served by "ko"); English when there is none. */
export function chromeLang(lang: string | undefined): string {
  const primary = (lang ?? "en").toLowerCase().split("-")[0] ?? "en";
  return primary in CATALOGS ? primary : "en";
}

/** The interface strings for a page in `lang` (a site's or a post's language). */
export function strings(lang: string | undefined): Catalog {
  return CATALOGS[chromeLang(lang)] ?? en;
}

/**
 * A message whose words are looked up in the catalog of the page or post it is answered for,
 * once that language is known (deep code says what went wrong; the answer picks the language).
 */
export type Message = (t: Catalog) => string;
