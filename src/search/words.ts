/**
 * Words of text as a reader sees them, for cutting snippets without cutting a word: Intl.Segmenter
 * (granularity "word", which workerd has) where the runtime has it, else a plain regular expression.
 * Pure, no bindings.
 */

/** A word with the punctuation attached to it ("(K-pop)은", "“Spring", "it’s,"), as offsets. */
export interface WordSpan {
  start: number;
  end: number;
  /** False for a run of punctuation or symbols alone ("—", "🎧"): shown, not counted. */
  word: boolean;
}

interface Piece {
  index: number;
  segment: string;
  isWordLike?: boolean | undefined;
}

/** Scripts written without spaces between words: there a segment boundary is a word boundary. */
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const SPACE = /^\s+$/u;

const segmenter =
  typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "word" }) : undefined;

/** The fallback: runs of letters and digits (apostrophes inside kept), white space, anything else alone. */
function* pieces(text: string): Iterable<Piece> {
  for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|\s+|[^\p{L}\p{N}\p{M}\s]/gu))
    yield { index: match.index, segment: match[0], isWordLike: /[\p{L}\p{N}]/u.test(match[0]) };
}

/**
 * The words of `text`, in order. White space separates words; punctuation between two words
 * without a space joins them into one ("K-pop", "케이팝(K-pop)은"); in scripts written without
 * spaces (Chinese, Japanese, Thai) each segment is a word. Korean is written with spaces, so its
 * words are the spaced ones, particles included.
 */
export function wordSpans(text: string, useSegmenter = true): WordSpan[] {
  const spans: WordSpan[] = [];
  let current: WordSpan | undefined;
  let afterWord = false;
  for (const piece of useSegmenter && segmenter ? segmenter.segment(text) : pieces(text)) {
    const end = piece.index + piece.segment.length;
    if (SPACE.test(piece.segment)) {
      current = undefined;
      afterWord = false;
      continue;
    }
    const isWord = piece.isWordLike === true;
    const split = isWord && afterWord && (UNSPACED.test(piece.segment) || UNSPACED.test(text[piece.index - 1] ?? ""));
    if (!current || split) {
      current = { start: piece.index, end, word: isWord };
      spans.push(current);
    } else {
      current.end = end;
      current.word ||= isWord;
    }
    afterWord = isWord;
  }
  return spans;
}
