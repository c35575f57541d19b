/**
 * The snippet under a search result: about `SNIPPET_WORDS` words of the post's text around its
 * best match, cut between words, with every match between MARK_START and MARK_END. Computed by
 * the Worker from the document's plain text (pipeline/search-text.ts). Pure, no bindings.
 */
import { BLOCK_BREAK, termPattern } from "./fold.ts";
import { MARK_END, MARK_START, TRIGRAM } from "./query.ts";
import { type WordSpan, wordSpans } from "./words.ts";

/** Words a snippet shows (when the text has that many). */
export const SNIPPET_WORDS = 28;
/** Of those, at most this many come before the best match. */
const BEFORE = 10;
/** A snippet is also at most about this many characters (a run of very long words). */
const MAX_CHARS = 360;
/** Characters around the best match that are split into words: more than a snippet can use. */
const REACH = 1_200;
/** Matches of each group looked at in one text. */
const MAX_MATCHES = 50;

interface Match {
  start: number;
  end: number;
  group: number;
}

/**
 * A word under 3 characters (matched anywhere by LIKE) in an alphabet written with spaces is marked
 * only where a word starts: "k" marks "K-pop" and "Korea", not every k in "TikTok". In Hangul or
 * Chinese a short word is often part of a longer one (음악 in 대중음악을): marked wherever it is.
 */
const SPACED = /^[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{N}]/u;
const WORD_START = "(?<![\\p{L}\\p{N}\\p{M}])";

/** Finds the groups of spellings (`termGroups`) in text, as written: case and hyphens do not count. */
export class TermFinder {
  readonly #groups: RegExp[];
  readonly #any: RegExp | undefined;

  constructor(groups: readonly (readonly string[])[]) {
    const sources = groups.map((group) => {
      const short = group.some((t) => [...t].length < TRIGRAM);
      return [...group]
        .sort((a, b) => b.length - a.length)
        .map((t) => (short && SPACED.test(t) ? `${WORD_START}(?:${termPattern(t)})` : termPattern(t)))
        .join("|");
    });
    this.#groups = sources.filter(Boolean).map((source) => new RegExp(source, "giu"));
    this.#any = this.#groups.length ? new RegExp(this.#groups.map((g) => g.source).join("|"), "giu") : undefined;
  }

  /** Where the groups are in `text`, in order. */
  matches(text: string): Match[] {
    const found: Match[] = [];
    this.#groups.forEach((pattern, group) => {
      let n = 0;
      for (const m of text.matchAll(pattern)) {
        if (m[0] === "" || ++n > MAX_MATCHES) break;
        found.push({ start: m.index, end: m.index + m[0].length, group });
      }
    });
    return found.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** `text` with every match between MARK_START and MARK_END. */
  mark(text: string): string {
    return this.#any ? text.replace(this.#any, (m) => `${MARK_START}${m}${MARK_END}`) : text;
  }
}

/** The match with the most groups found from it to `span` characters on (the earliest of equals); `matches` in order. */
function bestMatch(matches: readonly Match[], span: number): Match | undefined {
  let best: Match | undefined;
  let bestScore = 0;
  matches.forEach((m, i) => {
    const groups = new Set<number>();
    for (let j = i; j < matches.length && (matches[j]?.start ?? 0) < m.start + span; j++)
      groups.add(matches[j]?.group ?? 0);
    if (groups.size > bestScore) [best, bestScore] = [m, groups.size];
  });
  return best;
}

const isSpace = (char: string | undefined) => char === undefined || /\s/u.test(char);

/**
 * The words of `text` from about `from` to about `to`: the range is moved out to white space so no
 * word is split, by at most 64 characters (text written without spaces has no white space to move
 * to: there the word cut at each end is left out).
 */
function spansAround(text: string, from: number, to: number): WordSpan[] {
  let start = Math.max(0, Math.min(from, text.length));
  for (let n = 0; n < 64 && !isSpace(text[start - 1]); n++) start--;
  let end = Math.max(start, Math.min(to, text.length));
  for (let n = 0; n < 64 && !isSpace(text[end]); n++) end++;
  const spans = wordSpans(text.slice(start, end)).map((w) => ({ ...w, start: w.start + start, end: w.end + start }));
  if (!isSpace(text[start - 1])) spans.shift();
  if (!isSpace(text[end])) spans.pop();
  return spans;
}

const BLOCK_JOINT = new RegExp(`([.!?…:;。！？])?[^\\S${BLOCK_BREAK}]*${BLOCK_BREAK}\\s*`, "gu");

/** The words `first` to `last` (inclusive) of `text`, marked, with `…` where text was left out. */
function render(text: string, spans: readonly WordSpan[], first: number, last: number, finder: TermFinder): string {
  const start = spans[first]?.start ?? 0;
  const end = spans[last]?.end ?? text.length;
  // Blocks (paragraphs, headings, list items) are joined by a space after a sentence, else by a dot.
  const body = text
    .slice(start, end)
    .replace(BLOCK_JOINT, (_, stop: string | undefined) => (stop ? `${stop} ` : " · "));
  return `${start > 0 ? "…" : ""}${finder.mark(body)}${end < text.length ? "…" : ""}`;
}

/** Counts back from `last` until `words` words (spans with a word) are in, or `floor` is reached. */
function back(spans: readonly WordSpan[], last: number, words: number, floor: number): number {
  let first = last;
  for (let n = spans[last]?.word ? 1 : 0; first > floor && n < words; first--) if (spans[first - 1]?.word) n++;
  return first;
}

/** Counts forward from `first` until `words` words are in (or the text ends). */
function forward(spans: readonly WordSpan[], first: number, words: number): number {
  let last = first;
  for (let n = spans[first]?.word ? 1 : 0; last < spans.length - 1 && n < words; last++) if (spans[last + 1]?.word) n++;
  return last;
}

/** Drops words from the end, then from the start, while the snippet is over MAX_CHARS, keeping `keep`. */
function fitChars(spans: readonly WordSpan[], first: number, last: number, keep: number): [number, number] {
  const size = () => (spans[last]?.end ?? 0) - (spans[first]?.start ?? 0);
  while (size() > MAX_CHARS && last > keep) last--;
  while (size() > MAX_CHARS && first < keep) first++;
  return [first, last];
}

/**
 * About `words` words of `text` around the best match of `finder` (the place where most of the
 * query's groups are found close together), or undefined when nothing matches.
 */
export function snippetAround(text: string, finder: TermFinder, words = SNIPPET_WORDS): string | undefined {
  const best = bestMatch(finder.matches(text), words * 6);
  if (!best) return undefined;
  const spans = spansAround(text, best.start - REACH / 4, best.end + REACH);
  const at = Math.max(
    0,
    spans.findIndex((w) => w.end > best.start),
  );
  let last = forward(spans, back(spans, at, BEFORE + 1, 0), words);
  while (last < spans.length - 1 && (spans[last]?.end ?? 0) < best.end) last++;
  const first = back(spans, last, words, 0);
  return render(text, spans, ...fitChars(spans, Math.min(first, at), last, at), finder);
}

/** The first `words` words of `text`, with any matches marked. */
export function leadSnippet(text: string, finder: TermFinder, words = SNIPPET_WORDS): string {
  const spans = spansAround(text, 0, Math.min(text.length, REACH));
  return render(text, spans, ...fitChars(spans, 0, forward(spans, 0, words), 0), finder);
}
