import { BLOCK_BREAK } from "../src/search/fold.ts";

/**
 * The text a post is searched by and its snippets are cut from: the rendered article as a reader
 * reads it, not its Markdown. No markup, no code blocks (a post about writing posts shows front
 * matter in one: it is not what the post says), no table of contents or heading "#" links, no
 * markup characters (`**`, `[`); entities decoded; blocks (paragraph, heading, list item, cell)
 * separated by BLOCK_BREAK, so a snippet can tell where a heading ends. Inline elements leave no space:
 * `<strong>40,000</strong> lightsticks` is "40,000 lightsticks", and `K-<em>pop</em>` one word.
 */

/** Elements whose content is not the article's text. */
const DROPPED =
  /<(pre|script|style|nav|template|svg|math|noscript|iframe|object|button|select|textarea)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** The separate "#" link markdown.ts gives a heading that holds a link. */
const SECTION_LINK = /<a\b[^>]*\baria-label="Section:[^"]*"[^>]*>#<\/a>/gi;
/** Elements that start or end a block of text. */
const BLOCK =
  /<\/?(?:address|article|aside|blockquote|br|caption|dd|details|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>/gi;

/** Named entities a writer is likely to type; others are left as written. */
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00A0",
  shy: "\u00AD",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  ldquo: "“",
  rdquo: "”",
  bdquo: "„",
  laquo: "«",
  raquo: "»",
  middot: "·",
  bull: "•",
  copy: "©",
  reg: "®",
  trade: "™",
  deg: "°",
  times: "×",
  divide: "÷",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  sect: "§",
  para: "¶",
  prime: "′",
  Prime: "″",
  larr: "←",
  rarr: "→",
  uarr: "↑",
  darr: "↓",
  hearts: "♥",
  star: "☆",
  zwj: "\u200D",
  zwnj: "\u200C",
};

const codePoint = (n: number) =>
  Number.isInteger(n) && n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : "\uFFFD";

/** Decodes character references: numeric ones, and the named ones of `NAMED`. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#[xX]([0-9a-fA-F]{1,6})|#(\d{1,7})|([A-Za-z]+));/g, (whole, hex, dec, name) => {
    if (hex) return codePoint(Number.parseInt(hex, 16));
    if (dec) return codePoint(Number.parseInt(dec, 10));
    return NAMED[name as string] ?? whole;
  });
}

/** The private-use characters the Worker marks matches with, and soft hyphens: never in the text. */
const INVISIBLE = /[\uE000\uE001\u00AD]/g;

/**
 * `text` as stored: NFC, without the snippet markers and soft hyphens, control characters and
 * runs of white space as one space.
 */
export const cleanText = (text: string): string =>
  text
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(/[\s\p{Cc}]+/gu, " ")
    .trim();

/** Marks a block's edge until the white space inside blocks is collapsed. */
const BREAK = "\u0001";

/** The searchable text of a post's rendered HTML: its blocks separated by BLOCK_BREAK (see above). */
export function searchText(html: string): string {
  // Line breaks in the HTML are spaces (Markdown's soft breaks): blocks are marked with U+0001 first.
  const text = html
    .replaceAll(BREAK, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(DROPPED, BREAK)
    .replace(SECTION_LINK, "")
    .replace(BLOCK, BREAK)
    .replace(/<\/?[a-zA-Z][^>]*>/g, "");
  return decodeEntities(text).split(BREAK).map(cleanText).filter(Boolean).join(BLOCK_BREAK);
}
