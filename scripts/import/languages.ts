/**
 * The language of each imported post: the one the export names (Polylang's language term), else
 * the one its text is written in (Hangul against Latin letters, scripts/text-language.ts), else
 * the old blog's (WXR `<language>`, Blogger's `BLOG_LOCALE`), else the site's.
 */
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { LANG } from "../../pipeline/front-matter.ts";
import { languageOf } from "../../src/articles/translations.ts";
import { scriptOfText } from "../text-language.ts";
import type { SourcePost } from "./model.ts";

/**
 * A language tag from the way exports write one (`ko_KR`, `pt-br`, `en-US`), in its canonical
 * form (`ko-KR`, `pt-BR`), or undefined when it is not a tag the build accepts for `lang`.
 */
export function languageTag(raw: string): string | undefined {
  const value = raw.trim().replace(/_/g, "-");
  if (!LANG.test(value)) return undefined;
  try {
    const canonical = Intl.getCanonicalLocales(value)[0];
    return canonical && LANG.test(canonical) ? canonical : value;
  } catch {
    return undefined;
  }
}

/** The site's language: `SITE_LANG` of wrangler.toml's top-level `[vars]`, `en` when it names none. */
export function siteLanguage(path = "wrangler.toml"): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return "en";
  }
  const vars = (parse(text) as { vars?: { SITE_LANG?: unknown } }).vars;
  const lang = typeof vars?.SITE_LANG === "string" ? languageTag(vars.SITE_LANG) : undefined;
  return lang ?? "en";
}

/** Where a post's language came from, as the report counts it. */
export type LanguageSource = "export" | "text" | "blog" | "site";

/**
 * The language of `post`, whose title and body as plain text are `text`. Text decides when a word
 * holds a letter: Korean when at least as many of its words hold Hangul as hold Latin letters;
 * Latin letters in a blog whose language is Korean are English; otherwise (Latin letters in an
 * English, French... blog, or no letters at all) the blog's language is the post's.
 */
export function postLanguage(
  post: SourcePost,
  text: string,
  blogLang: string | undefined,
  siteLang: string,
): { lang: string; from: LanguageSource } {
  if (post.lang) return { lang: post.lang, from: "export" };
  const fallback = blogLang ?? siteLang;
  const script = scriptOfText(text);
  if (script === "hangul") return { lang: languageOf(fallback) === "ko" ? fallback : "ko", from: "text" };
  if (script === "latin" && languageOf(fallback) === "ko")
    return { lang: languageOf(siteLang) === "ko" ? "en" : siteLang, from: "text" };
  return { lang: fallback, from: blogLang ? "blog" : "site" };
}
