/**
 * Polylang, WordPress's most used multilingual plugin, keeps a post's language and its translation
 * group as terms of two taxonomies it registers on every translated post type, `language` and
 * `post_translations`; WordPress's exporter writes every term of an item, so a WXR item carries
 *
 *     <category domain="language" nicename="ko"><![CDATA[한국어]]></category>
 *     <category domain="post_translations" nicename="pll_5f3c2a1b9d8e7"><![CDATA[pll_5f3c2a1b9d8e7]]></category>
 *
 * The language term's slug is the language code the site owner typed (`en`, `ko`, `pt-br`); its
 * description, in the channel's `<wp:term>` list, is a PHP-serialized array naming the WordPress
 * locale (`ko_KR`), which Polylang writes as the pages' `lang`. The code is taken when it is that
 * locale's language, else the locale (a code `kr` with the locale `ko_KR` is `ko-KR`). The group
 * term is named `pll_` and a unique id; every post of a group has the same one.
 */
import { languageOf } from "../../src/articles/translations.ts";
import { languageTag } from "./languages.ts";
import { all, attr, childText, type XmlNode } from "./xml.ts";

/** Polylang's language codes -> the tag of the locale each names, if it names one (from the channel's terms). */
export function polylangLocales(
  channel: XmlNode | undefined,
  q: (name: string) => string,
): Map<string, string | undefined> {
  const locales = new Map<string, string | undefined>();
  for (const term of all(channel, q("wp:term"))) {
    if (childText(term, q("wp:term_taxonomy")) !== "language") continue;
    const locale = /s:6:"locale";s:\d+:"([^"]*)"/.exec(childText(term, q("wp:term_description")))?.[1];
    const tag = locale === undefined ? undefined : languageTag(locale);
    locales.set(childText(term, q("wp:term_slug")), tag);
  }
  return locales;
}

/** The language and translation group Polylang gave a WXR item, when it gave them. */
export function polylangTerms(
  item: XmlNode,
  locales: ReadonlyMap<string, string | undefined>,
): { lang?: string; translationGroup?: string; unknownLanguage?: string } {
  const out: { lang?: string; translationGroup?: string; unknownLanguage?: string } = {};
  for (const term of all(item, "category")) {
    const slug = attr(term, "nicename").trim();
    if (!slug) continue;
    const domain = attr(term, "domain");
    if (domain === "post_translations") out.translationGroup = slug;
    else if (domain === "language") {
      const code = languageTag(slug);
      const locale = locales.get(slug);
      const lang = code && (!locale || languageOf(code) === languageOf(locale)) ? code : (locale ?? code);
      if (lang) out.lang = lang;
      else out.unknownLanguage = slug;
    }
  }
  return out;
}
