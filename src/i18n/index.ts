import { CATALOGS as BUNDLED } from "../generated/catalogs.ts";
import { en } from "./en.ts";

/** The keys of the interface, as the English catalog has them; every catalog must have them all. */
export type Catalog = typeof en;

/**
 * The catalogs by primary language subtag: those this release needs (SITE_LANG's and its posts'
 * languages), as the build listed them (pipeline/catalogs.ts). Adding a language is one file.
 */
const CATALOGS: Record<string, Catalog> = BUNDLED;

/** The language whose catalog serves `lang` ("ko-KR" is served by "ko"); English when there is none. */
export function chromeLang(lang: string | undefined): string {
  const primary = (lang ?? "en").toLowerCase().split("-")[0] ?? "en";
  return primary in CATALOGS ? primary : "en";
}

/** The Open Graph locale of a page in `lang`: "ko_KR" for ko, "en_GB" for en-GB, "fr" for an uncatalogued fr. */
export function ogLocale(lang: string): string {
  const [primary = "en", region] = lang.split("-");
  if (region && /^[A-Za-z]{2}$/.test(region)) return `${primary.toLowerCase()}_${region.toUpperCase()}`;
  const catalog = CATALOGS[primary.toLowerCase()];
  return catalog ? catalog.locale : primary.toLowerCase();
}

/**
 * The `lang` attribute for a post's text on a page in `page`: its own language (`lang`, or the
 * site's when it has none) when that differs from the page's, else nothing (it inherits the page's).
 */
export function otherLang(lang: string | undefined, site: string, page: string): string | undefined {
  const own = lang ?? site;
  return own.toLowerCase() === page.toLowerCase() ? undefined : own;
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
