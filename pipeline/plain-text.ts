/**
 * Text out of rendered HTML, for summaries, reading time and search documents. Kept apart from
 * markdown.ts so a build that reuses every post from its cache never loads marked.
 */

/** The text a reader reads, for reading time and summaries. */
export function plainText(html: string): string {
  return decodeEntities(html.replace(/<(script|style|nav)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The first paragraph with text (a paragraph holding only an image is skipped) as plain text,
 * cut at a word boundary near `max` characters.
 */
export function firstParagraph(html: string, max = 200): string {
  let text = "";
  for (const [, paragraph = ""] of html.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
    text = plainText(paragraph);
    if (text) break;
  }
  text ||= plainText(html);
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?—-]+$/u, "")}…`;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith("#x")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " } as Record<string, string>)[e] ?? "";
  });
}
