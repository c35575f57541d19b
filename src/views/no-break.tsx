/**
 * A word holding a hyphen ("K-pop", "co-op", "케이-팝"): letters or digits joined by hyphens
 * (U+002D, U+2010).
 */
const HYPHENATED = /[\p{L}\p{N}]+(?:[-\u2010][\p{L}\p{N}]+)+/gu;

/**
 * Longer hyphenated words are left breakable: kept whole, one could be wider than a phone's line
 * in a heading and overflow it.
 */
const LONGEST_KEPT = 20;

/**
 * `text` with each hyphenated word in a `.nh` span (`white-space: nowrap`), so a title or summary
 * never breaks "K-pop" into "K-" and "pop". A span rather than U+2011 NON-BREAKING HYPHEN: the
 * page's text stays the writer's, so find-in-page, copy and paste, search engines and screen
 * readers see an ordinary hyphen, and no font is asked for a glyph it may lack.
 */
export function NoBreak({ text }: { text: string }) {
  const parts: (string | ReturnType<typeof Word>)[] = [];
  let at = 0;
  for (const match of text.matchAll(HYPHENATED)) {
    const word = match[0];
    if (word.length > LONGEST_KEPT) continue;
    if (match.index > at) parts.push(text.slice(at, match.index));
    parts.push(<Word word={word} />);
    at = match.index + word.length;
  }
  if (at === 0) return <>{text}</>;
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

function Word({ word }: { word: string }) {
  return <span class="nh">{word}</span>;
}
