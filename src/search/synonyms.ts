/**
 * The blog's own words that a search treats as one (`[vars] SEARCH_SYNONYMS` in wrangler.toml):
 * a query for any spelling of a group finds the posts that hold any other. Applied to the query
 * only, so changing the list needs no rebuild. Pure, no bindings.
 *
 *   SEARCH_SYNONYMS = "kpop = k pop = 케이팝; lightstick = light stick = 응원봉"
 *
 * Groups are separated by `;` or a line break, spellings by `=`; a spelling may have several words.
 * Spellings are folded as queries are (`foldWord`: case and hyphens inside words do not count, so
 * `k-pop` is already `kpop`).
 */
import { memoByEnv } from "../lib/env-memo.ts";
import { foldWord } from "./fold.ts";

/** Spellings a group may have; more are ignored (each is a condition of the query). */
export const MAX_SPELLINGS = 6;

/** Groups of folded spellings, each spelling as its words. */
export type Synonyms = string[][][];

/** The words of `text`, folded (NFC, lower case, no hyphen inside a word), white space collapsed. */
export const foldedWords = (text: string): string[] =>
  text
    .normalize("NFC")
    .split(/[\s\p{Cc}\p{Cf}]+/u)
    .filter(Boolean)
    .map(foldWord)
    .filter(Boolean);

/** Reads a `SEARCH_SYNONYMS` value; groups with fewer than two spellings are dropped. */
export function parseSynonyms(text: string | undefined): Synonyms {
  const groups: Synonyms = [];
  for (const line of (text ?? "").split(/[;\n]/)) {
    const seen = new Set<string>();
    const group: string[][] = [];
    for (const spelling of line.split("=")) {
      const words = foldedWords(spelling);
      const key = words.join(" ");
      if (key === "" || seen.has(key) || group.length >= MAX_SPELLINGS) continue;
      seen.add(key);
      group.push(words);
    }
    if (group.length > 1) groups.push(group);
  }
  return groups;
}

/** The synonyms configured for this Worker (read once per environment). */
export const synonymsOf: (env: Env) => Synonyms = memoByEnv((env) => parseSynonyms(env.SEARCH_SYNONYMS));

/** Whether `words` hold `spelling` at `at`. */
const holds = (words: readonly string[], at: number, spelling: readonly string[]) =>
  spelling.every((word, i) => words[at + i] === word);

/**
 * The query's words as groups of spellings to look for: each group must be found (AND), in any of
 * its spellings (OR). A run of words that is a spelling of a synonym group becomes that group (the
 * longest run wins: `k pop` is one group, not `k` and `pop`); any other word is a group of itself.
 */
export function termGroups(words: readonly string[], synonyms: Synonyms, max = Number.POSITIVE_INFINITY): string[][] {
  const groups = new Map<string, string[]>();
  for (let at = 0; at < words.length && groups.size < max; ) {
    let best: { length: number; group: string[] } | undefined;
    for (const group of synonyms)
      for (const spelling of group)
        if (spelling.length > (best?.length ?? 0) && holds(words, at, spelling))
          best = { length: spelling.length, group: group.map((s) => s.join(" ")) };
    const group = best?.group ?? [words[at] as string];
    groups.set(group.join("\n"), group);
    at += best?.length ?? 1;
  }
  return [...groups.values()];
}
