import { Lru } from "../lib/lru.ts";

/** Plural rules by language, made once (like the date formatters in src/views/format.ts). */
const rules = new Lru<string, Intl.PluralRules>(16);

/** The plural category of `n` in `lang` ("one", "other", …). */
export function pluralOf(lang: string, n: number): Intl.LDMLPluralRule {
  let made = rules.peek(lang);
  if (!made) {
    made = new Intl.PluralRules(lang);
    rules.set(lang, made);
  }
  return made.select(n);
}

/** The form of a count for `n`: `forms[category]`, or `other` when the language has no such form. */
export function plural(
  lang: string,
  n: number,
  forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string },
): string {
  return forms[pluralOf(lang, n)] ?? forms.other;
}
