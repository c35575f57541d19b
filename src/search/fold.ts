/**
 * How search compares words, shared by the build (pipeline/search-text.ts: what a document is
 * indexed under) and the Worker (src/search/query.ts: what a query looks for), so both fold text
 * the same way: lower case, and a hyphen inside a word does not count, so "K-pop", "K‑pop" (a
 * non-breaking hyphen) and "kpop" are one word. Pure, no bindings.
 */

/**
 * What separates the blocks (paragraphs, headings, list items) of a document's text: U+2029
 * PARAGRAPH SEPARATOR, white space to both JavaScript and the snippet, one character in SQL (a
 * line break would be `' || char(10) || '` in the load file, and too many of those are too deep
 * an expression for SQLite).
 */
export const BLOCK_BREAK = "\u2029";

/** Hyphens that join the parts of one word (not dashes, which separate words). */
export const HYPHENS = "\\-\u2010\u2011";

const INNER_HYPHEN = new RegExp(`(?<=[\\p{L}\\p{N}\\p{M}])[${HYPHENS}]+(?=[\\p{L}\\p{N}])`, "gu");
const COMPOUND = new RegExp(`[\\p{L}\\p{N}\\p{M}]+(?:[${HYPHENS}]+[\\p{L}\\p{N}\\p{M}]+)+`, "gu");

/** `text` NFC, lower case, with hyphens inside words removed: `K-Pop` → `kpop`. */
export function foldWord(text: string): string {
  return text.normalize("NFC").toLowerCase().replace(INNER_HYPHEN, "");
}

/**
 * The hyphenated words of `text`, folded and without repeats, space-separated: what a document is
 * also indexed under, so `kpop` finds a post that writes `K-pop` (a trigram index matches the
 * characters as written). At most `max` characters.
 */
export function compoundWords(text: string, max = 8_000): string {
  const words = new Set<string>();
  let length = 0;
  for (const [word] of text.matchAll(COMPOUND)) {
    const folded = foldWord(word);
    if (words.has(folded)) continue;
    length += folded.length + 1;
    if (length > max) break;
    words.add(folded);
  }
  return [...words].join(" ");
}

const escapeChar = (char: string) => char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A regular expression source that finds the folded word `term` in text as written: in any case,
 * with or without a hyphen between any two of its letters, and any white space for its spaces
 * (`kpop` finds `K-pop`, `K‑Pop` and `KPOP`; `k pop` finds `K pop` and `k-pop`). Use with the
 * `iu` flags.
 */
export function termPattern(term: string): string {
  const parts = term.split(/\s+/).filter(Boolean);
  const word = (part: string) => [...part].map(escapeChar).join(`[${HYPHENS}\u00AD]?`);
  return parts.map(word).join(`[\\s${HYPHENS}]+`);
}
