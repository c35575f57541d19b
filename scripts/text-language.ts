/**
 * Which language a text is written in, as far as its script tells: Hangul against Latin letters,
 * counted by words. One rule for a new post's title (`npm run new`, scripts/post-language.ts) and
 * for an imported post's title and text (scripts/import/languages.ts).
 */

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;
const LATIN = /[A-Za-z]/;

/**
 * `hangul` when at least as many of the text's words hold Hangul as hold Latin letters (and one
 * does: "BLACKPINK 컴백 무대 후기", "BTS 새 앨범"), `latin` when more words hold Latin letters
 * ("Learning 한국어 through K-pop"), undefined when no word holds either (digits, emoji, other scripts).
 */
export function scriptOfText(text: string): "hangul" | "latin" | undefined {
  let hangul = 0;
  let latin = 0;
  for (const word of text.split(/\s+/u)) {
    if (HANGUL.test(word)) hangul++;
    else if (LATIN.test(word)) latin++;
  }
  if (hangul > 0 && hangul >= latin) return "hangul";
  return latin > 0 ? "latin" : undefined;
}
